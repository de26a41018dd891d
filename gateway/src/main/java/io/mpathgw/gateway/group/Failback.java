package io.mpathgw.gateway.group;

import java.util.List;

/**
 * A map's automatic failback, as multipathd decides it after each checker pass (spec §7.4; multipathd's
 * {@code update_mpp_prio}, {@code need_switch_pathgroup}, {@code followover_should_failback},
 * {@code deferred_failback_tick}). One per map; holds the deferred countdown, so it is used on the map's thread
 * only.
 */
public final class Failback {

    private final FailbackMode mode;
    /** multipathd's failback_tick: checker passes left before a deferred switch, 0 when none is scheduled. */
    private int failbackTick;

    public Failback(FailbackMode mode) {
        this.mode = mode;
    }

    public FailbackMode mode() {
        return mode;
    }

    /** Checker passes left before a deferred failback, 0 when none is scheduled. */
    public int ticksLeft() {
        return failbackTick;
    }

    /** checker_finished for this map: the priority refresh's failback part, then the deferred countdown. */
    public FailbackDecision checkerFinished(CheckerTick tick) {
        if (tick.pathWentDown()) failbackTick = 0;           // check_path: a failing path cancels it
        FailbackDecision now = tick.priorityUpdate() ? afterPriorityUpdate(tick) : null;
        FailbackDecision deferred = deferredTick(tick);
        if (now != null && now.action() != FailbackDecision.Action.NONE) return now;
        if (deferred != null) return deferred;
        return now != null ? now : FailbackDecision.none(PathGrouping.bestGroup(tick.groups()), "no path checked");
    }

    /** update_mpp_prio, after the priorities were refreshed. */
    private FailbackDecision afterPriorityUpdate(CheckerTick tick) {
        int best = PathGrouping.bestGroup(tick.groups());
        if (tick.prioritiesChanged() && tick.groupByPrio() && mode.kind() == FailbackMode.Kind.IMMEDIATE)
            return new FailbackDecision(FailbackDecision.Action.RELOAD, best, "path priorities changed. reloading");
        SwitchNeed need = needSwitchPathgroup(mode, tick.groups(), tick.nextPg());
        if (!need.needed()) return FailbackDecision.none(best, need.reason());
        if (mode.kind() == FailbackMode.Kind.DEFERRED && (tick.newPath() || failbackTick <= 0)) {
            failbackTick = mode.seconds() + 1;
            return FailbackDecision.none(best, "failback deferred: " + failbackTick + " ticks");
        }
        if (mode.kind() == FailbackMode.Kind.IMMEDIATE
                || tick.newPath() && followoverShouldFailback(mode, tick, best))
            return act(need);
        return FailbackDecision.none(best, need.reason() + "; failback " + mode + " waits");
    }

    /** deferred_failback_tick: count down; at 0 switch (or reload) if a switch is still needed. */
    private FailbackDecision deferredTick(CheckerTick tick) {
        if (mode.kind() != FailbackMode.Kind.DEFERRED || failbackTick <= 0) return null;
        failbackTick--;
        if (failbackTick > 0) return null;
        SwitchNeed need = needSwitchPathgroup(mode, tick.groups(), tick.nextPg());
        return need.needed() ? act(need) : FailbackDecision.none(need.bestPg(), "deferred failback: " + need.reason());
    }

    private static FailbackDecision act(SwitchNeed need) {
        if (need.reload())
            return new FailbackDecision(FailbackDecision.Action.RELOAD, need.bestPg(), "path groups out of order");
        return new FailbackDecision(FailbackDecision.Action.SWITCH_GROUP, need.bestPg(),
                "switch to path group #" + need.bestPg());
    }

    /**
     * Whether multipathd would switch (or reload) now, ignoring how its failback mode paces it.
     *
     * @param bestPg the best group, 1-based
     * @param reload the groups are out of priority order, so a switch_group cannot fix it: reload the table
     */
    public record SwitchNeed(boolean needed, int bestPg, boolean reload, String reason) {
    }

    /**
     * need_switch_pathgroup: with at least two groups and a mode other than manual, a switch is needed when the
     * groups are out of order or the best group is not the kernel's next one.
     */
    public static SwitchNeed needSwitchPathgroup(FailbackMode mode, List<PlannedGroup> groups, int nextPg) {
        int best = PathGrouping.bestGroup(groups);
        if (groups.size() < 2) return new SwitchNeed(false, best, false, "fewer than two path groups");
        if (mode.kind() == FailbackMode.Kind.MANUAL) return new SwitchNeed(false, best, false, "failback manual");
        boolean reload = !PathGrouping.pathGroupsInOrder(groups);
        if (reload) return new SwitchNeed(true, best, true, "path groups out of order");
        if (best != nextPg) return new SwitchNeed(true, best, false, "best group " + best + ", next " + nextPg);
        return new SwitchNeed(false, best, false, "best group " + best + " is the next group");
    }

    /**
     * followover_should_failback: a path that came up in this pass sits in the best group, and every other path of
     * that group is down or shaky: it is the group's first path back.
     */
    static boolean followoverShouldFailback(FailbackMode mode, CheckerTick tick, int best) {
        if (mode.kind() != FailbackMode.Kind.FOLLOWOVER || best < 1 || best > tick.groups().size()) return false;
        List<GroupablePath> bestPaths = tick.groups().get(best - 1).paths();
        for (GroupablePath p : bestPaths) {
            if (!tick.cameUp().contains(p.devT())) continue;
            boolean othersDown = bestPaths.stream().filter(o -> o != p)
                    .allMatch(o -> tick.downOrShaky().contains(o.devT()));
            if (othersDown) return true;
        }
        return false;
    }
}
