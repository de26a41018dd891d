package io.mpathgw.gateway.check;

import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hp_sw checker against the simulated HP active/standby array: active up, passive ghost, swapped by a failover. */
class HpSwCheckerTest {

    static CheckResult check(ScsiTransport p) throws Exception {
        return SimPaths.check("hp_sw", p);
    }

    @Test
    void activeIsUpPassiveIsAGhostAndAFailoverSwapsThem() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.HP_SW))) {
            f.assertFailoverSwapsUpAndGhost("hp_sw", 0, 3);
        }
    }

    @Test
    void inquiryFailuresAndAKilledPortal() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.HP_SW))) {
            ScsiTransport a = f.path(0);
            f.sim.lun(0).inject(SenseInjection.of(Sense.INVALID_FIELD_IN_CDB, 1).onOpcode(Cdb.INQUIRY));
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.WILD, "hp_sw checker doesn't support this device"));
            f.sim.lun(0).inject(SenseInjection.of(Sense.INTERNAL_TARGET_FAILURE, 1).onOpcode(Cdb.INQUIRY));
            assertThat(check(a).state()).isEqualTo(PathState.DOWN);
            f.kill(0);
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.DOWN, "hp_sw checker reports path is down"));
        }
    }
}
