package io.mpathgw.gateway.group;

import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableAssemblerTest {

    private static GroupablePath up(String devT, int prio) {
        return GroupablePath.of(devT, prio, true);
    }

    /** The NetApp ONTAP LUN of spec §7.8 and the two-group ALUA map of §7.10: sdd (8:48) is failed. */
    private static List<GroupablePath> ontapPaths(boolean sddUp) {
        return List.of(up("8:0", 50), up("8:16", 10), up("8:32", 50), GroupablePath.of("8:48", 10, sddUp));
    }

    @Test
    void ontapMapOfSpec78IsTheStringMultipathToolsLoads() throws TableException {
        List<PlannedGroup> groups = PathGrouping.group("group_by_prio", ontapPaths(true));
        String table = TableAssembler.assemble("2 pg_init_retries 50", "1 alua", "service-time 0", groups,
                PathGrouping.bestGroup(groups), 1, "uniform", NoPathRetry.QUEUE);
        assertThat(table).isEqualTo("3 pg_init_retries 50 queue_if_no_path 1 alua 2 1 service-time 0 2 1 8:0 1 8:32 1"
                + " service-time 0 2 1 8:16 1 8:48 1");
        // the kernel reorders the features and prints service-time's two table args per path (spec §2.2)
        assertThat(MultipathTable.parse(table).toString()).isEqualTo("3 queue_if_no_path pg_init_retries 50 1 alua"
                + " 2 1 service-time 0 2 2 8:0 1 1 8:32 1 1 service-time 0 2 2 8:16 1 1 8:48 1 1 ");
    }

    @Test
    void twoGroupAluaMapOfSpec710() throws TableException {
        List<PlannedGroup> groups = PathGrouping.group("group_by_prio", ontapPaths(false));
        // multipath -ll: "policy='service-time 0' prio=50 status=active" over sda, sdc; "prio=10" over sdb, sdd
        assertThat(groups).extracting(PlannedGroup::priority).containsExactly(50, 10);
        assertThat(groups.get(1).enabledPaths()).isEqualTo(1);
        MultipathTable parsed = MultipathTable.parse(TableAssembler.assemble("2 pg_init_retries 50", "1 alua",
                "service-time 0", groups, PathGrouping.bestGroup(groups), 1, null, NoPathRetry.QUEUE));
        String printed = parsed.toString();
        // features='3 queue_if_no_path pg_init_retries 50' hwhandler='1 alua'
        assertThat(printed).startsWith("3 queue_if_no_path pg_init_retries 50 1 alua 2 1 ");
        assertThat(parsed.groups()).extracting(g -> g.paths().stream().map(p -> p.name()).toList())
                .containsExactly(List.of("8:0", "8:32"), List.of("8:16", "8:48"));
    }

    @ParameterizedTest(name = "{0} with no_path_retry {1}")
    @CsvSource(delimiter = '|', value = {
            "0|fail|0",
            "0|undef|0",
            "0|queue|1 queue_if_no_path",
            "0|12|1 queue_if_no_path",
            "1 queue_if_no_path|undef|1 queue_if_no_path",        // legacy feature read as no_path_retry queue
            "1 queue_if_no_path|fail|0",                          // no_path_retry wins, the feature goes
            "1 Queue_If_No_Path|fail|0",
            "3 queue_if_no_path pg_init_retries 50|12|3 pg_init_retries 50 queue_if_no_path",
            "2 pg_init_retries 50|fail|2 pg_init_retries 50",
            "1 retain_attached_hw_handler|fail|0",                // only re-added for kernels before 4.3
            "4 pg_init_delay_msecs 2500 queue_mode bio|queue|5 pg_init_delay_msecs 2500 queue_mode bio queue_if_no_path",
            "  2   pg_init_retries   7 |fail|2 pg_init_retries 7",
    })
    void featuresFollowNoPathRetry(String features, String noPathRetry, String expected) {
        NoPathRetry retry = noPathRetry.equals("undef") ? NoPathRetry.UNDEF : NoPathRetry.parse(noPathRetry);
        assertThat(TableAssembler.features(features, retry, false)).isEqualTo(expected);
    }

    @Test
    void aTimedOutCountdownKeepsQueueingOffButQueueStaysQueue() {
        assertThat(TableAssembler.features("0", NoPathRetry.checks(12), true)).isEqualTo("0");
        assertThat(TableAssembler.features("0", NoPathRetry.QUEUE, true)).isEqualTo("1 queue_if_no_path");
    }

    @Test
    void featuresTheKernelNormalises() throws TableException {
        String table = TableAssembler.assemble("4 pg_init_delay_msecs 2500 queue_mode bio", "0", "round-robin 0",
                List.of(PlannedGroup.of(List.of(up("8:16", 1)))), 1, 1, "uniform", NoPathRetry.checks(3));
        assertThat(MultipathTable.parse(table).toString()).isEqualTo(
                "6 queue_if_no_path pg_init_delay_msecs 2500 retain_attached_hw_handler queue_mode bio 0 1 1"
                        + " round-robin 0 1 1 8:16 1 ");
    }

    @Test
    void rrWeightPrioritiesMultipliesByPositivePrioritiesOnly() throws TableException {
        List<PlannedGroup> groups = List.of(PlannedGroup.of(List.of(up("8:16", 50), up("8:32", 10), up("8:48", 0),
                up("8:64", GroupablePath.PRIO_UNDEF))));
        String table = TableAssembler.assemble("0", "0", "round-robin 0", groups, 1, 3, "priorities",
                NoPathRetry.FAIL);
        assertThat(table).isEqualTo("0 0 1 1 round-robin 0 4 1 8:16 150 8:32 30 8:48 3 8:64 3");
        // the kernel clamps round-robin's repeat count to 1 in its table (spec §2.2, §2.5 J)
        assertThat(MultipathTable.parse(table).toString())
                .isEqualTo("0 0 1 1 round-robin 0 4 1 8:16 1 8:32 1 8:48 1 8:64 1 ");
        assertThat(TableAssembler.assemble("0", "0", "round-robin 0", groups, 1, 3, "uniform", NoPathRetry.FAIL))
                .isEqualTo("0 0 1 1 round-robin 0 4 1 8:16 3 8:32 3 8:48 3 8:64 3");
    }

    @Test
    void noGroupsGiveTheEmptyMap() throws TableException {
        String table = TableAssembler.assemble("0", "0", "service-time 0", List.of(), 1, 1, null, NoPathRetry.FAIL);
        assertThat(table).isEqualTo("0 0 0 0");
        assertThat(MultipathTable.parse(table).toString()).isEqualTo("0 0 0 0 ");
    }

    @Test
    void theInitialGroupIsTheBestOne() throws TableException {
        // grouping afresh sorts the dead 50 group last ...
        List<PlannedGroup> groups = PathGrouping.group("failover",
                List.of(GroupablePath.of("8:16", 50, false), up("8:32", 10)));
        assertThat(groups).extracting(PlannedGroup::priority).containsExactly(10, 0);
        // ... but in a layout planned while it was alive, the best group is the second one, and the table starts there
        groups = List.of(new PlannedGroup(50, List.of(GroupablePath.of("8:16", 50, false))),
                new PlannedGroup(10, List.of(up("8:32", 10))));
        int best = PathGrouping.bestGroup(groups);
        assertThat(best).isEqualTo(2);
        assertThat(MultipathTable.parse(TableAssembler.assemble("0", "0", "queue-length 0", groups, best, 1, null,
                NoPathRetry.FAIL)).toString())
                .isEqualTo("0 0 2 2 queue-length 0 1 1 8:16 1 queue-length 0 1 1 8:32 1 ");
    }

    @Test
    void badFieldsAreNamed() {
        List<PlannedGroup> one = List.of(PlannedGroup.of(List.of(up("8:16", 1))));
        assertThatThrownBy(() -> TableAssembler.assemble("2 pg_init_retries", "0", "service-time 0", one, 1, 1, null,
                NoPathRetry.FAIL)).hasMessage("features: \"2 pg_init_retries\" (expected: a count followed by that "
                + "many words, e.g. \"0\" or \"2 pg_init_retries 50\")");
        assertThatThrownBy(() -> TableAssembler.assemble("0", "alua", "service-time 0", one, 1, 1, null,
                NoPathRetry.FAIL)).hasMessageStartingWith("hardware_handler: \"alua\" (expected: a count");
        assertThatThrownBy(() -> TableAssembler.assemble("0", "0", "service-time", one, 1, 1, null,
                NoPathRetry.FAIL)).hasMessageStartingWith("path_selector: \"service-time\" (expected: a selector");
        assertThatThrownBy(() -> TableAssembler.assemble("0", "0", "service-time 0", one, 2, 1, null,
                NoPathRetry.FAIL)).hasMessage("initial path group: 2 (expected: 1..1)");
        assertThatThrownBy(() -> TableAssembler.assemble("0", "0", "service-time 0", one, 1, 0, null,
                NoPathRetry.FAIL)).hasMessage("rr_min_io_rq: 0 (expected: >= 1)");
        assertThatThrownBy(() -> TableAssembler.assemble("0", "0", "service-time 0", one, 1, 1, "weighted",
                NoPathRetry.FAIL)).hasMessage("rr_weight: \"weighted\" (expected: uniform or priorities)");
    }
}
