package io.mpathgw.gateway.group;

import io.mpathgw.gateway.group.FailbackDecision.Action;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each failback mode over a sequence of checker passes on one map: PG 1 = 8:16, 8:32 (priority 50), PG 2 = 8:48,
 * 8:64 (priority 10). The kernel's next PG is what the test's "kernel" would print after its own failover.
 */
class FailbackTest {

    /** The map as the checker sees it: which paths are down now, and the table's PG field. */
    private static final class MapState {
        final Set<String> down = new HashSet<>();
        int nextPg = 1;
        int prio1 = 50;
        int prio2 = 10;

        List<PlannedGroup> groups() {
            return List.of(group(prio1, "8:16", "8:32"), group(prio2, "8:48", "8:64"));
        }

        private PlannedGroup group(int prio, String... devTs) {
            return PlannedGroup.of(java.util.Arrays.stream(devTs)
                    .map(d -> GroupablePath.of(d, prio, !down.contains(d))).toList());
        }

        /** A pass in which nothing was checked (paths not due). */
        CheckerTick idle() {
            return new CheckerTick(groups(), nextPg, Set.of(), false, false, false, false, down);
        }

        /** A pass in which some up path was checked and found still up. */
        CheckerTick checked() {
            return new CheckerTick(groups(), nextPg, Set.of(), true, false, false, false, down);
        }

        /** Paths fail (the kernel then fails over by itself when PG 1 is empty). */
        CheckerTick fail(String... devTs) {
            down.addAll(List.of(devTs));
            if (down.containsAll(List.of("8:16", "8:32"))) nextPg = 2;
            return new CheckerTick(groups(), nextPg, Set.of(), false, true, false, false, down);
        }

        CheckerTick comeUp(String... devTs) {
            List.of(devTs).forEach(down::remove);
            return new CheckerTick(groups(), nextPg, Set.of(devTs), true, false, false, false, down);
        }
    }

    private static void assertDecision(FailbackDecision d, Action action, int bestPg) {
        assertThat(d.action()).as(d.toString()).isEqualTo(action);
        assertThat(d.bestPg()).as(d.toString()).isEqualTo(bestPg);
    }

    @Test
    void immediateSwitchesOnThePassThatSeesTheBetterGroupBack() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.IMMEDIATE);
        assertDecision(fb.checkerFinished(m.checked()), Action.NONE, 1);
        m.down.add("8:32");
        assertDecision(fb.checkerFinished(m.comeUp("8:32")), Action.NONE, 1);  // back in the group in use
        m.nextPg = 2;                                    // say the kernel moved to PG 2 on an I/O error burst
        assertDecision(fb.checkerFinished(m.checked()), Action.SWITCH_GROUP, 1);
        m.nextPg = 1;                                    // the kernel took switch_group 1
        assertDecision(fb.checkerFinished(m.checked()), Action.NONE, 1);
    }

    /**
     * multipath-tools 0.14.3 as written: a group without a usable path has priority 0 (path_group_prio_update), so
     * once PG 1 is all down, path_groups_in_order sees 0 before 10 and immediate failback reloads the map (the dead
     * group sorts last); when PG 1's paths return, the order is wrong the other way and it reloads again.
     */
    @Test
    void immediateReloadsWhenTheFirstGroupDiesAndAgainWhenItReturns() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.IMMEDIATE);
        assertDecision(fb.checkerFinished(m.fail("8:16", "8:32")), Action.NONE, 2);   // nothing up was checked
        FailbackDecision d = fb.checkerFinished(m.checked());
        assertDecision(d, Action.RELOAD, 2);
        assertThat(d.reason()).isEqualTo("path groups out of order");
        List<PlannedGroup> regrouped = PathGrouping.group("group_by_prio",
                m.groups().stream().flatMap(g -> g.paths().stream()).toList());
        assertThat(regrouped).extracting(PlannedGroup::priority).containsExactly(10, 0);
        assertThat(PathGrouping.bestGroup(regrouped)).isEqualTo(1);
        assertThat(Failback.needSwitchPathgroup(FailbackMode.IMMEDIATE, regrouped, 1).needed()).isFalse();

        List<PlannedGroup> back = regrouped.stream().map(g -> PlannedGroup.of(g.paths().stream()
                .map(p -> p.devT().equals("8:16") ? p.withState(true, 50) : p).toList())).toList();
        CheckerTick up = new CheckerTick(back, 1, Set.of("8:16"), true, false, false, true, Set.of("8:32"));
        assertDecision(fb.checkerFinished(up), Action.RELOAD, 2);
    }

    @Test
    void immediateAlsoFailsBackOnAPassWithoutANewPathButNotOnAnIdleOne() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.IMMEDIATE);
        m.nextPg = 2;                        // e.g. the admin ran switch_group 2 while every path is up
        assertDecision(fb.checkerFinished(m.idle()), Action.NONE, 1);
        assertDecision(fb.checkerFinished(m.checked()), Action.SWITCH_GROUP, 1);
    }

    @Test
    void immediateReloadsWhenPrioritiesChangedUnderGroupByPrioOrTheOrderIsWrong() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.IMMEDIATE);
        CheckerTick changed = new CheckerTick(m.groups(), 1, Set.of(), true, false, true, true, Set.of());
        assertThat(fb.checkerFinished(changed).action()).isEqualTo(Action.RELOAD);
        m.prio1 = 10;
        m.prio2 = 50;                        // group_by_serial: priorities moved, groups did not
        FailbackDecision d = fb.checkerFinished(m.checked());
        assertDecision(d, Action.RELOAD, 2);
        assertThat(d.reason()).isEqualTo("path groups out of order");
    }

    @Test
    void manualNeverSwitches() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.MANUAL);
        fb.checkerFinished(m.fail("8:16", "8:32"));
        for (CheckerTick t : List.of(m.comeUp("8:16"), m.comeUp("8:32"), m.checked(), m.idle())) {
            FailbackDecision d = fb.checkerFinished(t);
            assertDecision(d, Action.NONE, 1);
            assertThat(fb.ticksLeft()).isZero();
        }
        m.prio1 = 10;
        m.prio2 = 50;
        assertThat(fb.checkerFinished(m.checked()).action()).as("not even a reload").isEqualTo(Action.NONE);
    }

    @Test
    void followoverSwitchesOnlyForTheFirstPathOfTheBestGroupToReturn() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.FOLLOWOVER);
        fb.checkerFinished(m.fail("8:16", "8:32"));
        assertDecision(fb.checkerFinished(m.comeUp("8:16")), Action.SWITCH_GROUP, 1);
    }

    @Test
    void followoverLeavesAMapThatAnotherNodeMovedAlone() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.FOLLOWOVER);
        m.nextPg = 2;                                   // moved by someone else; PG 1 is healthy
        assertDecision(fb.checkerFinished(m.checked()), Action.NONE, 1);
        m.down.add("8:64");
        assertDecision(fb.checkerFinished(m.comeUp("8:64")), Action.NONE, 1);     // not in the best group
        m.down.add("8:32");
        // 8:32 comes back, but 8:16 was up all along: it is not the group's first path back
        assertDecision(fb.checkerFinished(m.comeUp("8:32")), Action.NONE, 1);
    }

    @Test
    void followoverWaitsWhenTheOtherPathIsPendingRatherThanDown() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.FOLLOWOVER);
        fb.checkerFinished(m.fail("8:16", "8:32"));
        m.down.remove("8:16");
        // 8:32 is not up (so not usable) but its checker is pending, not down: no failback
        CheckerTick t = new CheckerTick(m.groups(), m.nextPg, Set.of("8:16"), true, false, false, false, Set.of());
        assertDecision(fb.checkerFinished(t), Action.NONE, 1);
        assertDecision(fb.checkerFinished(m.checked()), Action.NONE, 1);          // later passes do not retry
    }

    @Test
    void deferredSwitchesAfterTheCountdownCountingEveryPass() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.deferred(3));
        fb.checkerFinished(m.fail("8:16", "8:32"));
        assertDecision(fb.checkerFinished(m.comeUp("8:16")), Action.NONE, 1);
        assertThat(fb.ticksLeft()).as("N + 1, less this pass").isEqualTo(3);
        assertDecision(fb.checkerFinished(m.idle()), Action.NONE, 1);
        assertThat(fb.ticksLeft()).isEqualTo(2);
        assertDecision(fb.checkerFinished(m.checked()), Action.NONE, 1);         // a normal pass does not restart
        assertThat(fb.ticksLeft()).isEqualTo(1);
        assertDecision(fb.checkerFinished(m.idle()), Action.SWITCH_GROUP, 1);
        assertThat(fb.ticksLeft()).isZero();
    }

    @Test
    void deferredRestartsWhenAnotherPathComesUp() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.deferred(3));
        fb.checkerFinished(m.fail("8:16", "8:32"));
        fb.checkerFinished(m.comeUp("8:16"));
        fb.checkerFinished(m.idle());
        assertThat(fb.ticksLeft()).isEqualTo(2);
        assertDecision(fb.checkerFinished(m.comeUp("8:32")), Action.NONE, 1);
        assertThat(fb.ticksLeft()).isEqualTo(3);
    }

    @Test
    void deferredIsCancelledByAFailingPathAndStartsAgainOnTheNextCheckedPass() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.deferred(3));
        fb.checkerFinished(m.fail("8:16", "8:32"));
        fb.checkerFinished(m.comeUp("8:16", "8:32"));
        assertThat(fb.ticksLeft()).isEqualTo(3);
        assertDecision(fb.checkerFinished(m.fail("8:64")), Action.NONE, 1);
        assertThat(fb.ticksLeft()).isZero();
        assertDecision(fb.checkerFinished(m.idle()), Action.NONE, 1);
        assertThat(fb.ticksLeft()).isZero();
        fb.checkerFinished(m.checked());
        assertThat(fb.ticksLeft()).isEqualTo(3);
    }

    @Test
    void deferredDoesNothingWhenTheKernelIsAlreadyBackWhenTheCountdownEnds() {
        MapState m = new MapState();
        Failback fb = new Failback(FailbackMode.deferred(1));
        fb.checkerFinished(m.fail("8:16", "8:32"));
        fb.checkerFinished(m.comeUp("8:16"));
        m.nextPg = 1;                                     // the admin switched back meanwhile
        assertDecision(fb.checkerFinished(m.idle()), Action.NONE, 1);
    }

    @Test
    void aSingleGroupNeverSwitches() {
        List<PlannedGroup> one = List.of(PlannedGroup.of(List.of(GroupablePath.of("8:16", 1, true))));
        assertThat(Failback.needSwitchPathgroup(FailbackMode.IMMEDIATE, one, 2).needed()).isFalse();
    }

    @Test
    void modesParseAndPrintAsMultipathConf() {
        assertThat(FailbackMode.parse("immediate")).isEqualTo(FailbackMode.IMMEDIATE);
        assertThat(FailbackMode.parse("followover")).isEqualTo(FailbackMode.FOLLOWOVER);
        assertThat(FailbackMode.parse("manual")).isEqualTo(FailbackMode.MANUAL);
        assertThat(FailbackMode.parse("0")).isEqualTo(FailbackMode.MANUAL);
        assertThat(FailbackMode.parse("15")).isEqualTo(FailbackMode.deferred(15));
        assertThat(FailbackMode.deferred(15)).hasToString("15");
        assertThat(FailbackMode.FOLLOWOVER).hasToString("followover");
        assertThatThrownBy(() -> FailbackMode.parse("-3")).hasMessage("invalid value for failback: \"-3\" (expected:"
                + " manual, immediate, followover or a number of seconds)");
        assertThatThrownBy(() -> FailbackMode.parse("soon"))
                .hasMessageStartingWith("invalid value for failback: \"soon\"");
    }
}
