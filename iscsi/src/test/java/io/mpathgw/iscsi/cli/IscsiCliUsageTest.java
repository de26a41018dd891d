package io.mpathgw.iscsi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors: exit code 2, the bad flag or value named on the first line of stderr, the usage after it. */
class IscsiCliUsageTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/cli/usage.cases", delimiter = '|')
    void namesTheBadFlagOrValue(String args, int exit, String firstErrLine) {
        CliRun r = CliRun.of(args == null ? new String[0] : args.split(" "));
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.firstErrLine()).as(r.toString()).isEqualTo(firstErrLine);
        assertThat(r.err()).as(r.toString()).contains("usage:");
        assertThat(r.out()).as(r.toString()).isEmpty();
    }

    @Test
    void helpGoesToStdoutWithExitZero() {
        CliRun all = CliRun.of("--help");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).as(all.toString()).contains(LsCommand.USAGE, InqCommand.USAGE, PerfCommand.USAGE)
                .contains("LIBISCSI_CHAP_USERNAME");
        CliRun perf = CliRun.of("perf", "-h");
        assertThat(perf.exit()).as(perf.toString()).isZero();
        assertThat(perf.out()).as(perf.toString()).isEqualTo("usage: " + PerfCommand.USAGE + System.lineSeparator());
        assertThat(perf.err()).as(perf.toString()).isEmpty();
    }

    @Test
    void anUnresolvableHostIsARuntimeFailureOnOneLine() {
        CliRun r = CliRun.of("ls", "--timeout", "2", "iscsi://host.invalid");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).isEqualTo("mpathgw iscsi ls: host: 'host.invalid' does not resolve" + System.lineSeparator());
    }
}
