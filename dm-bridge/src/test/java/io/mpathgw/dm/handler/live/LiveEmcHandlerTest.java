package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.handler.AttachedHandler;
import io.mpathgw.dm.handler.Disposition;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emc handler (scsi_dh_emc, spec §6.3) against the simulator's emc personality over real sessions. Portal 0 is
 * SP A (owner and default SP of LUN 0), portal 1 SP B.
 */
class LiveEmcHandlerTest extends LiveHandlerTest {

    void emc(String model) throws InterruptedException {
        start(b -> b.personality(Personality.EMC).portalsPerController(1).emcModel(model)
                .transitionTime(Duration.ofMillis(100)));
    }

    /** pg_init through SP B: VPD 0xC0 says bound, the long trespass moves the LUN, 0xC0 again says owned. */
    @Test
    void aLongTrespassMovesTheLunToTheActivatedSp() throws Exception {
        emc("CX4-480");
        ScsiTransport pathA = path(0, 0);
        AttachedHandler a = attach("emc", pathA);
        AttachedHandler b = attach("emc", path(1, 0));
        assertThat(log).anyMatch(l -> l.contains("detected Clariion CX4-480, flags 0"));
        assertThat(log).anyMatch(l -> l.contains("connected to SP B Port 0 (bound, default SP A)"));
        assertThat(b.admits()).isFalse();
        assertThat(b.accessState().state()).hasValue(AluaState.STANDBY);
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(log).anyMatch(l -> l.contains("long trespass command sent"));
        assertThat(sim.lun(0).owner()).isEqualTo(1);
        assertThat(b.admits()).isTrue();
        assertThat(b.accessState().preferred()).isFalse();
        // the old SP: NOT READY 04/03 on I/O, which fails the path
        ScsiResponse r = read(pathA);
        assertThat(r.sense().matches(Sense.NOT_READY_MANUAL_INTERVENTION)).as("%s", r).isTrue();
        assertThat(a.checkSense(r.sense())).isEqualTo(Disposition.SUCCESS);
        // and back: pg_init through A trespasses again
        assertThat(activate(a)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(sim.lun(0).owner()).isZero();
    }

    /** An FC-series model takes the short trespass (MODE SELECT(6), 8 bytes). */
    @Test
    void anFcSeriesArrayGetsTheShortTrespass() throws Exception {
        emc("FC4700");
        AttachedHandler b = attach("emc", path(1, 0));
        assertThat(log).anyMatch(l -> l.contains("detected Clariion FC4700, flags 1"));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.OK);
        assertThat(log).anyMatch(l -> l.contains("short trespass command sent"));
        assertThat(sim.lun(0).owner()).isEqualTo(1);
    }

    /** set_params on the owning path ({@code 3 emc 1 1}) trespasses at once with the new flags. */
    @Test
    void setParamsOnTheOwnerTrespassesAtOnce() throws Exception {
        emc("VNX5300");
        AttachedHandler a = attach("emc", path(0, 0), "1", "1");
        assertThat(a.admits()).isTrue();
        assertThat(sim.lun(0).owner()).isZero();
        assertThat(activate(a)).isEqualTo(ScsiDh.OK);
    }

    /** NOT READY 04/03 on the trespass (a non-disruptive upgrade) is DEV_TEMP_BUSY: dm bypasses the group. */
    @Test
    void aTrespassDuringAnUpgradeIsTemporarilyBusy() throws Exception {
        emc("VNX5300");
        AttachedHandler b = attach("emc", path(1, 0));
        sim.lun(0).inject(SenseInjection.of(Sense.NOT_READY_MANUAL_INTERVENTION, 1).through(sim.controller(1))
                .onOpcode(0x55));
        assertThat(activate(b)).as(logText()).isEqualTo(ScsiDh.DEV_TEMP_BUSY);
        assertThat(sim.lun(0).owner()).isZero();
    }
}
