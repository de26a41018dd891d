package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.iscsi.sim.SimFixture.expectCheck;
import static io.mpathgw.iscsi.sim.SimFixture.expectGood;
import static io.mpathgw.iscsi.sim.SimFixture.read;
import static io.mpathgw.iscsi.sim.SimFixture.tur;
import static org.assertj.core.api.Assertions.assertThat;

/** The hp_sw personality through our initiator (spec §6.4). Portal 0 is controller A (active), portal 1 B. */
class HpSwPersonalityTest {

    static final ScsiCommand START = ScsiCommand.none(Cdb.startStopUnit(false, 0, false, true));

    static SimFixture hpSw(Duration transition) throws InterruptedException {
        return new SimFixture(b -> b.personality(Personality.HP_SW).portalsPerController(1).transitionTime(transition)
                .lun(LunSpec.of(0, 8 << 20)).lun(LunSpec.of(1, 8 << 20)));
    }

    @Test
    void thePassiveControllerAnswers0402UntilStartStopUnitSwitchesTheArray() throws Exception {
        try (SimFixture f = hpSw(Duration.ofMillis(100))) {
            Session a = f.login(0);
            Session b = f.login(1);
            expectCheck(b, 0, tur(), Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
            expectCheck(b, 1, read(0, 1), Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
            expectGood(b, 0, SimFixture.inquiry(36));
            expectGood(b, 0, ScsiCommand.none(Cdb.startStopUnit(false, 0, false, false)));   // START 0: nothing
            expectGood(a, 0, START);                                                         // already active
            assertThat(f.sim.lun(0).owner()).isZero();
            expectGood(b, 0, START);
            assertThat(f.sim.luns()).allMatch(l -> l.owner() == 1);       // the whole array switched
            expectGood(b, 1, read(0, 1));
            expectCheck(a, 0, tur(), Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
            expectCheck(a, 1, tur(), Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
        }
    }

    @Test
    void aSecondStartDuringTheSwitchOverGets0403() throws Exception {
        try (SimFixture f = hpSw(Duration.ofMillis(300))) {
            Session b = f.login(1);
            CompletableFuture<ScsiResponse> first = b.lun(0).submit(START);
            Thread.sleep(50);
            expectCheck(b, 1, START, Sense.NOT_READY_MANUAL_INTERVENTION);
            ScsiResponse r = first.get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
            r.release();
            for (int lun : List.of(0, 1)) expectGood(b, lun, tur());
        }
    }
}
