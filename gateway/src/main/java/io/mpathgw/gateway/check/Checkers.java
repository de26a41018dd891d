package io.mpathgw.gateway.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The path checkers by the names multipath.conf's {@code path_checker} takes; a new instance per path. */
public final class Checkers {

    private static final Map<String, Function<CheckerMapContext, PathChecker>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(TurChecker.NAME, m -> new TurChecker());
        BY_NAME.put(ReadSector0Checker.NAME, m -> new ReadSector0Checker());
        BY_NAME.put(DirectioChecker.NAME, m -> new DirectioChecker());
        BY_NAME.put(RdacChecker.NAME, m -> new RdacChecker());
        BY_NAME.put(EmcClariionChecker.NAME, EmcClariionChecker::new);
        BY_NAME.put(HpSwChecker.NAME, m -> new HpSwChecker());
        BY_NAME.put(NoneChecker.NAME, m -> new NoneChecker());
    }

    private static final Set<String> NAMES = Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));

    private Checkers() {
    }

    /**
     * A checker for one path, not sharing state with any other path.
     *
     * @throws IllegalArgumentException naming the unknown checker and the known ones
     */
    public static PathChecker create(String name) {
        return create(name, new CheckerMapContext());
    }

    /** A checker for one path of the map that owns {@code map} (shared by that map's paths). */
    public static PathChecker create(String name, CheckerMapContext map) {
        Objects.requireNonNull(map, "map");
        Function<CheckerMapContext, PathChecker> f = BY_NAME.get(name);
        if (f == null)
            throw new IllegalArgumentException("path_checker: \"" + name + "\" (expected: one of "
                    + String.join(", ", NAMES) + ")");
        return f.apply(map);
    }

    /** Known checker names, sorted. */
    public static Set<String> names() {
        return NAMES;
    }
}
