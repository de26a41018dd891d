package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * multipath-tools' precedence, level by level: multipaths &gt; overrides &gt; devices (user over built-in) &gt;
 * defaults &gt; compiled-in, with the origin propsel.c would log. Each level uses a value no other level has.
 */
class PrecedenceTest {

    private static final String W = "3600a098038303053453f463045727a48";

    /** Every level sets rr_min_io_rq, each to its own number; removing the top level exposes the next. */
    private static String conf(boolean mpe, boolean ovr, boolean user, boolean dflt) {
        return (dflt ? "defaults {\n rr_min_io_rq 5\n}\n" : "")
                + (user ? "devices {\n device {\n  vendor NETAPP\n  product LUN\n  rr_min_io_rq 4\n }\n}\n" : "")
                + (ovr ? "overrides {\n rr_min_io_rq 3\n}\n" : "")
                + (mpe ? "multipaths {\n multipath {\n  wwid " + W + "\n  rr_min_io_rq 2\n }\n}\n" : "");
    }

    @Test
    void eachLevelWinsOverTheOnesBelow() throws ConfException {
        assertLevel(conf(true, true, true, true), 2, "(setting: multipath.conf multipaths section)");
        assertLevel(conf(false, true, true, true), 3, "(setting: multipath.conf overrides section)");
        assertLevel(conf(false, false, true, true), 4, "(setting: storage device configuration)");
        assertLevel(conf(false, false, false, true), 5, "(setting: multipath.conf defaults/devices section)");
        assertLevel(conf(false, false, false, false), 1, "(setting: multipath internal)");
    }

    private static void assertLevel(String text, int rrMinIo, String origin) throws ConfException {
        MapPolicy p = MultipathConf.parse(text, "m.conf").policyFor("NETAPP", "LUN C-Mode", "9800", W);
        assertThat(p.rrMinIo()).as(text).isEqualTo(rrMinIo);
        assertThat(p.origins()).as(text).containsEntry("rr_min_io_rq", origin);
    }

    @Test
    void describePrintsEachValueWithItsOriginAsMultipathV3() throws ConfException {
        String d = MultipathConf.parse(conf(true, false, true, false), "m.conf")
                .policyFor("NETAPP", "LUN C-Mode", null, W).describe();
        assertThat(d).contains("rr_min_io_rq = 2 (setting: multipath.conf multipaths section)\n",
                "features = \"3 pg_init_retries 50 queue_if_no_path\" (setting: storage device configuration)\n",
                "no_path_retry = queue (setting: storage device configuration)\n",
                "polling_interval = 1 (setting: multipath internal)\n");
    }

    @Test
    void builtInDeviceRowBeatsTheDefaultsSection() throws ConfException {
        // NETAPP LUN's built-in row says group_by_prio and queue: a defaults section does not change that
        MapPolicy p = MultipathConf.parse("defaults {\n path_grouping_policy multibus\n no_path_retry 7\n"
                + " detect_pgpolicy no\n}\n", "m.conf").policyFor("NETAPP", "LUN C-Mode", null, W);
        assertThat(p.pathGroupingPolicy()).isEqualTo("group_by_prio");
        assertThat(p.noPathRetry()).isEqualTo(NoPathRetry.QUEUE);
        assertThat(p.origins()).containsEntry("no_path_retry", "(setting: storage device configuration)");
        // an unknown device gets the defaults section
        MapPolicy other = MultipathConf.parse("defaults {\n path_grouping_policy multibus\n no_path_retry 7\n}\n",
                "m.conf").policyFor("ACME", "DISK", null, W);
        assertThat(other.pathGroupingPolicy()).isEqualTo("multibus");
        assertThat(other.noPathRetry().value()).isEqualTo(7);
    }

    @Test
    void userDeviceEntryMergesOverTheBuiltInRowKeyByKey() throws ConfException {
        // same strings as the built-in NETAPP row: merged, so the row's other keys stay
        MapPolicy p = MultipathConf.parse("devices {\n device {\n  vendor NETAPP\n  product LUN\n"
                + "  failback followover\n }\n}\n", "m.conf").policyFor("NETAPP", "LUN C-Mode", null, W);
        assertThat(p.failback()).isEqualTo(Failback.FOLLOWOVER);
        assertThat(p.features()).isEqualTo("3 pg_init_retries 50 queue_if_no_path");
        assertThat(p.pgInitRetries()).isEqualTo(50);
        assertThat(p.pathGroupingPolicy()).isEqualTo("group_by_prio");
        // different strings that also match: both apply, the user's first (find_hwe searches backwards)
        MapPolicy q = MultipathConf.parse("devices {\n device {\n  vendor \"^NET\"\n  product \"LUN C\"\n"
                + "  no_path_retry 9\n }\n}\n", "m.conf").policyFor("NETAPP", "LUN C-Mode", null, W);
        assertThat(q.noPathRetry().value()).isEqualTo(9);
        assertThat(q.features()).isEqualTo("3 pg_init_retries 50 queue_if_no_path");
        // and a later user entry beats an earlier one
        MapPolicy r = MultipathConf.parse("devices {\n device {\n  vendor ACME\n  product .*\n  rr_weight priorities\n"
                + "  prio_args first\n }\n device {\n  vendor ACME\n  product DISK\n  rr_weight uniform\n"
                + "  prio weightedpath\n }\n}\n", "m.conf").policyFor("ACME", "DISK", null, W);
        assertThat(r.rrWeight()).isEqualTo("uniform");
        // device entries give prio and prio_args separately (set_prio_from_vec)
        assertThat(r.prio()).isEqualTo("weightedpath");
        assertThat(r.prioArgs()).isEqualTo("first");
    }

    @Test
    void revisionRegexNarrowsAnEntry() throws ConfException {
        MultipathConf c = MultipathConf.parse("devices {\n device {\n  vendor ACME\n  product DISK\n  revision \"^2\"\n"
                + "  path_grouping_policy group_by_serial\n }\n}\n", "m.conf");
        assertThat(c.policyFor("ACME", "DISK", "2.1", W).pathGroupingPolicy()).isEqualTo("group_by_serial");
        assertThat(c.policyFor("ACME", "DISK", "1.9", W).pathGroupingPolicy()).isEqualTo("failover");
    }

    @Test
    void prioAndArgsComeFromOneLevelAboveTheDevices() throws ConfException {
        MapPolicy p = MultipathConf.parse("overrides {\n prio weightedpath\n}\n"
                + "devices {\n device {\n  vendor ACME\n  product DISK\n  prio_args \"hbtl 1:0:0:0 10\"\n }\n}\n",
                "m.conf").policyFor("ACME", "DISK", null, W);
        assertThat(p.prio()).isEqualTo("weightedpath");
        assertThat(p.prioArgs()).isEqualTo("");
        assertThat(p.origins()).containsEntry("prio", "(setting: multipath.conf overrides section)");
    }

    @Test
    void checkerAndHandlerAreNotPerMultipathAndHandlerOnlyPerDevice() throws ConfException {
        MapPolicy p = MultipathConf.parse("defaults {\n path_checker directio\n}\n"
                + "overrides {\n path_checker readsector0\n}\n", "m.conf").policyFor("LSI", "INF-01-00", null, W);
        assertThat(p.pathChecker()).isEqualTo("readsector0");       // overrides beat the RDAC row's rdac
        assertThat(p.hardwareHandler()).isEqualTo("1 rdac");
        assertThat(p.origins()).containsEntry("hardware_handler", "(setting: storage device configuration)");
    }

    @Test
    void queueIfNoPathInFeaturesBecomesNoPathRetryQueueOnlyWhenNothingSetsIt() throws ConfException {
        MapPolicy p = MultipathConf.parse("defaults {\n features \"1 queue_if_no_path\"\n}\n", "m.conf")
                .policyFor("ACME", "DISK", null, W);
        assertThat(p.noPathRetry()).isEqualTo(NoPathRetry.QUEUE);
        assertThat(p.features()).isEqualTo("1 queue_if_no_path");
        assertThat(p.origins().get("no_path_retry")).contains("queue_if_no_path");
        MapPolicy q = MultipathConf.parse("defaults {\n features \"1 queue_if_no_path\"\n no_path_retry fail\n}\n",
                "m.conf").policyFor("ACME", "DISK", null, W);
        assertThat(q.noPathRetry()).isEqualTo(NoPathRetry.FAIL);
        assertThat(q.features()).isEqualTo("0");
    }

    @Test
    void aluaDevicesFailBackImmediatelyUnlessConfigured() throws ConfException {
        MultipathConf none = MultipathConf.defaults();
        assertThat(none.policyFor("ACME", "DISK", null, W).failback()).isEqualTo(Failback.MANUAL);
        assertThat(none.policyFor("ACME", "DISK", null, W, true).failback()).isEqualTo(Failback.IMMEDIATE);
        MultipathConf manual = MultipathConf.parse("defaults {\n failback manual\n}\n", "m.conf");
        assertThat(manual.policyFor("ACME", "DISK", null, W, true).failback()).isEqualTo(Failback.MANUAL);
        assertThat(MultipathConf.parse("defaults {\n failback 30\n}\n", "m.conf").policyFor("ACME", "DISK", null, W)
                .failback()).isEqualTo(Failback.deferred(30));
    }

    @Test
    void tpgsAutodetectionAsPropsel() throws ConfException {
        MapPolicy alua = MultipathConf.defaults().policyFor("ACME", "DISK", null, W, true);
        assertThat(alua.prio()).isEqualTo("alua");
        assertThat(alua.pathGroupingPolicy()).isEqualTo("group_by_prio");
        assertThat(alua.hardwareHandler()).isEqualTo("1 alua");
        assertThat(alua.pathChecker()).isEqualTo("tur");
        assertThat(alua.origins()).containsEntry("prio", "(setting: storage device autodetected)")
                .containsEntry("hardware_handler", "(setting: autodetected from TPGS)");
        // detect_prio off: the configured prio stays; group_by_tpg without alua prio falls back to failover
        MapPolicy off = MultipathConf.parse("defaults {\n detect_prio no\n path_grouping_policy group_by_tpg\n}\n",
                "m.conf").policyFor("ACME", "DISK", null, W, true);
        assertThat(off.prio()).isEqualTo("const");
        assertThat(off.pathGroupingPolicy()).isEqualTo("failover");
        assertThat(off.origins().get("path_grouping_policy")).contains("emergency fallback");
        // prio alua on a LU without TPGS: const
        MapPolicy noTpgs = MultipathConf.parse("defaults {\n prio alua\n}\n", "m.conf")
                .policyFor("ACME", "DISK", null, W, false);
        assertThat(noTpgs.prio()).isEqualTo("const");
        assertThat(noTpgs.origins().get("prio")).isEqualTo("(setting: emergency fallback - alua failed)");
    }

    @Test
    void aliasFromMultipathsElseUserFriendlyNames() throws ConfException {
        MultipathConf c = MultipathConf.parse("defaults {\n user_friendly_names yes\n}\n"
                + "multipaths {\n multipath {\n  wwid " + W + "\n  alias mpatha\n }\n}\n", "m.conf");
        assertThat(c.policyFor("ACME", "DISK", null, W).alias()).isEqualTo("mpatha");
        // mpatha is taken by the multipaths section: the next WWID gets mpathb, then mpathc
        assertThat(c.policyFor("ACME", "DISK", null, "36000000000000000000000000000000b").alias()).isEqualTo("mpathb");
        assertThat(c.policyFor("ACME", "DISK", null, "36000000000000000000000000000000c").alias()).isEqualTo("mpathc");
        assertThat(c.policyFor("ACME", "DISK", null, "36000000000000000000000000000000b").alias()).isEqualTo("mpathb");
        // NETAPP's row says user_friendly_names no
        assertThat(c.policyFor("NETAPP", "LUN", null, "36000000000000000000000000000000d").alias()).isNull();
        MultipathConf prefixed = MultipathConf.parse("defaults {\n user_friendly_names yes\n alias_prefix san\n}\n",
                "m.conf");
        assertThat(prefixed.policyFor("ACME", "DISK", null, W).alias()).isEqualTo("sana");
    }
}
