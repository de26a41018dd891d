package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random event sequences never break the map's invariants (issue 8): at most one current PG, fail counts rise only
 * on A→F transitions, the live table still parses and prints itself, and every request is completed exactly once,
 * never lost, once paths come back.
 */
class MapInvariantProperties {

    private static final List<String> PATHS = List.of("8:16", "8:32", "8:48", "8:64");

    @Property(tries = 300)
    void eventsKeepTheInvariants(@ForAll("handler") String handler, @ForAll("events") List<String> events)
            throws Exception {
        MapHarness h = new MapHarness("1 queue_if_no_path " + handler
                + " 2 1 round-robin 0 2 0 8:16 8:32 service-time 0 2 0 8:48 8:64");
        List<TestRequest> requests = new ArrayList<>();
        Map<String, Integer> failCounts = new HashMap<>();
        for (String e : events) {
            Map<String, Boolean> activeBefore = activity(h.map);
            int logBefore = h.log.size();
            apply(h, e, requests);
            h.thread.advance(3);
            checkInvariants(h.map, activeBefore, failCounts, h.log.subList(logBefore, h.log.size()));
        }
        h.paths.release();
        for (String p : PATHS) apply(h, "reinstate_path " + p, requests);   // EBUSY if suspended
        h.thread.advance(5000);
        assertThat(h.map.isRunning() || h.map.isSuspended()).as("a suspend completes once paths are back").isTrue();
        if (h.map.isSuspended()) h.map.resume();
        for (String p : PATHS) h.message("reinstate_path " + p);
        h.message("queue_if_no_path");
        h.thread.advance(60_000);
        assertThat(requests).allSatisfy(r -> assertThat(r.done()).as("completed, not lost").isTrue());
    }

    private static void apply(MapHarness h, String event, List<TestRequest> requests) {
        try {
            switch (event.split(" ")[0]) {
                case "read" -> requests.add(h.submit());
                case "path-error" -> {
                    h.paths.failNext(BlkStatus.TRANSPORT);
                    requests.add(h.submit());
                }
                case "hold" -> h.paths.hold(true);
                case "release" -> h.paths.release();
                case "suspend" -> {
                    if (h.map.isRunning()) h.map.suspend(event.endsWith("noflush"));
                }
                case "resume" -> {
                    if (h.map.isSuspended()) h.map.resume();
                }
                default -> h.map.message(0, event);
            }
        } catch (MessageException refused) {
            // refusals (EBUSY while suspended, bad numbers) are part of the game
        }
    }

    private static Map<String, Boolean> activity(MultipathDevice map) {
        Map<String, Boolean> active = new HashMap<>();
        for (PriorityGroup pg : map.groups()) for (Path p : pg.paths()) active.put(p.name(), p.isActive());
        return active;
    }

    /**
     * Fail counts rise by exactly the A→F transitions of the step: one "Failing path" line each. A step may hold
     * several (a reinstated path that the held I/O then fails again), so a path failed at the end of the step that
     * was active at its start failed at least once, and one that failed and is active again was reinstated.
     */
    private static void checkInvariants(MultipathDevice map, Map<String, Boolean> activeBefore,
                                        Map<String, Integer> failCounts, List<String> stepLog) throws Exception {
        String status = map.status();
        int valid = 0;
        for (PriorityGroup pg : map.groups())
            for (Path p : pg.paths()) {
                int rise = p.failCount() - failCounts.getOrDefault(p.name(), 0);
                long failing = stepLog.stream().filter(l -> l.endsWith(": Failing path " + p + ".")).count();
                long reinstating = stepLog.stream().filter(l -> l.endsWith(": Reinstating path " + p + ".")).count();
                assertThat((long) rise).as("fail count rise of %s in %s", p, stepLog).isEqualTo(failing);
                if (activeBefore.get(p.name()) && !p.isActive()) assertThat(rise).as("%s failed", p).isPositive();
                if (rise > 0 && p.isActive()) assertThat(reinstating).as("%s reinstated", p).isPositive();
                failCounts.put(p.name(), p.failCount());
                if (p.isActive()) valid++;
            }
        assertThat(map.nrValidPaths()).isEqualTo(valid);
        assertThat(groupLetters(status).chars().filter(c -> c == 'A').count()).isLessThanOrEqualTo(1);
        String table = map.table();
        assertThat(MultipathTable.parse(table).toString()).isEqualTo(table);
    }

    /** The A/D/E letter of each group, read from a status string by its grammar (spec §2.1). */
    private static String groupLetters(String status) {
        String[] t = status.split(" ");
        int k = 0;
        k += 1 + Integer.parseInt(t[k]);
        k += 1 + Integer.parseInt(t[k]);
        int groups = Integer.parseInt(t[k++]);
        k++;
        StringBuilder letters = new StringBuilder();
        for (int g = 0; g < groups; g++) {
            letters.append(t[k++]);
            k += 1 + Integer.parseInt(t[k]);
            int paths = Integer.parseInt(t[k++]);
            int infoArgs = Integer.parseInt(t[k++]);
            k += paths * (3 + infoArgs);
        }
        return letters.toString();
    }

    @Provide
    Arbitrary<String> handler() {
        return Arbitraries.of("0", "1 alua");
    }

    @Provide
    Arbitrary<List<String>> events() {
        Arbitrary<String> path = Arbitraries.of(PATHS);
        Arbitrary<String> pg = Arbitraries.of("0", "1", "2", "3");
        return Arbitraries.oneOf(
                Arbitraries.of("read", "read", "path-error", "hold", "release", "suspend", "suspend noflush", "resume",
                        "queue_if_no_path", "fail_if_no_path"),
                path.map(p -> "fail_path " + p), path.map(p -> "fail_path " + p), path.map(p -> "reinstate_path " + p),
                pg.map(n -> "disable_group " + n), pg.map(n -> "enable_group " + n), pg.map(n -> "switch_group " + n))
                .list().ofMaxSize(40);
    }
}
