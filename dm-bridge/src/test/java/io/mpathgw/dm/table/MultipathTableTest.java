package io.mpathgw.dm.table;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The table grammar against the kernel: every line of kernel-golden/tables.golden, one case per ti->error row of
 * spec §1.7 (table-errors.cases) and mpathgw's normalisation cases (tables.cases). A table that loads prints
 * exactly what {@code dmsetup table} printed, trailing blank included, and printing is a fixed point.
 */
class MultipathTableTest {

    static Stream<Arguments> cases() {
        return Stream.of("/dm/tables.golden", "/dm/table-errors.cases", "/dm/tables.cases")
                .flatMap(r -> TableCases.load(r).stream());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void parsesAndPrintsLikeTheKernel(String where, String params, String expected) throws TableException {
        if (expected.startsWith("ERR:")) {
            assertThatThrownBy(() -> MultipathTable.parse(params))
                    .isInstanceOf(TableException.class)
                    .hasMessage(expected.substring(4));
            return;
        }
        String printed = MultipathTable.parse(params).toString();
        assertThat(printed).isEqualTo(expected + " ");                      // the kernel's trailing blank
        assertThat(MultipathTable.parse(printed).toString()).isEqualTo(printed);
    }

    @Test
    void goldenCaseCountsAreAllThere() {
        assertThat(TableCases.load("/dm/tables.golden")).hasSize(40);
        assertThat(TableCases.load("/dm/tables-status.golden")).hasSize(25);
    }

    @Test
    void errorsSayWhereInDetail() {
        assertThatThrownBy(() -> MultipathTable.parse("0 0 2000 1"))
                .isInstanceOf(TableException.class)
                .hasMessage("invalid number of priority groups")
                .extracting(e -> ((TableException) e).detail())
                .isEqualTo("token 3: '2000' (expected: 0..1024)");
    }

    @Test
    void blanksTabsAndNewlinesSeparateWords() throws TableException {
        assertThat(MultipathTable.parse("\t0  0\n1 1 round-robin 0 1 0\r8:16 ").toString())
                .isEqualTo("0 0 1 1 round-robin 0 1 1 8:16 1 ");
    }

    @Test
    void keepsWhatTheEngineNeeds() throws TableException {
        MultipathTable t = MultipathTable.parse(
                "3 queue_if_no_path pg_init_retries 50 2 alua 1 2 2 "
                        + "round-robin 0 1 1 8:16 1 service-time 0 1 2 8:32 1 50");
        assertThat(t.features().queueIfNoPath()).isTrue();
        assertThat(t.features().pgInitRetries()).isEqualTo(50);
        assertThat(t.features().effectivePgInitDelayMsecs()).isEqualTo(2000);
        assertThat(t.hwHandler()).isEqualTo(new HwHandlerSpec("alua", List.of("1")));
        assertThat(t.hwHandler().scsiDhParams()).isEqualTo("1\u00001\u0000");
        assertThat(t.initialPg()).isEqualTo(2);
        assertThat(t.groups()).extracting(g -> g.selector().name()).containsExactly("round-robin", "service-time");
        assertThat(t.groups().get(1).paths()).containsExactly(new PathSpec("8:32", List.of("1", "50")));
    }

    @Test
    void bioModeLogsThatHandlerArgsAreDropped() throws TableException {
        assertThat(MultipathTable.parse("2 queue_mode bio 1 alua 1 1 round-robin 0 1 1 8:16 1").log())
                .containsExactly("device-mapper: multipath: bio-based multipath doesn't allow hardware handler args");
    }
}
