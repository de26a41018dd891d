package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7 (failover benchmark): a path through a port that cannot answer READ CAPACITY when the gateway starts
 * still joins its map, and a LUN whose scan failed is scanned again while its session stays up.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class GatewayStandbyScanTest {

    ArraySimulator sim;
    Gateway gw;

    /**
     * The non-owning controller's port group is in standby or unavailable from the start, so it refuses READ
     * CAPACITY with 02/04/0B or 02/04/0C (SPC-4 does not require it there): its path takes the capacity the owning
     * controller's path read, and the map has both paths. Then the array fails over to that controller and the map
     * carries I/O through it.
     */
    @ParameterizedTest
    @EnumSource(value = AluaState.class, names = {"STANDBY", "UNAVAILABLE"})
    void aPathThroughAStandbyOrUnavailablePortJoinsItsMapAtStartup(AluaState demoted) throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ALUA).tpgs(InquiryData.TPGS_IMPLICIT)
                .demotedState(demoted).portalsPerController(1).build().start();
        assertThat(sim.lun(0).aluaState(1)).isEqualTo(demoted);
        gw = start();
        GatewaySimTest.await(() -> gw.maps().size() == 1 && mapped(gw.maps().get(0)) == 2, Duration.ofSeconds(5),
                () -> assertThat(gw.paths()).as("both paths in the map; events " + events()).hasSize(2)
                        .allMatch(p -> !p.map().isEmpty()));
        MapView m = gw.maps().get(0);
        assertThat(gw.paths()).extracting(PathView::map).containsOnly(m.name());
        assertThat(events()).noneMatch(e -> e.kind().equals("PATH_UNMAPPED") || e.kind().equals("SCAN_FAILED"));
        assertThat(m.sizeSectors()).as("the capacity the owner's path read").isEqualTo(sim.lun(0).device().blockCount()
                * sim.lun(0).device().blockSize() / 512);

        sim.failover(1);
        GatewaySimTest.await(() -> gw.paths().stream().anyMatch(p -> p.aluaTpg() == 2 && p.priority() == 50
                        && p.dmState().equals("active")), Duration.ofSeconds(8),
                () -> assertThat(gw.paths()).as("controller B's path now optimized and active").anyMatch(p ->
                        p.aluaTpg() == 2 && p.priority() == 50 && p.dmState().equals("active")));
    }

    /**
     * READ CAPACITY through the second controller fails once with a hardware error (not NOT READY): the LUN's scan
     * on that session fails, and a second later it is scanned again and its path joins the map, without a relogin.
     */
    @Test
    void aLunWhoseScanFailedIsScannedAgainWhileTheSessionStaysUp() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).portalsPerController(1).build().start();
        sim.lun(0).inject(SenseInjection.of(Sense.INTERNAL_TARGET_FAILURE, 1).onOpcode(0x9E)
                .through(sim.controller(1)));
        gw = start();
        GatewaySimTest.await(() -> gw.maps().size() == 1 && mapped(gw.maps().get(0)) == 2, Duration.ofSeconds(6),
                () -> assertThat(gw.paths()).as("both paths in the map; events " + events()).hasSize(2)
                        .allMatch(p -> !p.map().isEmpty()));
        assertThat(sim.lun(0).pendingInjections()).isZero();
        assertThat(events()).anyMatch(e -> e.kind().equals("SCAN_FAILED") && e.message().contains("lun 0"));
        assertThat(gw.sessions()).allMatch(s -> s.reconnects() == 0);
    }

    private Gateway start() throws InterruptedException {
        return Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .discoveryTimeout(Duration.ofSeconds(10)).policies(new GatewayTpgsPolicyTest.ConfOnly())
                .portal(GatewaySetup.Portal.discover(sim.address(0))).build());
    }

    private static long mapped(MapView m) {
        return m.groups().stream().mapToLong(g -> g.paths().size()).sum();
    }

    private java.util.List<EventView> events() {
        return gw.events(0, 1000);
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (sim != null) sim.close();
    }
}
