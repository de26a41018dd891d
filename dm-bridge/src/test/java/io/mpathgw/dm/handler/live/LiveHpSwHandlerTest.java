package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.handler.AttachedHandler;
import io.mpathgw.dm.handler.HandlerException;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hp_sw handler (scsi_dh_hp_sw, spec §6.4) against the simulator's hp_sw personality over real sessions.
 * Portal 0 is controller A (active), portal 1 controller B (passive).
 */
class LiveHpSwHandlerTest extends LiveHandlerTest {

    void hpSw() throws InterruptedException {
        start(b -> b.personality(Personality.HP_SW).portalsPerController(1).transitionTime(Duration.ofMillis(100))
                .lun(LunSpec.of(0, 4 << 20)).lun(LunSpec.of(1, 4 << 20)));
    }

    /** The passive path attaches (TUR 04/02 is passive, not an error); START STOP UNIT makes it active. */
    @Test
    void startStopUnitSwitchesTheArrayToTheActivatedController() throws Exception {
        hpSw();
        ScsiTransport a0 = path(0, 0);
        AttachedHandler a = attach("hp_sw", a0);
        AttachedHandler b = attach("hp_sw", path(1, 0));
        assertThat(a.admits()).isTrue();
        assertThat(b.admits()).isFalse();
        assertThat(b.accessState().state()).hasValue(AluaState.STANDBY);
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(b.admits()).isTrue();
        assertThat(sim.luns()).allMatch(l -> l.owner() == 1);
        ScsiResponse r = read(a0);
        assertThat(r.sense().matches(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED)).as("%s", r).isTrue();
        assertThat(activate(a)).as(logText()).isEqualTo(ScsiDh.OK);        // TUR says passive now: START again
        assertThat(sim.lun(1).owner()).isZero();
    }

    /** 04/03 (switch-over in progress) on START STOP UNIT: three retries, then SCSI_DH_RETRY. */
    @Test
    void aSwitchOverStillInProgressAfterThreeRetriesIsRetry() throws Exception {
        hpSw();
        AttachedHandler b = attach("hp_sw", path(1, 0));
        sim.lun(0).inject(SenseInjection.of(Sense.NOT_READY_MANUAL_INTERVENTION, 4).through(sim.controller(1))
                .onOpcode(0x1B));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.RETRY);
        assertThat(sim.lun(0).pendingInjections()).isZero();
        assertThat(sim.lun(0).owner()).isZero();
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
    }

    /** attach fails when the first TEST UNIT READY fails (a medium error is neither active nor passive). */
    @Test
    void attachFailsWhenTheFirstTurFails() throws Exception {
        hpSw();
        ScsiTransport b = path(1, 0);
        sim.lun(0).inject(SenseInjection.of(Sense.UNRECOVERED_READ_ERROR, 1).through(sim.controller(1)));
        assertThatThrownBy(() -> HardwareHandlers.REGISTRY.find("hp_sw").orElseThrow().attach(b, List.of(), ctx)
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(HandlerException.class, e -> assertThat(e.scsiDh()).isEqualTo(ScsiDh.IO));
    }
}
