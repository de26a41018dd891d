package io.mpathgw.gateway.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Path groups as multipath-tools forms and ranks them (spec §7.3; {@code pgpolicies.c}, {@code switchgroup.c}):
 * {@code group_paths} then {@code sort_pathgroups}, {@code select_path_group} and {@code path_groups_in_order}.
 * Marginal path groups ({@code marginal_pathgroups on}) are not modelled: every path is normal.
 */
public final class PathGrouping {

    /**
     * sort_pathgroups: higher priority first, then more enabled paths; equal groups keep their order (its insertion
     * sort is stable, as is {@link List#sort}).
     */
    static final Comparator<PlannedGroup> PG_ORDER = Comparator.comparingInt(PlannedGroup::priority).reversed()
            .thenComparing(Comparator.comparingInt(PlannedGroup::enabledPaths).reversed());

    private PathGrouping() {
    }

    /**
     * Groups {@code paths} (in path-vector order, each dev_t once) by the named policy and sorts the groups as
     * multipath-tools does; no paths give no groups.
     *
     * @throws IllegalArgumentException naming a bad policy or a path listed twice
     */
    public static List<PlannedGroup> group(String policy, List<GroupablePath> paths) {
        return group(GroupingPolicy.parse(policy), paths);
    }

    public static List<PlannedGroup> group(GroupingPolicy policy, List<GroupablePath> paths) {
        requireDistinct(paths);
        List<List<GroupablePath>> clusters = switch (policy) {
            case FAILOVER -> paths.stream().map(List::of).toList();
            case MULTIBUS -> paths.isEmpty() ? List.of() : List.of(paths);
            default -> byMatch(paths, policy.match());
        };
        List<PlannedGroup> groups = new ArrayList<>(clusters.size());
        for (List<GroupablePath> c : clusters) groups.add(PlannedGroup.of(c));
        groups.sort(PG_ORDER);
        return List.copyOf(groups);
    }

    /** group_by_match: each unplaced path opens a group and takes every later unplaced path that matches it. */
    private static List<List<GroupablePath>> byMatch(List<GroupablePath> paths,
                                                     BiPredicate<GroupablePath, GroupablePath> match) {
        boolean[] placed = new boolean[paths.size()];
        List<List<GroupablePath>> clusters = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (placed[i]) continue;
            GroupablePath first = paths.get(i);
            List<GroupablePath> cluster = new ArrayList<>();
            cluster.add(first);
            for (int j = i + 1; j < paths.size(); j++) {
                if (!placed[j] && match.test(first, paths.get(j))) {
                    cluster.add(paths.get(j));
                    placed[j] = true;
                }
            }
            clusters.add(cluster);
        }
        return clusters;
    }

    private static void requireDistinct(List<GroupablePath> paths) {
        Set<String> seen = new HashSet<>();
        for (GroupablePath p : paths)
            if (!seen.add(p.devT()))
                throw new IllegalArgumentException("path " + p.devT() + ": listed twice (expected: each path once)");
    }

    /**
     * select_path_group: the 1-based number of the best group, priorities recomputed from the paths' current state.
     * Only groups with an up/ghost path count; the first of them is taken, then a later one only with a strictly
     * higher priority, or the same priority and strictly more enabled paths. 1 when no group has a usable path.
     */
    public static int bestGroup(List<PlannedGroup> groups) {
        int best = 1;
        boolean found = false;
        int maxPriority = 0;
        int maxEnabled = 1;
        for (int i = 0; i < groups.size(); i++) {
            List<GroupablePath> paths = groups.get(i).paths();
            int enabled = (int) paths.stream().filter(GroupablePath::up).count();
            if (enabled == 0) continue;
            int priority = PlannedGroup.priorityOf(paths);
            if (!found || priority > maxPriority || priority == maxPriority && enabled > maxEnabled) {
                found = true;
                maxPriority = priority;
                maxEnabled = enabled;
                best = i + 1;
            }
        }
        return best;
    }

    /**
     * path_groups_in_order: no group has a higher (recomputed) priority than one before it; groups whose priority is
     * PRIO_UNDEF are skipped (likely temporary). When false, multipathd reloads the map instead of switching groups.
     */
    public static boolean pathGroupsInOrder(List<PlannedGroup> groups) {
        int last = Integer.MAX_VALUE;
        for (PlannedGroup g : groups) {
            int priority = PlannedGroup.priorityOf(g.paths());
            if (priority == GroupablePath.PRIO_UNDEF) continue;
            if (priority > last) return false;
            last = priority;
        }
        return true;
    }
}
