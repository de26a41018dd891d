package io.mpathgw.gateway.group;

import java.util.List;

/**
 * One path group as multipath-tools plans it: its paths in path-vector order and its priority
 * ({@code path_group_prio_update}, see {@link #of}). PGs are numbered from 1 in list order, as in the table.
 *
 * @param priority the PG priority when the group was planned; {@link PathGrouping#bestGroup} recomputes it from the
 *                 paths' current state, as {@code select_path_group} does
 */
public record PlannedGroup(int priority, List<GroupablePath> paths) {

    public PlannedGroup {
        paths = List.copyOf(paths);
        if (paths.isEmpty())    // the kernel refuses a PG without paths ("invalid number of paths")
            throw new IllegalArgumentException("paths: [] (expected: at least one path in a priority group)");
    }

    /** A group with its priority computed from its paths now. */
    public static PlannedGroup of(List<GroupablePath> paths) {
        return new PlannedGroup(priorityOf(paths), paths);
    }

    /**
     * {@code path_group_prio_update}: the integer average (truncated, C division) of the defined priorities of the
     * up/ghost paths; PRIO_UNDEF if some path is usable but none has a priority; 0 if no path is usable.
     */
    public static int priorityOf(List<GroupablePath> paths) {
        long sum = 0;
        int defined = 0;
        int enabled = 0;
        for (GroupablePath p : paths) {
            if (!p.up()) continue;
            enabled++;
            if (p.priority() == GroupablePath.PRIO_UNDEF) continue;
            sum += p.priority();
            defined++;
        }
        if (defined > 0) return (int) (sum / defined);
        return enabled > 0 ? GroupablePath.PRIO_UNDEF : 0;
    }

    /** {@code enabled_paths}: how many paths are up or ghost. */
    public int enabledPaths() {
        int n = 0;
        for (GroupablePath p : paths) if (p.up()) n++;
        return n;
    }

    /** The same paths re-evaluated: priority recomputed from their current state. */
    public PlannedGroup refreshed() {
        return of(paths);
    }
}
