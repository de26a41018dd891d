package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.iscsi.sim.Personality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in hardware table matched by vendor/product regex, as the simulator, tgt and real arrays report them. */
class HwTableTest {

    private static final String W = "3600a098038303053453f463045727a48";
    private static final MultipathConf NONE = MultipathConf.defaults();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Personality.class)
    void everySimulatorPersonalityHasItsRow(Personality personality) {
        MapPolicy p = NONE.policyFor(personality.defaultVendor(), personality.defaultProduct(), "0001", W);
        String expectedHandler = switch (personality) {
            case ALUA -> "1 alua";
            case RDAC -> "1 rdac";
            case EMC -> "1 emc";
            case HP_SW -> "1 hp_sw";
            case ACTIVE_ACTIVE -> "0";
        };
        assertThat(p.hardwareHandler()).as(personality.name()).isEqualTo(expectedHandler);
        // an alua prio makes detect_pgpolicy pick group_by_prio itself (propsel.c), whatever the row says
        assertThat(p.origins().get("path_grouping_policy")).isEqualTo(personality == Personality.ALUA
                ? "(setting: storage device autodetected)" : "(setting: storage device configuration)");
        assertThat(p.pathGroupingPolicy()).isEqualTo(
                personality == Personality.ACTIVE_ACTIVE ? "multibus" : "group_by_prio");
        assertThat(p.prio()).isEqualTo(switch (personality) {
            case ALUA -> "alua";
            case RDAC -> "rdac";
            case EMC -> "emc";
            case HP_SW -> "hp_sw";
            case ACTIVE_ACTIVE -> "const";
        });
    }

    @Test
    void tgtReportsIetVirtualDisk() {
        MapPolicy p = NONE.policyFor("IET", "VIRTUAL-DISK", "0001", W);
        assertThat(p.pathGroupingPolicy()).isEqualTo("multibus");
        assertThat(p.hardwareHandler()).isEqualTo("0");
        assertThat(p.failback()).isEqualTo(Failback.MANUAL);
        assertThat(p.noPathRetry().value()).isEqualTo(12);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            DGC      | RAID 10          | group_by_prio | emc_clariion | emc   | 1 emc   | 60    | 0
            DGC      | VRAID            | group_by_prio | emc_clariion | emc   | 1 emc   | 60    | 0
            NETAPP   | INF-01-00        | group_by_prio | rdac         | rdac  | 1 rdac  | 30    | 50
            ENGENIO  | INF-01-00        | group_by_prio | rdac         | rdac  | 1 rdac  | 30    | 50
            IBM      | 1814      FAStT  | group_by_prio | rdac         | rdac  | 1 rdac  | 30    | 50
            DELL     | MD32xxi          | group_by_prio | rdac         | rdac  | 1 rdac  | 30    | 50
            LENOVO   | DE_Series        | group_by_prio | rdac         | rdac  | 1 rdac  | 30    | 50
            HP       | MSA1000          | group_by_prio | hp_sw        | hp_sw | 1 hp_sw | 12    | 0
            COMPAQ   | HSV110 (C)COMPAQ | group_by_prio | hp_sw        | hp_sw | 1 hp_sw | 12    | 0
            DEC      | HSG80            | group_by_prio | hp_sw        | hp_sw | 1 hp_sw | queue | 0
            PURE     | FlashArray       | group_by_prio | tur          | alua  | 1 alua  | 12    | 0
            EQLOGIC  | 100E-00          | multibus      | tur          | const | 0       | 30    | 0
            NETAPP   | LUN C-Mode       | group_by_prio | tur          | alua  | 1 alua  | queue | 50
            IBM      | 2145             | group_by_prio | tur          | alua  | 1 alua  | queue | 0
            IBM      | 2107900          | group_by_prio | tur          | const | 0       | queue | 0
            LIO-ORG  | TCMU device      | group_by_prio | directio     | alua  | 1 alua  | 12    | 0
            3PARdata | VV               | group_by_prio | tur          | alua  | 1 alua  | 18    | 0
            ACME     | DISK             | failover      | tur          | const | 0       | 12    | 0
            """)
    void realRowsOfSpec79(String vendor, String product, String pgpolicy, String checker, String prio,
                          String handler, String noPathRetry, int pgInitRetries) {
        MapPolicy p = NONE.policyFor(vendor, product, null, W);
        assertThat(p.pathGroupingPolicy()).isEqualTo(pgpolicy);
        assertThat(p.pathChecker()).isEqualTo(checker);
        assertThat(p.prio()).isEqualTo(prio);
        assertThat(p.hardwareHandler()).isEqualTo(handler);
        assertThat(p.noPathRetry()).isEqualTo(NoPathRetry.parse(noPathRetry));
        assertThat(p.pgInitRetries()).isEqualTo(pgInitRetries);
    }

    @Test
    void vendorRegexIsAnchoredOnlyWhereTheRowSaysSo() {
        // ^DGC is anchored: "XDGC" is not a CLARiiON; "(COMPAQ|HP)" is not: "HPE" and "COMPAQ2" match it
        assertThat(NONE.policyFor("XDGC", "RAID 5", null, W).prio()).isEqualTo("const");
        assertThat(NONE.policyFor("COMPAQ2", "MSA1000", null, W).prio()).isEqualTo("hp_sw");
        // PURE's row switches detect_prio off: even with TPGS the prio is the row's
        assertThat(NONE.policyFor("PURE", "FlashArray", null, W, true).origins().get("prio"))
                .isEqualTo("(setting: storage device configuration)");
    }

    @Test
    void productBlacklistRowsBlacklistTheirManagementLuns() {
        assertThat(NONE.blacklisted("DGC", "LUNZ", W, null)).isTrue();
        assertThat(NONE.blacklisted("LSI", "Universal Xport", W, null)).isTrue();
        assertThat(NONE.blacklisted("DGC", "RAID 5", W, null)).isFalse();
        assertThat(NONE.blacklisted("MPATHGW", "SIM ALUA", W, null)).isFalse();
    }
}
