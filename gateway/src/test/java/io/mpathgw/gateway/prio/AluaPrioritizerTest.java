package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.gateway.check.SimPaths;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.mpathgw.gateway.check.SimPaths.TIMEOUT;
import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alua prioritizer against the simulated ALUA array (controller A = group 1 owns and prefers LUN 0, controller B
 * = group 2): the priority, group and state of each path, with and without exclusive_pref_bit, across a failover and
 * its transition, with standby and unavailable groups, and its failures by reason.
 */
class AluaPrioritizerTest {

    static final PathIdentity ID = new PathIdentity("sdb", "8:16", "3:0:0:0", "", "", "", "", "", "");

    static PrioResult prio(String args, ScsiTransport p) throws Exception {
        return await(Prioritizers.create("alua", args).evaluate(p, ID, TIMEOUT));
    }

    static void waitSettled(SimPaths f) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until && (f.sim.lun(0).aluaState(0) == AluaState.TRANSITIONING
                || f.sim.lun(0).aluaState(1) == AluaState.TRANSITIONING)) Thread.sleep(20);
    }

    @Test
    void optimizedAndNonOptimizedPathsAndThePreferredBit() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(3);
            PrioResult pa = prio("", a);
            assertThat(pa.prio()).isEqualTo(50);
            assertThat(pa.tpgId()).isEqualTo(1);
            assertThat(pa.aluaState()).isEqualTo("active/optimized");
            assertThat(pa.message()).isEqualTo("alua prio: target port group 1, aas 80 [active/optimized] [preferred], prio 50");
            assertThat(prio("", b)).isEqualTo(new PrioResult(10, 2, "active/non-optimized",
                    "alua prio: target port group 2, aas 01 [active/non-optimized], prio 10"));
            assertThat(prio("exclusive_pref_bit", a).prio()).isEqualTo(130);
            assertThat(prio(" exclusive_pref_bit ", b).prio()).isEqualTo(10);
            assertThat(await(Prioritizers.create("alua", null).priority(a, ID, TIMEOUT))).isEqualTo(50);
        }
    }

    /**
     * After a failover to B the preferred group A is non-optimized and gets 10 + 80 = 90, more than B's 50: with
     * group_by_prio and failback, multipathd moves I/O back to A (that is why exclusive_pref_bit exists).
     * While the groups transition both paths are 0.
     */
    @Test
    void aFailoverGoesThroughTransitioningToTheNewOwner() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA).demotedState(AluaState.STANDBY)
                .transitionTime(Duration.ofMillis(1500)))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            assertThat(prio("", b)).extracting(PrioResult::prio, PrioResult::aluaState).containsExactly(1, "standby");
            f.sim.failover(1);
            assertThat(prio("", a)).extracting(PrioResult::prio, PrioResult::tpgId, PrioResult::aluaState)
                    .containsExactly(80, 1, "transitioning");          // 0, preferred and not optimized: +80
            assertThat(prio("", b)).extracting(PrioResult::prio, PrioResult::aluaState).containsExactly(0, "transitioning");
            waitSettled(f);
            assertThat(prio("", a)).extracting(PrioResult::prio, PrioResult::aluaState).containsExactly(81, "standby");
            assertThat(prio("", b)).extracting(PrioResult::prio, PrioResult::aluaState)
                    .containsExactly(50, "active/optimized");
            assertThat(prio("exclusive_pref_bit", a).prio()).isEqualTo(81);
        }
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA).transitionTime(Duration.ZERO))) {
            ScsiTransport a = f.path(0);
            f.sim.failover(1);
            assertThat(prio("", a).prio()).isEqualTo(90);
            f.sim.lun(0).aluaState(0, AluaState.UNAVAILABLE, Duration.ZERO);
            assertThat(prio("", a)).extracting(PrioResult::prio, PrioResult::aluaState).containsExactly(80, "unavailable");
        }
    }

    @Test
    void aDeadControllerATimeoutAndPdlAreUndefined() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            ScsiTransport b2 = f.path(3);
            f.sim.controller(0).kill();
            f.awaitDown(0);
            PrioResult dead = prio("", a);
            assertThat(dead.prio()).isEqualTo(Prioritizer.PRIO_UNDEF);
            assertThat(dead.message()).startsWith("alua prio: sending command failed: CONNECTION_LOST");
            waitSettled(f);
            assertThat(prio("", b).prio()).isEqualTo(50);
            f.sim.portal(3).blackhole(true);
            long t0 = System.nanoTime();
            assertThat(prio("", b2)).isEqualTo(PrioResult.undef("alua prio: timed out"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.plusMillis(300));
            f.sim.lun(0).pdl(true);
            assertThat(prio("", b)).isEqualTo(PrioResult.undef("alua prio: alua not supported"));
        }
    }

    /**
     * The RDAC array lists a target port group in VPD 0x83 but answers RTPG with ILLEGAL REQUEST: multipath-tools gets
     * the group (-3, not -1) and fails on the state. TPGS none without a group id is the PDL case above.
     */
    @Test
    void anArrayWithoutRtpgHasAGroupButNoState() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            assertThat(prio("", f.path(2)))
                    .isEqualTo(new PrioResult(-1, 2, "", "alua prio: couldn't get asymmetric access state"));
        }
    }

    @Test
    void rtpgIsRetriedOnUnitAttentionFourTriesInAllThenFails() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            f.sim.lun(0).inject(SenseInjection.of(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED, 3).onOpcode(Cdb.MAINTENANCE_IN));
            assertThat(prio("", a).prio()).isEqualTo(50);
            f.sim.lun(0).inject(SenseInjection.of(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED, 4).onOpcode(Cdb.MAINTENANCE_IN));
            assertThat(prio("", a)).isEqualTo(new PrioResult(-1, 1, "", "alua prio: couldn't get asymmetric access state"));
            f.sim.lun(0).inject(SenseInjection.of(Sense.INVALID_OPERATION_CODE, 1).onOpcode(Cdb.MAINTENANCE_IN));
            assertThat(prio("", a).prio()).isEqualTo(-1);
            assertThat(f.sim.lun(0).pendingInjections()).isZero();
        }
    }

    @ParameterizedTest(name = "aas {0} exclusive {1} -> {2}")
    @CsvSource({
        "00,false,50", "80,false,50", "80,true,130", "01,false,10", "81,false,90", "81,true,90", "04,false,5",
        "84,false,85", "02,false,1", "82,false,81", "03,false,0", "83,false,80", "0E,false,0", "0F,false,0",
        "8F,true,80", "05,false,0", "8A,false,80",
    })
    void priorityOfTheDescriptorByte(String aas, boolean exclusive, int prio) {
        assertThat(AluaPrioritizer.priority(Integer.parseInt(aas, 16), exclusive)).isEqualTo(prio);
    }

    @Test
    void unknownArgumentsAreRejected() {
        assertThatThrownBy(() -> Prioritizers.create("alua", "exclusive_pref_bits"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prio_args for alua: \"exclusive_pref_bits\" (expected: empty or exclusive_pref_bit)");
    }
}
