package io.mpathgw.dm.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpathgw.dm.table.TableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of selections, I/O starts and ends, path failures and reinstatements, clock steps: a selector
 * returns only valid paths, returns one whenever one is valid, and its in-flight counters return to zero.
 */
class SelectorPropertiesTest {

    private static final long[] SIZES = {0, 512, 4096, 65536, 1 << 20, 3L << 30};

    @Provide
    Arbitrary<String> selectors() {
        return Arbitraries.of("round-robin|", "queue-length|", "service-time|", "historical-service-time|",
                "historical-service-time|500 3", "round-robin-switch|iops=3", "round-robin-switch|bytes=65536");
    }

    @Property(tries = 400)
    void selectsOnlyValidPathsAndCountersReturnToZero(@ForAll("selectors") String selector,
                                                       @ForAll @Size(min = 1, max = 6) List<@IntRange(max = 3) Integer> throughputs,
                                                       @ForAll @Size(max = 300) List<@IntRange(max = 9999) Integer> ops)
            throws TableException {
        String[] typeArgs = selector.split("\\|", -1);
        SelectorScript s = new SelectorScript(typeArgs[0], typeArgs[1], table(typeArgs[0], throughputs));
        List<SelectorScript.TestPath> paths = new ArrayList<>(s.paths.values());
        boolean[] valid = new boolean[paths.size()];
        java.util.Arrays.fill(valid, true);
        List<ArrayDeque<long[]>> inFlight = new ArrayList<>();
        for (int k = 0; k < paths.size(); k++) inFlight.add(new ArrayDeque<>());

        for (int code : ops) {
            int k = (code / 7) % paths.size();
            long bytes = SIZES[(code / 53) % SIZES.length];
            switch (code % 7) {
                case 0, 1 -> {
                    SelectorPath p = s.selector.selectPath(bytes);
                    assertChosenValid(p, paths, valid);
                    if (code % 7 == 1 && p != null) {
                        s.selector.startIo(p, bytes);
                        inFlight.get(paths.indexOf(p)).addLast(new long[] {s.clock.now, bytes});
                    }
                }
                case 2 -> {
                    long[] io = inFlight.get(k).pollFirst();
                    if (io != null) s.selector.endIo(paths.get(k), io[1], io[0]);
                }
                case 3 -> {
                    s.selector.failPath(paths.get(k));
                    valid[k] = false;
                }
                case 4 -> {
                    s.selector.reinstatePath(paths.get(k));
                    valid[k] = true;
                }
                case 5 -> s.clock.now += (code / 7) * 997L;
                default -> assertThat(s.selector.pathStatus(paths.get(k), StatusType.INFO)).isNotNull();
            }
        }
        for (int k = 0; k < paths.size(); k++)
            for (long[] io; (io = inFlight.get(k).pollFirst()) != null; )
                s.selector.endIo(paths.get(k), io[1], io[0]);
        for (SelectorScript.TestPath p : paths) assertIdle(typeArgs[0], s.selector.pathStatus(p, StatusType.INFO));
    }

    /** With iops=1 the extension is plain round-robin, step for step. */
    @Property(tries = 200)
    void switchingEveryIoIsRoundRobin(@ForAll @IntRange(min = 1, max = 6) int n,
                                      @ForAll @Size(max = 200) List<@IntRange(max = 999) Integer> ops)
            throws TableException {
        String table = table("round-robin", java.util.Collections.nCopies(n, 1));
        SelectorScript rr = new SelectorScript("round-robin", "", table);
        SelectorScript sw = new SelectorScript("round-robin-switch", "iops=1", table);
        StringJoiner script = new StringJoiner(" ");
        for (int code : ops)
            script.add(switch (code % 3) {
                case 0 -> "sel";
                case 1 -> "fail:p" + (code / 3) % n;
                default -> "reinst:p" + (code / 3) % n;
            });
        assertThat(sw.run(script.toString())).isEqualTo(rr.run(script.toString()));
    }

    private static String table(String type, List<Integer> throughputs) {
        StringJoiner t = new StringJoiner(";");
        for (int k = 0; k < throughputs.size(); k++)
            t.add("p" + k + (type.equals("service-time") ? "=1 " + throughputs.get(k) * 33 : ""));
        return t.toString();
    }

    private static void assertChosenValid(SelectorPath p, List<SelectorScript.TestPath> paths, boolean[] valid) {
        boolean anyValid = false;
        for (boolean v : valid) anyValid |= v;
        if (!anyValid) {
            assertThat(p).isNull();
            return;
        }
        assertThat(p).as("a valid path exists").isNotNull();
        assertThat(valid[paths.indexOf(p)]).as("%s is valid", p.name()).isTrue();
    }

    private static void assertIdle(String type, String info) {
        List<String> w = SelectorScript.words(info);
        switch (type) {
            case "queue-length" -> assertThat(w).containsExactly("0");
            case "service-time" -> assertThat(w.get(0)).isEqualTo("0");
            case "historical-service-time" -> assertThat(w.get(1)).isEqualTo("0");
            default -> assertThat(w).isEmpty();
        }
    }
}
