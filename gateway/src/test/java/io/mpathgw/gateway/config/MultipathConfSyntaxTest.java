package io.mpathgw.gateway.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The grammar of multipath.conf as libmultipath reads it, and the warnings for what we ignore. */
class MultipathConfSyntaxTest {

    private static final String V = "MPATHGW", P = "SIM ALUA", W = "3600a0b800000000000000000000000aa";

    @Test
    void commentsQuotesAndBracesOnOneLine() throws ConfException {
        MultipathConf c = MultipathConf.parse("""
                # a comment
                ! also a comment
                defaults {   # trailing comment
                \tpolling_interval 3 ! trailing
                \tprio weightedpath
                \tprio_args "a#b ""c"" !d {e}"
                \tpath_selector "queue-length 0"
                }
                multipaths { multipath {
                \twwid "%s"
                \talias "db#1"
                }}
                """.formatted(W), "m.conf");
        MapPolicy p = c.policyFor("X", "Y", null, W);
        assertThat(p.pollingInterval().toSeconds()).isEqualTo(3);
        assertThat(p.prioArgs()).isEqualTo("a#b \"c\" !d {e}");
        assertThat(p.pathSelector()).isEqualTo("queue-length 0");
        assertThat(p.alias()).isEqualTo("db#1");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void unsupportedAndUnknownKeywordsAreWarningsWithLines() throws ConfException {
        MultipathConf c = MultipathConf.parse("""
                defaults {
                \tpolling_interval 2
                \tdev_loss_tmo 600
                \tfast_io_fail_tmo 5
                \tmarginal_path_err_sample_time 120
                \tno_such_thing 1
                \talias nope
                }
                devices {
                \tdevice {
                \t\tvendor X
                \t\tproduct Y
                \t\tmax_sectors_kb 4096
                \t\tprio ontap
                \t}
                }
                overrides {
                \tprotocol {
                \t\ttype scsi:iscsi
                \t}
                }
                frobnicate {
                \tx 1
                }
                """, "multipath.conf");
        assertThat(c.warnings()).extracting(ConfWarning::toString).containsExactly(
                "multipath.conf:3: unsupported keyword 'dev_loss_tmo' in defaults, ignored",
                "multipath.conf:4: unsupported keyword 'fast_io_fail_tmo' in defaults, ignored",
                "multipath.conf:5: unsupported keyword 'marginal_path_err_sample_time' in defaults, ignored",
                "multipath.conf:6: unknown keyword 'no_such_thing' in defaults, ignored",
                "multipath.conf:7: unknown keyword 'alias' in defaults, ignored",
                "multipath.conf:13: unsupported keyword 'max_sectors_kb' in device, ignored",
                "multipath.conf:14: prio 'ontap' is not implemented by mpathgw; prio in device ignored",
                "multipath.conf:18: unsupported section 'protocol' in overrides, ignored",
                "multipath.conf:22: unknown section 'frobnicate', ignored");
        assertThat(c.warnings().get(0).key()).isEqualTo("dev_loss_tmo");
        assertThat(c.warnings().get(0).line()).isEqualTo(3);
        // the file still loads, and the dropped prio leaves the next level in force
        assertThat(c.policyFor("X", "Y", null, null).prio()).isEqualTo("const");
        assertThat(c.policyFor("X", "Y", null, null).pollingInterval().toSeconds()).isEqualTo(2);
    }

    @Test
    void extraWordsAfterAValueAreIgnoredWithAWarningAsMultipathToolsDoes() throws ConfException {
        MultipathConf c = MultipathConf.parse("defaults {\n\tprio weightedpath\n\tprio_args timeout=1000 preferredsds=foo\n}\n",
                "m.conf");
        assertThat(c.warnings()).extracting(ConfWarning::toString).containsExactly(
                "m.conf:3: ignoring extra data starting with 'preferredsds=foo' after prio_args (quote a value that "
                        + "has blanks)");
        assertThat(c.policyFor("X", "Y", null, null).prioArgs()).isEqualTo("timeout=1000");
    }

    @Test
    void featuresTheKernelDoesNotKnowAreDroppedWithAWarning() throws ConfException {
        MultipathConf d = MultipathConf.parse("defaults {\n features \"2 queue_if_no_path no_partitions\"\n"
                + " no_path_retry 5\n}\n", "m.conf");
        assertThat(d.warnings()).extracting(ConfWarning::toString).containsExactly("m.conf:2: 'no_partitions' is not "
                + "a dm-multipath feature; features in defaults taken as \"1 queue_if_no_path\"");
        MapPolicy p = d.policyFor("X", "Y", null, null);
        assertThat(p.features()).isEqualTo("1 queue_if_no_path");    // from no_path_retry 5
        assertThat(p.noPathRetry().value()).isEqualTo(5);
    }

    @Test
    void checkerIsPathChecker() throws ConfException {
        MultipathConf c = MultipathConf.parse("defaults {\n checker readsector0\n}\n", "m.conf");
        assertThat(c.policyFor("X", "Y", null, null).pathChecker()).isEqualTo("readsector0");
    }

    @Test
    void emptyFileIsTheCompiledInDefaults() throws ConfException {
        MapPolicy p = MultipathConf.parse("", "m.conf").policyFor("X", "Y", null, W);
        assertThat(p.withoutOrigins()).isEqualTo(MultipathConf.defaults().policyFor("X", "Y", null, W).withoutOrigins());
        assertThat(p.pathGroupingPolicy()).isEqualTo("failover");
        assertThat(p.pathSelector()).isEqualTo("service-time 0");
        assertThat(p.noPathRetry().value()).isEqualTo(12);
        assertThat(p.features()).isEqualTo("1 queue_if_no_path");
        assertThat(p.pollingInterval().toSeconds()).isEqualTo(1);
        assertThat(p.maxPollingInterval().toSeconds()).isEqualTo(4);
        assertThat(p.checkerTimeout().toSeconds()).isEqualTo(5);
        assertThat(p.failback()).isEqualTo(Failback.MANUAL);
        assertThat(p.hardwareHandler()).isEqualTo("0");
        assertThat(p.alias()).isNull();
        assertThat(p.origins()).containsEntry("path_grouping_policy", "(setting: multipath internal)");
    }

    @Test
    void pollingIntervalsFollowConfigC() throws ConfException {
        assertThat(poll("polling_interval 3")).containsExactly(3L, 12L);
        assertThat(poll("max_polling_interval 20")).containsExactly(5L, 20L);
        assertThat(poll("max_polling_interval 2")).containsExactly(1L, 2L);
        assertThat(poll("polling_interval 10\nmax_polling_interval 6")).containsExactly(6L, 6L);
    }

    private static Long[] poll(String lines) throws ConfException {
        MapPolicy p = MultipathConf.parse("defaults {\n" + lines + "\n}\n", "m.conf").policyFor("X", "Y", null, null);
        return new Long[] {p.pollingInterval().toSeconds(), p.maxPollingInterval().toSeconds()};
    }
}
