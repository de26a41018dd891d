package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CannedTransport;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.gateway.check.SimPaths;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.RdacMode;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.mpathgw.gateway.check.SimPaths.TIMEOUT;
import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rdac, emc and hp_sw prioritizers against the simulated arrays of their kind (controller A owns and prefers LUN
 * 0), before and after a failover to B, and their byte-level corner cases with a scripted transport.
 */
class VendorPrioritizersTest {

    static final PathIdentity ID = new PathIdentity("sdc", "8:32", "4:0:0:0", "", "", "", "", "", "");

    static int prio(String name, ScsiTransport p) throws Exception {
        return await(Prioritizers.create(name, "").priority(p, ID, TIMEOUT));
    }

    @Test
    void rdacSumsOwnerPreferredAndIoShipping() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            assertThat(prio("rdac", a)).as("owned 2 + preferred 4").isEqualTo(6);
            assertThat(prio("rdac", b)).isZero();
            f.sim.failover(1);
            assertThat(prio("rdac", a)).as("preferred, not owned").isEqualTo(4);
            assertThat(prio("rdac", b)).as("owned, not preferred").isEqualTo(2);
            f.kill(0);
            assertThat(prio("rdac", a)).isEqualTo(Prioritizer.PRIO_UNDEF);
        }
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC).rdacMode(RdacMode.IOSHIP))) {
            assertThat(prio("rdac", f.path(0))).isEqualTo(14);
            assertThat(prio("rdac", f.path(2))).isEqualTo(8);
        }
    }

    static byte[] c9(int b8, int b9) {
        byte[] b = new byte[48];
        b[1] = (byte) 0xC9;
        b[3] = 0x2C;
        b[4] = 'v';
        b[5] = 'a';
        b[6] = 'c';
        b[7] = 'e';
        b[8] = (byte) b8;
        b[9] = (byte) b9;
        return b;
    }

    @Test
    void rdacPageCornerCases() {
        RdacPrioritizer p = new RdacPrioritizer();
        assertThat(p.decode(c9(0x00, 0x02)).prio()).as("secondary path").isEqualTo(1);
        assertThat(p.decode(c9(0x01, 0x02)).prio()).isEqualTo(3);
        assertThat(p.decode(c9(0x21, 0x01)).prio()).isEqualTo(14);
        assertThat(p.decode(c9(0x00, 0x03)).prio()).as("reserved preference").isZero();
        assertThat(p.decode(c9(0x00, 0xF1)).prio()).as("low nibble only").isEqualTo(4);
        byte[] bad = c9(0x01, 0x01);
        bad[6] = 'x';
        assertThat(p.decode(bad)).isEqualTo(PrioResult.of(0, "rdac prio: volume access control page in unknown format"));
        bad = c9(0x01, 0x01);
        bad[3] = 0x2B;
        assertThat(p.decode(bad).prio()).isZero();
    }

    @Test
    void rdacErrorAnswersAreZeroNoAnswerIsUndefined() throws Exception {
        CannedTransport t = new CannedTransport().check(Sense.INVALID_FIELD_IN_CDB);
        assertThat(prio("rdac", t)).isZero();
        CannedTransport never = new CannedTransport().otherwise(c -> new java.util.concurrent.CompletableFuture<>());
        assertThat(await(Prioritizers.create("rdac", "").evaluate(never, ID, Duration.ofMillis(100))))
                .isEqualTo(PrioResult.undef("rdac prio: timed out"));
        assertThat(t.allReleased()).isTrue();
    }

    @Test
    void emcIsLunStatePlusTwoOnTheDefaultSp() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.EMC))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            assertThat(prio("emc", a)).as("owned 2 + default SP 2").isEqualTo(4);
            assertThat(prio("emc", b)).as("bound 1").isEqualTo(1);
            f.sim.failover(1);
            assertThat(prio("emc", a)).isEqualTo(3);
            assertThat(prio("emc", b)).isEqualTo(2);
            f.sim.lun(0).pdl(true);
            assertThat(prio("emc", a)).isEqualTo(Prioritizer.PRIO_UNDEF);
        }
    }

    @Test
    void emcPageCornerCases() {
        EmcPrioritizer p = new EmcPrioritizer();
        byte[] c0 = new byte[128];
        c0[1] = (byte) 0xC0;
        c0[4] = 2;
        c0[5] = 1;
        c0[8] = 1;
        c0[27] = 3;
        c0[28] = 6;
        c0[30] = 4;
        assertThat(p.decode(c0).prio()).isEqualTo(4);
        c0[48] = 1;
        assertThat(p.decode(c0)).isEqualTo(PrioResult.undef("emc prio: path not available for normal operations"));
        c0[48] = 0;
        c0[28] = 1;
        assertThat(p.decode(c0)).isEqualTo(PrioResult.undef("emc prio: path not correctly configured for failover"));
        c0[28] = 4;
        c0[9] = 1;
        assertThat(p.decode(c0)).isEqualTo(PrioResult.undef("emc prio: path unit report page in unknown format"));
    }

    @Test
    void hpSwIsFourActiveTwoStandby() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.HP_SW))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            assertThat(prio("hp_sw", a)).isEqualTo(4);
            assertThat(prio("hp_sw", b)).isEqualTo(2);
            f.sim.lun(0).injectSense(Sense.POWER_ON_RESET, 3);
            assertThat(prio("hp_sw", a)).as("resets are retried").isEqualTo(4);
            f.sim.lun(0).injectSense(Sense.MODE_PARAMETERS_CHANGED, 1);
            assertThat(prio("hp_sw", a)).as("other unit attentions are not").isZero();
            f.sim.failover(1);
            assertThat(prio("hp_sw", a)).isEqualTo(2);
            assertThat(prio("hp_sw", b)).isEqualTo(4);
            f.sim.portal(2).blackhole(true);
            assertThat(prio("hp_sw", b)).isEqualTo(Prioritizer.PRIO_UNDEF);
        }
    }
}
