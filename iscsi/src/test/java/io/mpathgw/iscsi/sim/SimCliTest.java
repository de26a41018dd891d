package io.mpathgw.iscsi.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mpathgw sim} in-process: flags or a config file, then fault commands on stdin, as an operator types them. */
class SimCliTest {

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimCli.run(List.of(args), new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void startsFromFlagsAndRunsFaultCommands() {
        Result r = run(String.join("\n", "# a comment", "status", "failover B", "sense 0 3/11/00 2 controller A opcode 0x88",
                "pdl 1 on", "kill 1", "revive 1", "blackhole 0 on", "blackhole 0 off", "latency 0 20ms",
                "alua 0 A standby", "lun-latency 1 5ms", "stall 1 off", "resize 0 16M", "controller B kill",
                "controller B revive", "flap 0 50ms 80ms 50ms 80ms", "unflap 0", "status", "bogus", "quit",
                "status"),
                "--personality", "alua", "--controllers", "2", "--portals", "1", "--lun", "0:8M", "--lun", "1:4M:B",
                "--seed", "7", "--transition-time", "0", "--iqn", "iqn.2026-01.io.mpathgw.test:cli");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).as("%s", r)
                .contains("alua array iqn.2026-01.io.mpathgw.test:cli, seed 7", "ready")
                .contains("lun 1 wwid 36", "alua A=N B=A owner B")
                .contains("lun 0: inject MEDIUM ERROR 11/00 x2 (all ports, controller A, opcode 0x88)")
                .contains("lun 1 wwid 36", "alua A=A B=N owner A PDL latency 5ms")
                .contains("portal 1 revived", "controller B: kill", "portal 0 flapping", "portal 0: [up ")
                .contains("32768x512", "PDL");
        assertThat(r.out().split("ready")[1].indexOf("alua array")).isPositive();   // the second status, not the third
        assertThat(r.err()).as("%s", r).contains("error: command: 'bogus' (expected: one of status");
    }

    @Test
    void aConfigFileNamesTheSameOptions(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("array.conf");
        Files.writeString(conf, String.join("\n", "# an RDAC array", "personality = rdac", "controllers = 2",
                "portals = 1", "lun = 0:1M", "lun = 5:1M:B", "max-lun = 255", "rdac-mode = avt", "target-per-controller"));
        Result r = run("status\n", "--config", conf.toString(), "--seed", "3");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).as("%s", r).contains("rdac array", "seed 3", "rdac AVT owner B", ".ctrlb");
    }

    @Test
    void helpListsOptionsAndFaultCommands() {
        Result r = run("", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("usage: mpathgw sim", "--personality alua|rdac|emc|hp_sw|active-active",
                "fault commands:", "sense LUN KEY/ASC/ASCQ COUNT");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badOptionsExitTwoWithUsage() {
        Result r = run("", "--personality", "netapp");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--personality: 'netapp' (expected: alua, rdac, emc, hp_sw or active-active)",
                "usage: mpathgw sim");
        assertThat(run("", "--lun", "0").err()).contains("--lun: '0' (expected: N:SIZE[:OWNER]");
        assertThat(run("", "--controllers").err()).contains("--controllers: missing value");
        assertThat(run("", "--lun", "0:1M:C").err()).contains("owner of lun 0: 2 (expected: a controller index < 2)");
    }

    @Test
    void badCommandsSayWhatWasExpected() throws Exception {
        try (SimFixture f = new SimFixture(b -> b.portalsPerController(1))) {
            SimCommands c = new SimCommands(f.sim);
            assertThat(c.execute("  ")).isEmpty();
            for (String[] bad : new String[][] {
                {"kill 9", "portal: 9 (expected: 0..1)"},
                {"sense 0 3/11 1", "sense: '3/11' (expected: KEY/ASC/ASCQ in hex)"},
                {"sense 0 3/11/00 1 lun 2", "sense option: 'lun'"},
                {"alua 0 A sleepy", "state: 'sleepy' (expected: active/optimized"},
                {"blackhole 0 maybe", "switch: 'maybe' (expected: on or off)"},
                {"latency 0 soon", "duration: 'soon'"},
                {"pdl", "pdl: 0 arguments (expected: 2; see help)"},
                {"failover C", "controller: 2 (expected: 0..1)"},
                {"resize 3 1M", "lun: 3 (expected: one of [0])"}}) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.execute(bad[0])).as(bad[0])
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad[1]);
            }
        }
    }
}
