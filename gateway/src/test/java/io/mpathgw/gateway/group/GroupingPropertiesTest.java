package io.mpathgw.gateway.group;

import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * General rules of grouping, ordering, best-group choice and table assembly, checked over many generated maps (a
 * fixed seed per case, printed in every failure message, so a failure replays).
 */
class GroupingPropertiesTest {

    private static final int CASES = 2000;
    private static final int[] PRIOS = {GroupablePath.PRIO_UNDEF, 0, 1, 5, 10, 50, 130};
    private static final String[] SELECTORS = {"round-robin 0", "queue-length 0", "service-time 0"};
    private static final String[] FEATURES = {"0", "2 pg_init_retries 50", "1 queue_if_no_path",
            "3 queue_if_no_path pg_init_retries 5", "2 pg_init_delay_msecs 0"};

    private static List<GroupablePath> paths(Random r) {
        int n = r.nextInt(13);
        List<GroupablePath> paths = new ArrayList<>(n);
        for (int k = 0; k < n; k++)
            paths.add(new GroupablePath("8:" + 16 * (k + 1), PRIOS[r.nextInt(PRIOS.length)], r.nextInt(4) > 0,
                    "SER" + r.nextInt(3), "iqn.2026-01.sim:t" + r.nextInt(2), r.nextInt(4) - 1, 1));
        return paths;
    }

    private static Function<GroupablePath, Object> key(GroupingPolicy policy) {
        return switch (policy) {
            case GROUP_BY_SERIAL -> GroupablePath::serial;
            case GROUP_BY_PRIO -> GroupablePath::priority;
            case GROUP_BY_NODE_NAME -> GroupablePath::targetNodeName;
            case GROUP_BY_TPG -> GroupablePath::tpgId;
            case FAILOVER -> GroupablePath::devT;
            case MULTIBUS -> p -> "";
        };
    }

    @Test
    void everyPolicyPlacesEachPathOnceByItsKeyAndSortsGroups() {
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            List<GroupablePath> paths = paths(r);
            for (GroupingPolicy policy : GroupingPolicy.values()) {
                String where = "seed " + seed + ", " + policy + ", " + paths;
                List<PlannedGroup> groups = PathGrouping.group(policy, paths);
                List<GroupablePath> placed = groups.stream().flatMap(g -> g.paths().stream()).toList();
                assertThat(placed).as(where).containsExactlyInAnyOrderElementsOf(paths);
                Function<GroupablePath, Object> key = key(policy);
                Set<Object> keys = groups.stream().map(g -> key.apply(g.paths().get(0))).collect(Collectors.toSet());
                assertThat(keys).as(where + ": one group per key").hasSize(groups.size());
                for (int i = 0; i < groups.size(); i++) {
                    PlannedGroup g = groups.get(i);
                    assertThat(g.paths()).as(where).allMatch(p -> key.apply(p).equals(key.apply(g.paths().get(0))));
                    assertThat(g.paths()).as(where + ": path-vector order kept")
                            .isSortedAccordingTo(Comparator.comparingInt(paths::indexOf));
                    assertThat(g.priority()).as(where).isEqualTo(PlannedGroup.priorityOf(g.paths()));
                    if (i > 0) assertSortedPair(groups.get(i - 1), g, paths, where);
                }
                assertThat(PathGrouping.pathGroupsInOrder(groups)).as(where).isTrue();
                if (policy == GroupingPolicy.FAILOVER) assertThat(groups).as(where).hasSize(paths.size());
                if (policy == GroupingPolicy.MULTIBUS && !paths.isEmpty())
                    assertThat(groups).as(where).singleElement().extracting(PlannedGroup::paths).isEqualTo(paths);
            }
        }
    }

    /**
     * sort_pathgroups: priority descending, then enabled paths descending; equal groups stay in creation order, which
     * is the order of their first paths in the path vector.
     */
    private static void assertSortedPair(PlannedGroup a, PlannedGroup b, List<GroupablePath> paths, String where) {
        assertThat(a.priority()).as(where).isGreaterThanOrEqualTo(b.priority());
        if (a.priority() > b.priority()) return;
        assertThat(a.enabledPaths()).as(where).isGreaterThanOrEqualTo(b.enabledPaths());
        if (a.enabledPaths() > b.enabledPaths()) return;
        assertThat(paths.indexOf(a.paths().get(0))).as(where + ": stable").isLessThan(paths.indexOf(b.paths().get(0)));
    }

    @Test
    void bestGroupHasAUsablePathAndTheHighestPriorityAmongThoseThatHaveOne() {
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            List<GroupablePath> paths = paths(r);
            GroupingPolicy policy = GroupingPolicy.values()[r.nextInt(GroupingPolicy.values().length)];
            List<PlannedGroup> groups = new ArrayList<>(PathGrouping.group(policy, paths));
            java.util.Collections.shuffle(groups, r);           // any order, as after failovers and prio changes
            String where = "seed " + seed + ", " + groups;
            int best = PathGrouping.bestGroup(groups);
            List<PlannedGroup> usable = groups.stream().filter(g -> g.enabledPaths() > 0).toList();
            if (usable.isEmpty()) {
                assertThat(best).as(where).isEqualTo(1);
                continue;
            }
            PlannedGroup b = groups.get(best - 1);
            assertThat(b.enabledPaths()).as(where).isPositive();
            int top = usable.stream().mapToInt(PlannedGroup::priority).max().orElseThrow();
            assertThat(b.priority()).as(where).isEqualTo(top);
            int mostEnabled = usable.stream().filter(g -> g.priority() == top).mapToInt(PlannedGroup::enabledPaths)
                    .max().orElseThrow();
            assertThat(b.enabledPaths()).as(where).isEqualTo(mostEnabled);
            int first = groups.indexOf(usable.stream()
                    .filter(g -> g.priority() == top && g.enabledPaths() == mostEnabled).findFirst().orElseThrow());
            assertThat(best).as(where + ": the first of equals").isEqualTo(first + 1);
        }
    }

    @Test
    void everyAssembledTableParsesAndPrintsAsTheKernelNormalisesIt() throws TableException {
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            List<GroupablePath> paths = paths(r);
            GroupingPolicy policy = GroupingPolicy.values()[r.nextInt(GroupingPolicy.values().length)];
            List<PlannedGroup> groups = PathGrouping.group(policy, paths);
            String selector = SELECTORS[r.nextInt(SELECTORS.length)];
            String features = FEATURES[r.nextInt(FEATURES.length)];
            NoPathRetry retry = switch (r.nextInt(4)) {
                case 0 -> NoPathRetry.FAIL;
                case 1 -> NoPathRetry.QUEUE;
                case 2 -> NoPathRetry.UNDEF;
                default -> NoPathRetry.checks(1 + r.nextInt(60));
            };
            String hw = r.nextBoolean() ? "0" : "1 alua";
            int best = PathGrouping.bestGroup(groups);
            String table = TableAssembler.assemble(features, hw, selector, groups, best, 1 + r.nextInt(4),
                    r.nextBoolean() ? "priorities" : "uniform", retry);
            String where = "seed " + seed + ": " + table;
            MultipathTable parsed = MultipathTable.parse(table);
            boolean queues = retry.queues() || retry.equals(NoPathRetry.UNDEF) && features.contains("queue_if_no_path");
            assertThat(parsed.features().queueIfNoPath()).as(where).isEqualTo(queues);
            assertThat(parsed.features().pgInitRetries()).as(where)
                    .isEqualTo(features.contains("pg_init_retries")
                            ? Integer.parseInt(features.replaceAll(".* ", "")) : 0);
            assertThat(parsed.hwHandler().present()).as(where).isEqualTo(hw.equals("1 alua"));
            assertThat(parsed.initialPg()).as(where).isEqualTo(groups.isEmpty() ? 0 : best);
            assertThat(parsed.groups().stream().map(g -> g.paths().stream().map(p -> p.name()).toList()).toList())
                    .as(where).isEqualTo(groups.stream()
                            .map(g -> g.paths().stream().map(GroupablePath::devT).toList()).toList());
            assertThat(parsed.groups()).as(where).allMatch(g -> g.perPathArgs() == 1);
            assertThat(parsed.toString()).as(where).isEqualTo(normalised(parsed, groups, selector, best));
        }
    }

    /** dmsetup table after the load: spec §2.2 (features in fixed order, selector's own table args, blank at end). */
    private static String normalised(MultipathTable t, List<PlannedGroup> groups, String selector, int best) {
        StringBuilder sb = new StringBuilder();
        List<String> f = new ArrayList<>();
        if (t.features().queueIfNoPath()) f.add("queue_if_no_path");
        if (t.features().pgInitRetries() > 0) f.add("pg_init_retries " + t.features().pgInitRetries());
        if (t.features().pgInitDelayGiven()) f.add("pg_init_delay_msecs " + t.features().pgInitDelayMsecs());
        sb.append(f.stream().mapToInt(s -> s.split(" ").length).sum());
        f.forEach(s -> sb.append(' ').append(s));
        sb.append(t.hwHandler().present() ? " 1 alua" : " 0");
        sb.append(' ').append(groups.size()).append(' ').append(groups.isEmpty() ? 0 : best);
        String name = selector.split(" ")[0];
        String perPath = name.equals("service-time") ? " 1 1" : " 1";
        for (PlannedGroup g : groups) {
            sb.append(' ').append(name).append(" 0 ").append(g.paths().size())
                    .append(name.equals("service-time") ? " 2" : " 1");
            for (GroupablePath p : g.paths()) sb.append(' ').append(p.devT()).append(perPath);
        }
        return sb.append(' ').toString();
    }

    @Test
    void failbackActsOnlyAsItsModeAllows() {
        for (int seed = 0; seed < CASES; seed++) {
            Random r = new Random(seed);
            FailbackMode mode = switch (r.nextInt(4)) {
                case 0 -> FailbackMode.MANUAL;
                case 1 -> FailbackMode.IMMEDIATE;
                case 2 -> FailbackMode.FOLLOWOVER;
                default -> FailbackMode.deferred(1 + r.nextInt(5));
            };
            Failback fb = new Failback(mode);
            for (int pass = 0; pass < 20; pass++) {
                List<GroupablePath> paths = paths(r);
                List<PlannedGroup> groups = new ArrayList<>(PathGrouping.group(GroupingPolicy.GROUP_BY_SERIAL, paths));
                java.util.Collections.shuffle(groups, r);
                Set<String> all = paths.stream().map(GroupablePath::devT).collect(Collectors.toSet());
                Set<String> cameUp = paths.stream().filter(p -> p.up() && r.nextInt(4) == 0)
                        .map(GroupablePath::devT).collect(Collectors.toSet());
                Set<String> downOrShaky = paths.stream().filter(p -> !p.up() && r.nextBoolean())
                        .map(GroupablePath::devT).collect(Collectors.toSet());
                int nextPg = groups.isEmpty() ? 0 : 1 + r.nextInt(groups.size());
                boolean changed = r.nextInt(5) == 0;
                CheckerTick tick = new CheckerTick(groups, nextPg, cameUp, r.nextBoolean(), r.nextInt(5) == 0,
                        changed, true, downOrShaky);
                FailbackDecision d = fb.checkerFinished(tick);
                String where = "seed " + seed + " pass " + pass + " " + mode + ": " + d + " " + all;
                assertThat(d.bestPg()).as(where).isEqualTo(PathGrouping.bestGroup(groups));
                switch (d.action()) {
                    case NONE -> { }
                    case SWITCH_GROUP -> {
                        assertThat(mode).as(where).isNotEqualTo(FailbackMode.MANUAL);
                        assertThat(groups.size()).as(where).isGreaterThanOrEqualTo(2);
                        assertThat(d.bestPg()).as(where).isNotEqualTo(nextPg);
                        assertThat(PathGrouping.pathGroupsInOrder(groups)).as(where).isTrue();
                        if (mode == FailbackMode.FOLLOWOVER) assertThat(cameUp).as(where).isNotEmpty();
                    }
                    case RELOAD -> {
                        assertThat(mode).as(where).isNotEqualTo(FailbackMode.MANUAL);
                        assertThat(!PathGrouping.pathGroupsInOrder(groups) && groups.size() >= 2
                                || changed && mode == FailbackMode.IMMEDIATE).as(where).isTrue();
                    }
                }
                assertThat(fb.ticksLeft()).as(where).isBetween(0, mode.seconds());
            }
        }
    }
}
