package io.mpathgw.gateway.group;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mpathgw.gateway.group.GroupablePath.PRIO_UNDEF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathGroupingTest {

    private static GroupablePath up(String devT, int prio) {
        return GroupablePath.of(devT, prio, true);
    }

    private static GroupablePath down(String devT, int prio) {
        return GroupablePath.of(devT, prio, false);
    }

    private static GroupablePath tagged(String devT, int prio, String serial, String node, int tpg) {
        return new GroupablePath(devT, prio, true, serial, node, tpg, 1);
    }

    /** Each group as "prio:[devT, …]", to compare a whole layout in one assertion. */
    private static List<String> layout(List<PlannedGroup> groups) {
        return groups.stream().map(g -> g.priority() + ":" + g.paths().stream().map(GroupablePath::devT).toList())
                .toList();
    }

    @Test
    void failoverPutsEachPathInItsOwnGroupBestFirstTiesInPathOrder() {
        List<PlannedGroup> groups = PathGrouping.group("failover",
                List.of(up("8:16", 10), up("8:32", 50), down("8:48", 50), up("8:64", 10), up("8:80", 50)));
        // the down path's group has no usable path, so its priority is 0 whatever the path's own value
        assertThat(layout(groups)).containsExactly("50:[8:32]", "50:[8:80]", "10:[8:16]", "10:[8:64]", "0:[8:48]");
    }

    @Test
    void multibusIsOneGroupWhosePriorityIsTheTruncatedAverageOfUsablePaths() {
        List<PlannedGroup> groups = PathGrouping.group("multibus",
                List.of(up("8:16", 50), up("8:32", 10), up("8:48", 5), down("8:64", 130), up("8:80", PRIO_UNDEF)));
        // (50 + 10 + 5) / 3 = 21 (65/3 truncated); the down path and the undefined priority do not count
        assertThat(layout(groups)).containsExactly("21:[8:16, 8:32, 8:48, 8:64, 8:80]");
        assertThat(groups.get(0).enabledPaths()).isEqualTo(4);
    }

    @Test
    void groupByPrioClustersEqualPrioritiesInFirstMatchOrder() {
        List<PlannedGroup> groups = PathGrouping.group("group_by_prio",
                List.of(up("8:0", 10), up("8:16", 50), up("8:32", 10), up("8:48", 50), up("8:64", 1)));
        assertThat(layout(groups)).containsExactly("50:[8:16, 8:48]", "10:[8:0, 8:32]", "1:[8:64]");
    }

    @Test
    void groupByPrioGroupsByTheRawValueSoADownPathStaysWithItsPriority() {
        List<PlannedGroup> groups = PathGrouping.group("group_by_prio",
                List.of(down("8:0", 50), up("8:16", 10), up("8:32", 50)));
        assertThat(layout(groups)).containsExactly("50:[8:0, 8:32]", "10:[8:16]");
    }

    @Test
    void groupBySerialNodeNameAndTpgUseTheirOwnKeys() {
        List<GroupablePath> paths = List.of(
                tagged("8:0", 50, "SER-A", "iqn.t1", 1), tagged("8:16", 10, "SER-B", "iqn.t2", 2),
                tagged("8:32", 50, "SER-B", "iqn.t1", 2), tagged("8:48", 10, "SER-A", "iqn.t2", 1));
        assertThat(layout(PathGrouping.group("group_by_serial", paths)))
                .containsExactly("30:[8:0, 8:48]", "30:[8:16, 8:32]");
        assertThat(layout(PathGrouping.group("group_by_node_name", paths)))
                .containsExactly("50:[8:0, 8:32]", "10:[8:16, 8:48]");
        assertThat(layout(PathGrouping.group("group_by_tpg", paths)))
                .containsExactly("30:[8:0, 8:48]", "30:[8:16, 8:32]");
    }

    @Test
    void groupByTpgPutsPathsWithoutATpgTogether() {
        List<GroupablePath> paths = List.of(tagged("8:0", 1, "", "", GroupablePath.TPG_NONE),
                tagged("8:16", 50, "", "", 7), tagged("8:32", 1, "", "", GroupablePath.TPG_NONE));
        assertThat(layout(PathGrouping.group("group_by_tpg", paths))).containsExactly("50:[8:16]", "1:[8:0, 8:32]");
    }

    @Test
    void equalPriorityGroupsAreOrderedByEnabledPathsThenStay() {
        // both groups average 10; the later one has two usable paths against one, so it moves first
        List<PlannedGroup> groups = PathGrouping.group("group_by_serial", List.of(
                tagged("8:0", 10, "A", "", -1), new GroupablePath("8:16", 10, false, "A", "", -1, 1),
                tagged("8:32", 10, "B", "", -1), tagged("8:48", 10, "B", "", -1)));
        assertThat(layout(groups)).containsExactly("10:[8:32, 8:48]", "10:[8:0, 8:16]");
    }

    @Test
    void groupPriorityIsUndefWhenUsablePathsHaveNoneAndZeroWhenNoPathIsUsable() {
        assertThat(PlannedGroup.priorityOf(List.of(up("8:0", PRIO_UNDEF), down("8:16", 50)))).isEqualTo(PRIO_UNDEF);
        assertThat(PlannedGroup.priorityOf(List.of(down("8:0", 50), down("8:16", 50)))).isZero();
        assertThat(PlannedGroup.priorityOf(List.of(up("8:0", 1), up("8:16", 0)))).isZero();   // 1/2 truncates
        // undefined groups sort below a group of priority 0
        assertThat(layout(PathGrouping.group("failover", List.of(up("8:0", PRIO_UNDEF), up("8:16", 0)))))
                .containsExactly("0:[8:16]", "-1:[8:0]");
    }

    @Test
    void noPathsGiveNoGroups() {
        for (GroupingPolicy p : GroupingPolicy.values()) assertThat(PathGrouping.group(p, List.of())).isEmpty();
        assertThat(PathGrouping.bestGroup(List.of())).isEqualTo(1);
    }

    @Test
    void bestGroupSkipsGroupsWithoutUsablePathsAndPrefersPriorityThenEnabledPaths() {
        PlannedGroup dead = PlannedGroup.of(List.of(down("8:0", 50)));
        PlannedGroup ten = PlannedGroup.of(List.of(up("8:16", 10)));
        PlannedGroup tenTwice = PlannedGroup.of(List.of(up("8:32", 10), up("8:48", 10)));
        PlannedGroup fifty = PlannedGroup.of(List.of(up("8:64", 50), down("8:80", 50)));
        assertThat(PathGrouping.bestGroup(List.of(dead, ten, tenTwice))).isEqualTo(3);
        assertThat(PathGrouping.bestGroup(List.of(dead, ten, fifty, tenTwice))).isEqualTo(3);
        PlannedGroup tenTwiceMore = PlannedGroup.of(List.of(up("8:96", 10), up("8:112", 10)));
        assertThat(PathGrouping.bestGroup(List.of(tenTwice, tenTwiceMore)))
                .as("first wins a full tie").isEqualTo(1);
        assertThat(PathGrouping.bestGroup(List.of(dead, PlannedGroup.of(List.of(down("8:96", 1))))))
                .as("no usable path anywhere").isEqualTo(1);
    }

    @Test
    void bestGroupRecomputesPrioritiesFromThePathsNotTheStoredValue() {
        PlannedGroup stale = new PlannedGroup(99, List.of(up("8:0", 1)));
        PlannedGroup fresh = PlannedGroup.of(List.of(up("8:16", 50)));
        assertThat(PathGrouping.bestGroup(List.of(stale, fresh))).isEqualTo(2);
    }

    @Test
    void pathGroupsInOrderSkipsUndefinedGroups() {
        PlannedGroup undef = PlannedGroup.of(List.of(up("8:0", PRIO_UNDEF)));
        PlannedGroup fifty = PlannedGroup.of(List.of(up("8:16", 50)));
        PlannedGroup ten = PlannedGroup.of(List.of(up("8:32", 10)));
        assertThat(PathGrouping.pathGroupsInOrder(List.of(fifty, undef, ten))).isTrue();
        assertThat(PathGrouping.pathGroupsInOrder(List.of(undef, ten, fifty))).isFalse();
        assertThat(PathGrouping.pathGroupsInOrder(List.of(ten, ten.refreshed()))).isTrue();
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> PathGrouping.group("group_by_wwn", List.of()))
                .hasMessage("path_grouping_policy: \"group_by_wwn\" (expected: failover, multibus, group_by_serial, "
                        + "group_by_prio, group_by_node_name, group_by_tpg)");
        assertThatThrownBy(() -> PathGrouping.group("failover2", List.of()))
                .hasMessageStartingWith("path_grouping_policy: \"failover2\"");
        assertThatThrownBy(() -> PathGrouping.group("multibus", List.of(up("8:16", 1), up("8:16", 2))))
                .hasMessage("path 8:16: listed twice (expected: each path once)");
        assertThatThrownBy(() -> up("8 16", 1))
                .hasMessage("devT: \"8 16\" (expected: a table path name without blanks)");
        assertThatThrownBy(() -> up("8:16", -3)).hasMessageStartingWith("priority of 8:16: -3 (expected:");
        assertThatThrownBy(() -> new GroupablePath("8:16", 1, true, "", "", 65536, 1))
                .hasMessage("tpgId of 8:16: 65536 (expected: -1 none or 0..65535)");
        assertThatThrownBy(() -> new PlannedGroup(0, List.of()))
                .hasMessage("paths: [] (expected: at least one path in a priority group)");
    }
}
