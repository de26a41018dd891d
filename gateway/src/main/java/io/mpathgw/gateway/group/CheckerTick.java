package io.mpathgw.gateway.group;

import java.util.List;
import java.util.Set;

/**
 * What one pass of the checker loop left for one map, the input of multipathd's {@code checker_finished}
 * failback part (spec §7.4, §7.5).
 *
 * @param groups            the map's groups in table order, each path with its checker state and priority now
 * @param nextPg            the kernel's PG field of {@code dmsetup table} ({@code next_pg ?: current_pg ?: 1})
 * @param cameUp            paths whose checker state changed to up or ghost in this pass (multipathd's
 *                          {@code CHECK_PATH_NEW_UP}; sets prio_update to "new path")
 * @param upPathChecked     some path was checked in this pass and is up or ghost (prio_update "normal"); without
 *                          it and without {@code cameUp}, only a running deferred countdown advances
 * @param pathWentDown      some path left up/ghost in this pass: a scheduled deferred failback is cancelled
 * @param prioritiesChanged the priority refresh of this pass changed some path's priority
 * @param groupByPrio       the map is grouped by group_by_prio (changed priorities under immediate then regroup)
 * @param downOrShaky       paths whose checker state is down or shaky now ({@code followover} looks at them)
 */
public record CheckerTick(List<PlannedGroup> groups, int nextPg, Set<String> cameUp, boolean upPathChecked,
                          boolean pathWentDown, boolean prioritiesChanged, boolean groupByPrio,
                          Set<String> downOrShaky) {

    public CheckerTick {
        groups = List.copyOf(groups);
        cameUp = Set.copyOf(cameUp);
        downOrShaky = Set.copyOf(downOrShaky);
    }

    /** multipathd's prio_update for this pass: a path came up, some up path was checked, or nothing. */
    boolean newPath() {
        return !cameUp.isEmpty();
    }

    boolean priorityUpdate() {
        return newPath() || upPathChecked;
    }
}
