package io.mpathgw.dm.selector;

import io.mpathgw.dm.Registry;
import io.mpathgw.dm.table.TableException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Drives one selector through the little script language of {@code /dm/selector/scripts.cases} and records what
 * it answers. The clock is a test clock, so historical-service-time is deterministic.
 */
final class SelectorScript {

    /** A path as the engine would hand it over: one object per table entry. */
    record TestPath(String name) implements SelectorPath {
    }

    /** A monotonic clock that moves only when told; starts at 1 ms so that no stamp is the default 0. */
    static final class FakeClock implements LongSupplier {
        long now = 1_000_000;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    private record Started(long nanos, long bytes) {
    }

    final FakeClock clock = new FakeClock();
    final PathSelector selector;
    final Map<String, TestPath> paths = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<Started>> inFlight = new LinkedHashMap<>();

    /** Every selector mpathgw has, HST on the given clock. */
    static Registry<PathSelectorType> registry(LongSupplier clock) {
        return new Registry<>("path selector type", List.of(new RoundRobinSelector.Type(),
                new QueueLengthSelector.Type(), new ServiceTimeSelector.Type(),
                new HistoricalServiceTimeSelector.Type(clock), new RoundRobinSwitchSelector.Type()));
    }

    static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    /** {@code paths}: "a;b=1;c=1 50", each path with its per-path args. */
    SelectorScript(String type, String selectorArgs, String paths) throws TableException {
        selector = registry(clock).find(type).orElseThrow().create(words(selectorArgs));
        for (String entry : paths.split(";")) {
            String[] nameArgs = entry.split("=", 2);
            TestPath p = new TestPath(nameArgs[0].trim());
            selector.addPath(p, words(nameArgs.length > 1 ? nameArgs[1] : ""));
            this.paths.put(p.name(), p);
            inFlight.put(p.name(), new ArrayDeque<>());
        }
    }

    String run(String script) {
        List<String> out = new ArrayList<>();
        for (String op : words(script)) {
            String[] rep = op.split("\\*");
            int times = rep.length > 1 ? Integer.parseInt(rep[1]) : 1;
            for (int k = 0; k < times; k++) step(rep[0].split(":"), out);
        }
        return String.join(" ", out);
    }

    private void step(String[] op, List<String> out) {
        switch (op[0]) {
            case "sel" -> out.add(name(selector.selectPath(arg(op, 1))));
            case "io" -> {
                SelectorPath p = selector.selectPath(arg(op, 1));
                if (p != null) start(p, arg(op, 1));
                out.add(name(p));
            }
            case "start" -> start(path(op[1]), arg(op, 2));
            case "end" -> {
                Started s = inFlight.get(op[1]).removeFirst();
                selector.endIo(path(op[1]), s.bytes(), s.nanos());
            }
            case "fail" -> selector.failPath(path(op[1]));
            case "reinst" -> selector.reinstatePath(path(op[1]));
            case "wait" -> clock.now += Long.parseLong(op[1]);
            case "info" -> out.add("[" + selector.pathStatus(path(op[1]), StatusType.INFO) + "]");
            case "table" -> out.add("[" + selector.pathStatus(path(op[1]), StatusType.TABLE) + "]");
            case "ginfo" -> out.add("[" + selector.groupStatus(StatusType.INFO) + "]");
            case "gtable" -> out.add("[" + selector.groupStatus(StatusType.TABLE) + "]");
            default -> throw new IllegalArgumentException("unknown script op: " + String.join(":", op));
        }
    }

    void start(SelectorPath p, long bytes) {
        selector.startIo(p, bytes);
        inFlight.get(p.name()).addLast(new Started(clock.now, bytes));
    }

    TestPath path(String name) {
        TestPath p = paths.get(name);
        if (p == null) throw new IllegalArgumentException("no path " + name + " in the script's table");
        return p;
    }

    private static long arg(String[] op, int i) {
        return op.length > i ? Long.parseLong(op[i]) : 0;
    }

    private static String name(SelectorPath p) {
        return p == null ? "-" : p.name();
    }
}
