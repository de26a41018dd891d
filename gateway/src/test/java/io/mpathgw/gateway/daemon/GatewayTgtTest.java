package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.tgt.Tgt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The daemon against Debian's tgtd with three portals and two LUNs: discovery (tgtd answers SendTargets with the
 * portal asked only, so two portals are discovered and one is named with its target), maps by WWID, loss and
 * healing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTgtTest {

    static final String IQN = "iqn.2026-11.io.mpathgw.test:daemon";

    Tgt tgt;
    Gateway gw;

    @Test
    void threePortalsFormAMapPerLunAndSurviveTheArrayRestarting() throws Exception {
        assumeTrue(Tgt.available(), "tgtd missing: run scripts/install-test-peers.sh");
        tgt = Tgt.builder().portals(3).target(IQN, t -> t.lun(1, 16 << 20).lun(2, 32 << 20)).start();
        gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(500), Duration.ofMillis(500))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(3))
                .reconnectCap(Duration.ofMillis(300)).discoveryTimeout(Duration.ofSeconds(10))
                .policies(Policies.uniform(GatewaySimTest.FAST.withGrouping("multibus"), true))
                .portal(GatewaySetup.Portal.discover(tgt.portals().get(0)))
                .portal(GatewaySetup.Portal.discover(tgt.portals().get(1)))
                .portal(GatewaySetup.Portal.target(tgt.portals().get(2), IQN)).build());
        GatewaySimTest.await(() -> gw.maps().size() == 2 && gw.maps().stream().allMatch(v -> v.nrActivePaths() == 3),
                Duration.ofSeconds(5), () -> assertThat(gw.maps()).as(events()).hasSize(2));
        assertThat(gw.sessions()).hasSize(3);
        MapView a = gw.map("mpatha").orElseThrow();
        MapView b = gw.map("mpathb").orElseThrow();
        assertThat(a.sizeSectors()).isEqualTo((16 << 20) / 512);
        assertThat(b.sizeSectors()).isEqualTo((32 << 20) / 512);
        assertThat(a.wwid()).isNotEqualTo(b.wwid()).startsWith("3");
        assertThat(a.vendor()).isEqualTo("IET");
        // LUN 0 is tgt's controller LU (not a disk): no path; LUN 1 and 2 on each of three sessions
        assertThat(gw.paths()).extracting(PathView::hcil)
                .containsExactly("1:0:0:1", "1:0:0:2", "2:0:0:1", "2:0:0:2", "3:0:0:1", "3:0:0:2");
        assertThat(a.groups().get(0).paths()).extracting(PathView::devT).containsExactly("8:0", "8:32", "8:64");
        GatewaySimTest.writeAndVerify(gw.blockDevice("mpatha").orElseThrow(), 0, 9);
        assertThat(gw.map("mpatha").orElseThrow().status()).isEqualTo("0 32768 multipath 2 0 0 0 1 1 A 0 3 2 "
                + "8:0 A 0 0 1 8:32 A 0 0 1 8:64 A 0 0 1 ");

        long t0 = System.nanoTime();
        tgt.kill();                 // every connection resets at once: each path fails through its session
        GatewaySimTest.await(() -> gw.maps().stream().allMatch(v -> v.nrActivePaths() == 0), Duration.ofSeconds(3),
                () -> assertThat(gw.maps()).as(events()).extracting(MapView::nrActivePaths).containsOnly(0));
        assertThat((System.nanoTime() - t0) / 1_000_000).as("all paths failed after the kill, ms").isLessThan(250);
        assertThat(gw.health().word()).isEqualTo("Queueing");
        var held = gw.blockDevice("mpathb").orElseThrow().read(0, 8);       // queued: no_path_retry 12
        tgt.restart();
        GatewaySimTest.await(() -> gw.maps().stream().allMatch(v -> v.nrActivePaths() == 3), Duration.ofSeconds(8),
                () -> assertThat(gw.maps()).as(events()).extracting(MapView::nrActivePaths).containsOnly(3));
        held.get(5, TimeUnit.SECONDS).release();
        assertThat(gw.health().word()).isEqualTo("Optimal");
        assertThat(gw.map("mpatha").orElseThrow().counters().pathFaults()).isEqualTo(3);
    }

    String events() {
        StringBuilder b = new StringBuilder();
        for (EventView e : gw.events(0, 10_000))
            b.append('\n').append(e.kind()).append(' ').append(e.path()).append(": ").append(e.message());
        return b.toString();
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (tgt != null) tgt.close();
    }
}
