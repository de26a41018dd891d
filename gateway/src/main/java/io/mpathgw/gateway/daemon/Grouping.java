package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.NoPathRetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Path grouping and table assembly as multipath-tools does them (spec §7.3, §7.8): first-match clustering in path
 * order, PGs sorted by descending priority then enabled paths, best PG, and the table line. The daemon's own until
 * the gateway's group package takes over; map thread only (reads path states).
 */
final class Grouping {

    private Grouping() {
    }

    /** The groups of {@code paths} under {@code policy}, best first. */
    static List<List<GatewayPath>> group(String policy, List<GatewayPath> paths) {
        List<List<GatewayPath>> groups = switch (policy) {
            case "multibus" -> paths.isEmpty() ? List.of() : List.of(new ArrayList<>(paths));
            case "group_by_prio" -> cluster(paths, p -> p.prio.value());
            case "group_by_serial" -> cluster(paths, p -> p.id.serial());
            case "group_by_tpg" -> cluster(paths, p -> p.id.tpg());
            case "failover" -> paths.stream().map(p -> (List<GatewayPath>) new ArrayList<>(List.of(p))).toList();
            default -> throw new IllegalArgumentException("path_grouping_policy: \"" + policy
                    + "\" (expected: failover, multibus, group_by_prio, group_by_serial or group_by_tpg)");
        };
        List<List<GatewayPath>> sorted = new ArrayList<>(groups);
        // stable: equal groups keep path order, as multipath-tools' insertion sort
        sorted.sort((a, b) -> {
            int c = Integer.compare(priority(b), priority(a));
            return c != 0 ? c : Integer.compare(enabled(b), enabled(a));
        });
        return sorted;
    }

    private static List<List<GatewayPath>> cluster(List<GatewayPath> paths, Function<GatewayPath, Object> key) {
        Map<Object, List<GatewayPath>> byKey = new LinkedHashMap<>();
        for (GatewayPath p : paths) byKey.computeIfAbsent(key.apply(p), k -> new ArrayList<>()).add(p);
        return new ArrayList<>(byKey.values());
    }

    /** Integer average of the usable paths' defined priorities; -1 if none has one; 0 without a usable path. */
    static int priority(List<GatewayPath> group) {
        int usable = 0, defined = 0;
        long sum = 0;
        for (GatewayPath p : group) {
            if (!usable(p)) continue;
            usable++;
            if (p.prio.value() >= 0) {
                defined++;
                sum += p.prio.value();
            }
        }
        if (usable == 0) return 0;
        return defined == 0 ? PathPrio.UNDEF : (int) (sum / defined);
    }

    static int enabled(List<GatewayPath> group) {
        return (int) group.stream().filter(Grouping::usable).count();
    }

    /** Not yet checked counts as usable: a new map is planned before its first check. */
    private static boolean usable(GatewayPath p) {
        return !p.removed && (p.state.usable() || p.state == CheckState.UNCHECKED || p.state == CheckState.PENDING);
    }

    /** select_path_group: among groups with an enabled path, highest priority, then most enabled; 1 by default. */
    static int bestGroup(List<List<GatewayPath>> groups) {
        int best = 1, bestPrio = Integer.MIN_VALUE, bestEnabled = -1;
        for (int i = 0; i < groups.size(); i++) {
            int enabled = enabled(groups.get(i));
            if (enabled == 0) continue;
            int prio = priority(groups.get(i));
            if (prio > bestPrio || prio == bestPrio && enabled > bestEnabled) {
                best = i + 1;
                bestPrio = prio;
                bestEnabled = enabled;
            }
        }
        return best;
    }

    /** Same groups with the same members, in the same order? (Otherwise multipathd reloads.) */
    static boolean samePlan(List<List<GatewayPath>> a, List<List<GatewayPath>> b) {
        return Objects.equals(a, b);
    }

    /**
     * assemble_map: {@code <features> <hwhandler> <#PGs> <bestpg>}, per PG {@code <selector> <#paths> 1}, per path
     * {@code <maj:min> <rr_min_io>}. queue_if_no_path comes from no_path_retry, not from the configured features.
     */
    static String assemble(MapSettings s, String hwHandler, List<List<GatewayPath>> groups, int bestPg) {
        List<String> features = new ArrayList<>();
        List<String> words = List.of(s.features().trim().split("\\s+"));
        for (int i = 1; i < words.size(); i++) if (!words.get(i).equals("queue_if_no_path")) features.add(words.get(i));
        NoPathRetry r = s.noPathRetry();
        if (r.queues()) features.add("queue_if_no_path");
        StringBuilder b = new StringBuilder().append(features.size());
        for (String f : features) b.append(' ').append(f);
        b.append(hwHandler.isEmpty() ? " 0" : " 1 " + hwHandler);
        b.append(' ').append(groups.size()).append(' ').append(groups.isEmpty() ? 0 : bestPg);
        for (List<GatewayPath> g : groups) {
            b.append(' ').append(s.pathSelector()).append(' ').append(g.size()).append(" 1");
            for (GatewayPath p : g) b.append(' ').append(p.devT).append(' ').append(s.rrMinIo());
        }
        return b.toString();
    }
}
