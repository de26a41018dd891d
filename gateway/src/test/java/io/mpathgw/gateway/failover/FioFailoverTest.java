package io.mpathgw.gateway.failover;

import io.mpathgw.gateway.daemon.Policies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real client through the faults: fio's nbd engine (libnbd) writes 4 KiB blocks at random at QD 16 through the
 * map's NBD export and verifies each (crc32c, verify backlog, fatal on the first mismatch) while controller A's two
 * portals go one after the other, loud then silent, so the map switches to B's group, and come back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FioFailoverTest {

    FailoverRig rig;

    @AfterEach
    void close() {
        if (rig != null) rig.close();
    }

    @Test
    void fioVerifiesEveryWriteWhileControllerAsPortalsFailAndReturn() throws Exception {
        assumeTrue(onPath("fio"), "fio missing: apt-get install fio (or scripts/install-test-peers.sh)");
        assumeTrue(run(Duration.ofSeconds(10), List.of("fio", "--enghelp")).out().lines()
                .anyMatch(l -> l.trim().equals("nbd")), "this fio has no nbd engine (Debian's has, with libnbd)");
        rig = FailoverRig.start(FailoverRig.fastTimers(), Policies.uniform(FailoverTest.defaults(), true), false);
        String map = rig.mapOf(rig.sim);
        int seconds = 8;
        Process fio = new ProcessBuilder("fio", "--name=failover", "--ioengine=nbd",
                "--uri=nbd://127.0.0.1:" + rig.nbd.port() + "/" + map, "--rw=randwrite", "--bs=4k", "--iodepth=16",
                "--size=32m", "--time_based", "--runtime=" + seconds, "--verify=crc32c", "--verify_backlog=512",
                "--verify_fatal=1", "--output-format=terse", "--terse-version=3")
                .redirectErrorStream(true).redirectOutput(tmp().toFile()).start();
        Thread.sleep(1500);
        rig.sim.portal(0).kill();                                 // loud: A keeps portal 1
        Thread.sleep(1500);
        rig.sim.portal(1).blackhole(true);                        // silent: A's group is gone, switch to B
        rig.awaitMap(map, v -> v.nrActivePaths() == 2, Duration.ofSeconds(3));
        Thread.sleep(1500);
        rig.sim.portal(1).blackhole(false);
        rig.sim.portal(0).revive();
        boolean done = fio.waitFor(seconds + 30, TimeUnit.SECONDS);
        String out = Files.readString(output);
        assertThat(done).as("fio still running: " + out).isTrue();
        assertThat(fio.exitValue()).as(out + rig.events()).isZero();
        String[] f = out.trim().lines().reduce((a, b) -> b).orElse("").split(";");
        assertThat(f.length).as(out).isGreaterThan(50);
        assertThat(f[4]).as("fio error field: " + out).isEqualTo("0");
        assertThat(Long.parseLong(f[46])).as("KiB written").isGreaterThan(1024);
        assertThat(Long.parseLong(f[5])).as("KiB read back to verify").isGreaterThan(1024);
        assertThat(rig.gw.events(0, 10_000)).extracting(e -> e.kind()).contains("PATH_FAILED", "PATH_REINSTATED");
        rig.awaitMap(map, v -> v.nrActivePaths() == 4, Duration.ofSeconds(10));
    }

    Path output;

    Path tmp() throws Exception {
        output = Files.createTempFile("fio-failover", ".out");
        output.toFile().deleteOnExit();
        return output;
    }

    record Result(int exit, String out) {
    }

    static Result run(Duration timeout, List<String> command) throws Exception {
        Path out = Files.createTempFile("fio", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " still running after " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static boolean onPath(String tool) {
        return io.mpathgw.gateway.testing.Tools.onPath(tool);
    }
}
