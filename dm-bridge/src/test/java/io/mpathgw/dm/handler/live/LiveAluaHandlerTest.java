package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.handler.AttachedHandler;
import io.mpathgw.dm.handler.Disposition;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alua handler (scsi_dh_alua, spec §6.1) against the simulator's alua personality over real sessions: two
 * controllers of one portal each; portal 0 is group 1 (owner, preferred), portal 1 group 2.
 */
class LiveAluaHandlerTest extends LiveHandlerTest {

    void alua(Duration transition, AluaState demoted) throws InterruptedException {
        start(b -> b.personality(Personality.ALUA).portalsPerController(1).transitionTime(transition)
                .demotedState(demoted));
    }

    /** pg_init of the non-optimized group: RTPG, STPG (held by the array for its transition), RTPG → OK. */
    @Test
    void activatingTheNonOptimizedGroupSendsStpgAndWaitsOutTheTransition() throws Exception {
        alua(Duration.ofMillis(300), AluaState.ACTIVE_NON_OPTIMIZED);
        AttachedHandler a = attach("alua", path(0, 0));
        AttachedHandler b = attach("alua", path(1, 0));
        long t0 = System.nanoTime();
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(280).toNanos());
        assertThat(sim.lun(0).owner()).isEqualTo(1);
        assertThat(sim.lun(0).aluaState(0)).isEqualTo(AluaState.ACTIVE_NON_OPTIMIZED);
        assertThat(b.accessState().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
        assertThat(a.accessState().state()).hasValue(AluaState.ACTIVE_NON_OPTIMIZED);   // every group in the answer
        assertThat(a.accessState().preferred()).isTrue();
        assertThat(log).anyMatch(l -> l.contains("port group 02 state A non-preferred supports TOlUSNA"));
        assertThat(b.admits()).isTrue();
        assertThat(a.admits()).isTrue();                 // A/NO still takes I/O
        // activating the optimized group again sends nothing and is OK at once
        assertThat(activate(b)).isEqualTo(ScsiDh.OK);
    }

    /** The array failed the LUN over by itself: the handler rides the UA and the transition, sends no STPG. */
    @Test
    void anImplicitFailoverIsWaitedOut() throws Exception {
        alua(Duration.ofMillis(400), AluaState.STANDBY);
        AttachedHandler b = attach("alua", path(1, 0));
        assertThat(activate(b)).isEqualTo(ScsiDh.OK);    // standby → STPG → A/O
        sim.failover(0);
        AttachedHandler a = attach("alua", path(0, 0));
        assertThat(activate(a)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(sim.lun(0).aluaState(0)).isEqualTo(AluaState.ACTIVE_OPTIMIZED);
        assertThat(sim.lun(0).aluaState(1)).isEqualTo(AluaState.STANDBY);
        assertThat(a.accessState().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
        assertThat(b.accessState().state()).hasValue(AluaState.STANDBY);
        assertThat(b.admits()).isFalse();                // prep_fn: no I/O to a standby port
    }

    /** Implicit-only ALUA: no STPG to send; the activation re-reads standby and reports OK, and I/O stays gated. */
    @Test
    void implicitOnlyStandbyActivatesWithoutStpg() throws Exception {
        start(b -> b.personality(Personality.ALUA).portalsPerController(1).tpgs(InquiryData.TPGS_IMPLICIT)
                .demotedState(AluaState.STANDBY).transitionTime(Duration.ZERO));
        AttachedHandler b = attach("alua", path(1, 0));
        assertThat(log).anyMatch(l -> l.contains("supports implicit TPGS"));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(sim.lun(0).owner()).isZero();
        assertThat(b.accessState().state()).hasValue(AluaState.STANDBY);
        assertThat(b.admits()).isFalse();
    }

    @Test
    void anOfflineGroupIsDevOfflined() throws Exception {
        alua(Duration.ZERO, AluaState.ACTIVE_NON_OPTIMIZED);
        AttachedHandler b = attach("alua", path(1, 0));
        sim.lun(0).aluaState(1, AluaState.OFFLINE, Duration.ZERO);
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.DEV_OFFLINED);
        assertThat(b.admits()).isFalse();
    }

    /** A group stuck transitioning past the reported implicit transition time: forced to standby, SCSI_DH_IO. */
    @Test
    void aTransitionPastItsDeadlineFailsTheActivation() throws Exception {
        start(b -> b.personality(Personality.ALUA).portalsPerController(1).implicitTransitionTime(1)
                .transitionTime(Duration.ZERO));
        AttachedHandler b = attach("alua", path(1, 0));
        sim.lun(0).aluaState(1, AluaState.TRANSITIONING, Duration.ZERO);
        long t0 = System.nanoTime();
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.IO);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
        assertThat(log).anyMatch(l -> l.contains("transition timeout set to 1 seconds"));
        assertThat(b.accessState().state()).hasValue(AluaState.STANDBY);
    }

    /** An array that refuses RTPG's extended header: the handler asks again without it and carries on. */
    @Test
    void anArrayWithoutTheExtendedHeader() throws Exception {
        start(b -> b.personality(Personality.ALUA).portalsPerController(1).rtpgExtendedHeader(false)
                .transitionTime(Duration.ofMillis(100)));
        AttachedHandler b = attach("alua", path(1, 0));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(sim.lun(0).owner()).isEqualTo(1);
    }

    /** check_sense on normal I/O during a failover: UA 2A/06 → requeue with RTPG, NOT READY 04/0A → retry. */
    @Test
    void checkSenseOnIoDuringAFailover() throws Exception {
        alua(Duration.ofMillis(500), AluaState.ACTIVE_NON_OPTIMIZED);
        ScsiTransport pathA = path(0, 0);
        AttachedHandler a = attach("alua", pathA);
        sim.failover(1);
        ScsiResponse ua = read(pathA);
        assertThat(ua.sense().matches(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED)).as("%s", ua).isTrue();
        assertThat(a.checkSense(ua.sense())).isEqualTo(Disposition.ADD_TO_MLQUEUE);
        ScsiResponse transitioning = read(pathA);
        assertThat(transitioning.sense().matches(Sense.NOT_READY_TRANSITIONING)).as("%s", transitioning).isTrue();
        assertThat(a.checkSense(transitioning.sense())).isEqualTo(Disposition.NEEDS_RETRY);
        assertThat(a.admits()).isTrue();                 // transitioning: I/O is let through, the array holds it
        // pg_init through A: RTPG until the transition settles (A/NO), then STPG takes the LUN back to A
        assertThat(activate(a)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(a.accessState().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
        assertThat(sim.lun(0).owner()).isZero();
    }
}
