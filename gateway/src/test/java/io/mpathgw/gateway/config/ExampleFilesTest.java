package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * multipath-tools' own example files (unmodified, see src/test/resources/config/README.md) and a Proxmox/Ceph-style
 * file load; what they say ends up in the policies.
 */
class ExampleFilesTest {

    static String resource(String name) throws IOException {
        try (InputStream in = ExampleFilesTest.class.getResourceAsStream("/config/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What an admin following the templates' "Uncomment the lines" header does: one leading '#' less per line. */
    static String uncommented(String text) {
        return text.lines().map(l -> l.startsWith("#") ? l.substring(1) : l).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void unmodifiedTemplatesLoadAsTheyAre() throws Exception {
        for (String name : new String[] {"multipath.conf.synthetic", "multipath.conf.annotated"}) {
            MultipathConf c = MultipathConf.parse(resource(name), name);
            assertThat(c.warnings()).as(name).isEmpty();      // every line is a comment
            assertThat(c.policyFor("ACME", "DISK", null, "3600").withoutOrigins())
                    .isEqualTo(MultipathConf.defaults().policyFor("ACME", "DISK", null, "3600").withoutOrigins());
        }
    }

    @Test
    void syntheticTemplateUncommented() throws Exception {
        MultipathConf c = MultipathConf.parse(uncommented(resource("multipath.conf.synthetic")), "synthetic");
        assertThat(c.warnings()).extracting(ConfWarning::toString).contains(
                "synthetic:6: unknown keyword 'udev_dir' in defaults, ignored",
                "synthetic:10: unsupported keyword 'getuid_callout' in defaults, ignored",
                "synthetic:13: unsupported keyword 'rr_min_io' in defaults, ignored",
                "synthetic:14: unsupported keyword 'flush_on_last_del' in defaults, ignored",
                "synthetic:15: unsupported keyword 'max_fds' in defaults, ignored",
                "synthetic:21: unsupported keyword 'mode' in defaults, ignored",
                "synthetic:59: unsupported keyword 'getuid_callout' in device, ignored");
        MapPolicy yellow = c.policyFor("ACME", "DISK", null, "3600508b4000156d700012000000b0000");
        assertThat(yellow.alias()).isEqualTo("yellow");
        assertThat(yellow.pathGroupingPolicy()).isEqualTo("multibus");
        assertThat(yellow.pathSelector()).isEqualTo("round-robin 0");
        assertThat(yellow.failback()).isEqualTo(Failback.MANUAL);
        assertThat(yellow.noPathRetry().value()).isEqualTo(5);
        assertThat(yellow.rrWeight()).isEqualTo("priorities");
        // overrides { no_path_retry fail } beats the defaults and the device rows, not the multipaths entry
        MapPolicy other = c.policyFor("ACME", "DISK", null, "3600508b4000156d700012000000b0001");
        assertThat(other.noPathRetry()).isEqualTo(NoPathRetry.FAIL);
        assertThat(other.pollingInterval().toSeconds()).isEqualTo(10);
        assertThat(other.pathChecker()).isEqualTo("directio");
        assertThat(other.failback()).isEqualTo(Failback.IMMEDIATE);
        // product "HSV110 (C)COMPAQ" is a regex: "(C)" is a group, so it matches "HSV110 CCOMPAQ", not the real
        // string, which gets the built-in (COMPAQ|HP) row and the defaults' failback, as with multipath-tools
        assertThat(c.policyFor("COMPAQ  ", "HSV110 (C)COMPAQ", null, "x").failback()).isEqualTo(Failback.IMMEDIATE);
        assertThat(c.policyFor("COMPAQ  ", "HSV110 CCOMPAQ", null, "x").failback()).isEqualTo(Failback.deferred(15));
        assertThat(c.policyFor("COMPAQ  ", "MSA1000         ", null, "x").pathGroupingPolicy()).isEqualTo("multibus");
        assertThat(c.blacklisted("ACME", "DISK", "26353900f02796769", null)).isTrue();
        assertThat(c.blacklisted("DEC", "MSA500", "x", null)).isTrue();
        assertThat(c.blacklisted("ACME", "DISK", "x", "loop0")).isTrue();
        assertThat(c.blacklisted("ACME", "DISK", "x", "sdb")).isFalse();
    }

    @Test
    void annotatedTemplateUncommented() throws Exception {
        String text = uncommented(resource("multipath.conf.annotated"));
        MultipathConf c = MultipathConf.parse(text, "annotated");
        assertThat(c.warnings()).extracting(ConfWarning::message)
                .contains("unsupported keyword 'dev_loss_tmo' in defaults, ignored",
                        "unsupported keyword 'flush_on_last_del' in multipath, ignored",
                        "unknown keyword 'attributes' outside any section, ignored",
                        "'no_partitions' is not a dm-multipath feature; features in defaults taken as \"0\"",
                        "'no_partitions' is not a dm-multipath feature; features in defaults taken as "
                                + "\"1 queue_if_no_path\"");
        int devLossLine = lineOf(text, "\tdev_loss_tmo 600");
        assertThat(c.warnings()).anySatisfy(w -> {
            assertThat(w.key()).isEqualTo("dev_loss_tmo");
            assertThat(w.line()).isEqualTo(devLossLine);
        });
        MapPolicy yellow = c.policyFor("X", "Y", null, "3600508b4000156d700012000000b0000");
        assertThat(yellow.alias()).isEqualTo("yellow");
        assertThat(yellow.pathSelector()).isEqualTo("round-robin 0");
        assertThat(yellow.noPathRetry()).isEqualTo(NoPathRetry.QUEUE);
        MapPolicy compaq = c.policyFor("COMPAQ  ", "HSV110 CCOMPAQ", null, "x");   // "(C)" is a regex group
        assertThat(compaq.hardwareHandler()).isEqualTo("1 emc");
        assertThat(compaq.prio()).isEqualTo("hp_sw");
        assertThat(compaq.prioArgs()).isEqualTo("timeout=1000 preferredsds=foo");
        assertThat(compaq.failback()).isEqualTo(Failback.deferred(30));
        assertThat(compaq.noPathRetry()).isEqualTo(NoPathRetry.FAIL);        // overrides section
        assertThat(c.policyFor("X", "Y", null, "x").checkerTimeout().toSeconds()).isEqualTo(60);
        MapPolicy msa = c.policyFor("COMPAQ  ", "MSA1000         ", null, "x");
        assertThat(msa.pathGroupingPolicy()).isEqualTo("multibus");
        assertThat(msa.pathChecker()).isEqualTo("tur");
        assertThat(msa.rrWeight()).isEqualTo("priorities");
    }

    private static int lineOf(String text, String line) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) if (lines[i].equals(line)) return i + 1;
        throw new AssertionError("no line " + line);
    }

    @Test
    void proxmoxCephStyle() throws Exception {
        MultipathConf c = MultipathConf.parse(resource("proxmox-ceph.multipath.conf"), "multipath.conf");
        assertThat(c.warnings()).extracting(ConfWarning::toString).containsExactly(
                "multipath.conf:7: unsupported keyword 'uid_attribute' in defaults, ignored",
                "multipath.conf:8: unsupported keyword 'rr_min_io' in defaults, ignored",
                "multipath.conf:37: unsupported keyword 'fast_io_fail_tmo' in device, ignored");
        assertThat(c.findMultipaths()).isEqualTo(FindMultipaths.ON);
        assertThat(c.userFriendlyNames()).isTrue();
        String w1 = "3600144f028f88a0000005037a95d0001";
        assertThat(c.blacklisted("SUN", "COMSTAR", w1, null)).isFalse();
        assertThat(c.blacklisted("SUN", "COMSTAR", "3600144f028f88a0000005037a95d0003", null)).isTrue();
        MapPolicy p = c.policyFor("SUN", "COMSTAR", null, w1);
        assertThat(p.alias()).isEqualTo("mpath0");
        assertThat(p.pathGroupingPolicy()).isEqualTo("multibus");
        assertThat(p.pathSelector()).isEqualTo("round-robin 0");
        assertThat(p.noPathRetry()).isEqualTo(NoPathRetry.QUEUE);
        assertThat(p.pollingInterval().toSeconds()).isEqualTo(2);
        // the ceph-iscsi LIO block, merged before the built-in (LIO-ORG|SUSE) row
        MapPolicy lio = c.policyFor("LIO-ORG", "TCMU device", "4.0", "36001405e3a1b2c3d4e5f60718293a4b5");
        // detect_pgpolicy (on by default since 0.9.6) turns every alua-prio map into group_by_prio, over "failover"
        assertThat(lio.pathGroupingPolicy()).isEqualTo("group_by_prio");
        assertThat(lio.origins().get("path_grouping_policy")).isEqualTo("(setting: storage device autodetected)");
        assertThat(lio.pathSelector()).isEqualTo("queue-length 0");
        assertThat(lio.prioArgs()).isEqualTo("exclusive_pref_bit");
        assertThat(lio.failback()).isEqualTo(Failback.deferred(60));
        assertThat(lio.pathChecker()).isEqualTo("tur");
        assertThat(lio.alias()).isEqualTo("mpatha");                   // user_friendly_names, not listed in multipaths
    }
}
