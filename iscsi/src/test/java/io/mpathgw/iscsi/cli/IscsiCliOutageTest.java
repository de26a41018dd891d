package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.tgt.Tgt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A portal that never answers, and an array that dies during a run: exit 1, one line naming what failed. */
class IscsiCliOutageTest {

    @Test
    void silentPortalTimesOutTheLoginWithinTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();                 // accepted, never answered
                } catch (IOException e) {
                    return null;
                }
            });
            long start = System.nanoTime();
            CliRun r = CliRun.of("inq", "--timeout", "1",
                    "iscsi://127.0.0.1:" + silent.getLocalPort() + "/iqn.2026-11.io.mpathgw.test:silent/1");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err().lines()).as(r.toString()).hasSize(1);
            assertThat(r.firstErrLine()).as(r.toString()).startsWith("mpathgw iscsi inq: login to 127.0.0.1:"
                    + silent.getLocalPort() + " iqn.2026-11.io.mpathgw.test:silent: ").contains("login timed out after 1000 ms");
            assertThat(ms).as("bounded by --timeout 1 (plus logout and shutdown)").isLessThan(6000);
            held.cancel(true);
        }
    }

    @Test
    void arrayKilledDuringPerfEndsTheRunNamingTheCommand() throws Exception {
        assumeTrue(Tgt.available(), "tgtd missing: apt-get install tgt");
        String iqn = "iqn.2026-11.io.mpathgw.test:cli-outage";
        try (Tgt tgt = Tgt.builder().target(iqn, t -> t.lun(1, 16 << 20)).start()) {
            CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() ->
                    CliRun.of("perf", "--timeout", "2", "--warmup", "0", "--seconds", "30", "--qd", "4", "--bs", "4k",
                            tgt.url(0, iqn, 1)));
            Thread.sleep(1500);
            tgt.kill();
            CliRun r = run.get(20, TimeUnit.SECONDS);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err().lines()).as(r.toString()).hasSize(1);
            assertThat(r.firstErrLine()).as(r.toString()).startsWith("mpathgw iscsi perf: READ(16) lba ")
                    .contains(" lun 1: ");
        }
    }
}
