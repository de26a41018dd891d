package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.handler.AttachedHandler;
import io.mpathgw.dm.handler.Disposition;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rdac handler (scsi_dh_rdac, spec §6.2) against the simulator's rdac personality over real sessions. Portal 0
 * is controller A (slot '1', index 0), portal 1 controller B.
 */
class LiveRdacHandlerTest extends LiveHandlerTest {

    void rdac(int maxLunSupported, int... luns) throws InterruptedException {
        start(b -> {
            b.personality(Personality.RDAC).portalsPerController(1).rdacMaxLunSupported(maxLunSupported)
                    .transitionTime(Duration.ofMillis(100));
            for (int l : luns) b.lun(LunSpec.of(l, 4 << 20));
        });
    }

    /** Both LUNs activated through B: the 110-byte MODE SELECT(6) moves them; A's I/O then gets 94/01. */
    @Test
    void activationThroughTheNonOwnerMovesTheLuns() throws Exception {
        rdac(31, 0, 1);
        ScsiTransport a0 = path(0, 0);
        AttachedHandler onA = attach("rdac", a0);
        AttachedHandler b0 = attach("rdac", path(1, 0));
        AttachedHandler b1 = attach("rdac", path(1, 1));
        assertThat(log).anyMatch(l -> l.contains("LUN 0 (RDAC) (unowned)"));
        assertThat(b0.accessState().state()).hasValue(AluaState.STANDBY);
        assertThat(b0.admits()).isFalse();
        assertThat(onA.accessState().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
        CompletableFuture<Integer> f0 = b0.activate();
        CompletableFuture<Integer> f1 = b1.activate();
        assertThat(f0.get(10, TimeUnit.SECONDS)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(f1.get(10, TimeUnit.SECONDS)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(log).anyMatch(l -> l.contains("ctlr 1, MODE_SELECT completed"));
        assertThat(sim.lun(0).owner()).isEqualTo(1);
        assertThat(sim.lun(1).owner()).isEqualTo(1);
        assertThat(b0.admits()).isTrue();
        // the old owner's I/O: ILLEGAL REQUEST 94/01, which check_sense turns into a path failure
        ScsiResponse r = read(a0);
        assertThat(r.sense().is(Sense.ILLEGAL_REQUEST, 0x94, 0x01)).as("%s", r).isTrue();
        assertThat(onA.checkSense(r.sense())).isEqualTo(Disposition.SUCCESS);
        assertThat(onA.admits()).isFalse();
        // activating the owner again sends nothing
        assertThat(activate(b0)).isEqualTo(ScsiDh.OK);
    }

    /** max_lun_supported 255: the expanded page 0x2C subpage 01h by MODE SELECT(10), 308 bytes, LUN 40. */
    @Test
    void theExpandedModeSelectMovesALunBeyond31() throws Exception {
        rdac(255, 40);
        AttachedHandler b = attach("rdac", path(1, 40));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(sim.lun(40).owner()).isEqualTo(1);
        assertThat(b.admits()).isTrue();
        // as the kernel, the handler learns the new ownership only from the next VPD 0xC9 read (next activation)
        assertThat(activate(b)).isEqualTo(ScsiDh.OK);
        assertThat(b.accessState().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
    }

    /** A MODE SELECT the array refuses is SCSI_DH_IO (current mainline), and nothing moved. */
    @Test
    void aRefusedModeSelectFailsTheActivation() throws Exception {
        rdac(31, 0);
        AttachedHandler b = attach("rdac", path(1, 0));
        sim.lun(0).inject(SenseInjection.of(Sense.INVALID_FIELD_IN_PARAMETER_LIST, 1).through(sim.controller(1))
                .onOpcode(0x15));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.IO);
        assertThat(log).anyMatch(l -> l.contains("MODE_SELECT returned with sense 05/26/00"));
        assertThat(sim.lun(0).owner()).isZero();
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);          // the next one goes through
    }

    /** Unit attentions on the MODE SELECT are retried by the mid-layer rule, up to five in all. */
    @Test
    void unitAttentionsOnTheModeSelectAreRetried() throws Exception {
        rdac(31, 0);
        AttachedHandler b = attach("rdac", path(1, 0));
        sim.lun(0).inject(SenseInjection.of(Sense.POWER_ON_RESET, 3).through(sim.controller(1)).onOpcode(0x15));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(sim.lun(0).owner()).isEqualTo(1);
    }
}
