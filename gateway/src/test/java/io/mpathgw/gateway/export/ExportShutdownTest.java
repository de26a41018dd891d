package io.mpathgw.gateway.export;

import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.gateway.export.ExportTools.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's stop while a map queues (every portal down, queue_if_no_path for ever): an NBD client's read is
 * held in the map; the stop fails it at once and is done in well under TimeoutStopSec (30 s).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportShutdownTest {

    ArraySimulator sim;
    Gateway gw;
    Exports exports;

    @AfterEach
    void stop() {
        if (exports != null) exports.close();
        if (gw != null) gw.close();
        if (sim != null) sim.close();
    }

    @Test
    void stopFailsQueuedIoAndEndsWithinItsBound() throws Exception {
        assumeTool("qemu-io", "qemu-utils");
        sim = ArraySimulator.builder().personality(Personality.ALUA).portalsPerController(2).build().start();
        MapSettings s = MapSettings.DEFAULTS.withTimers(Duration.ofMillis(200), Duration.ofMillis(800),
                Duration.ofMillis(500)).withGrouping("group_by_prio").withHandler("alua", "alua")
                .withNoPathRetry(NoPathRetry.QUEUE);
        gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(500), Duration.ofMillis(500))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .reconnectCap(Duration.ofMillis(200)).discoveryTimeout(Duration.ofSeconds(10))
                .policies(Policies.uniform(s, true)).portal(GatewaySetup.Portal.discover(sim.address(0))).build());
        exports = Exports.start(ExportsSimTest.loopback(List.of(), null, null), MapSource.of(gw));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!exports.exported().contains("mpatha") && System.nanoTime() < end) Thread.sleep(20);
        assertThat(exports.exported()).contains("mpatha");

        for (int i = 0; i < 4; i++) sim.portal(i).kill();
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gw.map("mpatha").orElseThrow().nrActivePaths() > 0 && System.nanoTime() < end) Thread.sleep(20);
        assertThat(gw.map("mpatha").orElseThrow().nrActivePaths()).isZero();

        Process read = new ProcessBuilder("qemu-io", "-f", "raw", "-c", "read 0 4k",
                "nbd://127.0.0.1:" + exports.nbdPort() + "/mpatha").redirectErrorStream(true).start();
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gw.map("mpatha").orElseThrow().counters().queued() == 0 && System.nanoTime() < end) Thread.sleep(20);
        assertThat(gw.map("mpatha").orElseThrow().counters().queued()).as("the read queued in the map").isPositive();
        assertThat(read.isAlive()).isTrue();

        long t0 = System.nanoTime();
        ExportLifecycle.shutdown(exports, gw);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        exports = null;
        gw = null;
        assertThat(read.waitFor(5, TimeUnit.SECONDS)).as("the client's read ended").isTrue();
        String out = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as(out).containsIgnoringCase("error");
        // queueing off answers the held read with an error at once: no 5 s wait for it in the NBD server's close;
        // the rest is the daemon's logout from dead portals, bounded by login_timeout (2 s here)
        assertThat(millis).as("stop took").isLessThan(4500);
    }
}
