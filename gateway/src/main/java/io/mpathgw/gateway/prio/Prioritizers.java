package io.mpathgw.gateway.prio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The prioritizers by the names multipath.conf's {@code prio} takes, with their {@code prio_args}. */
public final class Prioritizers {

    private static final Map<String, Function<String, Prioritizer>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(ConstPrioritizer.NAME, a -> new ConstPrioritizer());
        BY_NAME.put(RandomPrioritizer.NAME, a -> new RandomPrioritizer());
        BY_NAME.put(AluaPrioritizer.NAME, AluaPrioritizer::new);
        BY_NAME.put(RdacPrioritizer.NAME, a -> new RdacPrioritizer());
        BY_NAME.put(EmcPrioritizer.NAME, a -> new EmcPrioritizer());
        BY_NAME.put(HpSwPrioritizer.NAME, a -> new HpSwPrioritizer());
        BY_NAME.put(WeightedPathPrioritizer.NAME, WeightedPathPrioritizer::new);
        BY_NAME.put(PathLatencyPrioritizer.NAME, PathLatencyPrioritizer::new);
    }

    private static final Set<String> NAMES = Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));

    private Prioritizers() {
    }

    /**
     * A prioritizer with its prio_args ({@code null} or "" for none; const, random, rdac, emc and hp_sw take none and
     * ignore them, as multipath-tools does).
     *
     * @throws IllegalArgumentException naming an unknown prioritizer (and the known ones) or a bad argument
     */
    public static Prioritizer create(String name, String args) {
        Function<String, Prioritizer> f = BY_NAME.get(name);
        if (f == null)
            throw new IllegalArgumentException("prio: \"" + name + "\" (expected: one of " + String.join(", ", NAMES) + ")");
        return f.apply(args == null ? "" : args);
    }

    /** Known prioritizer names, sorted. */
    public static Set<String> names() {
        return NAMES;
    }
}
