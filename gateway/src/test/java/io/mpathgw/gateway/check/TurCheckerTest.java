package io.mpathgw.gateway.check;

import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static io.mpathgw.gateway.check.SimPaths.TIMEOUT;
import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tur checker against the simulated ALUA array over loopback (portals 0, 1: controller A, group 1, owner;
 * portals 2, 3: controller B, group 2): every row of spec §7.1's tur mapping the array can produce, and the
 * asynchronous frame — a blackholed portal times out within the timeout without blocking the caller, a second check
 * while one runs is "still running".
 */
class TurCheckerTest {

    static CheckResult check(ScsiTransport path) throws Exception {
        return SimPaths.check("tur", path);
    }

    /** The state a check of {@code path} gives when LUN 0 answers its next command with {@code sense}. */
    static PathState stateAfter(SimPaths f, ScsiTransport path, Sense sense) throws Exception {
        f.sim.lun(0).injectSense(sense, 1);
        return check(path).state();
    }

    @Test
    void ownerAndNonOptimizedPathsAreUpAStandbyPathIsAGhost() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA).demotedState(AluaState.STANDBY))) {
            assertThat(check(f.path(0))).isEqualTo(new CheckResult(PathState.UP, "tur checker reports path is up"));
            assertThat(check(f.path(2))).isEqualTo(new CheckResult(PathState.GHOST, "tur checker reports path is ghost"));
        }
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            assertThat(check(f.path(2)).state()).isEqualTo(PathState.UP);      // active/non-optimized
        }
    }

    /** Failover to B through a transition: both paths pending "transitioning" while it lasts, then A ghost, B up. */
    @Test
    void aControllerFailoverIsPendingThenSwapsGhostAndUp() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA).demotedState(AluaState.STANDBY)
                .transitionTime(Duration.ofMillis(1500)))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            PathChecker ca = Checkers.create("tur");
            PathChecker cb = Checkers.create("tur");
            f.sim.failover(1);
            CheckResult during = await(ca.check(a, TIMEOUT));
            assertThat(during).isEqualTo(new CheckResult(PathState.PENDING, "tur checker reports path is transitioning"));
            assertThat(await(cb.check(b, TIMEOUT)).state()).isEqualTo(PathState.PENDING);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (f.sim.lun(0).aluaState(1) != AluaState.ACTIVE_OPTIMIZED && System.nanoTime() < until) Thread.sleep(20);
            // the transition ends with a unit attention on every nexus: tur retries it and still answers
            assertThat(await(ca.check(a, TIMEOUT)).state()).isEqualTo(PathState.GHOST);
            assertThat(await(cb.check(b, TIMEOUT)).state()).isEqualTo(PathState.UP);
        }
    }

    @Test
    void unitAttentionsAreRetriedFiveTriesInAll() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            f.sim.lun(0).injectSense(Sense.POWER_ON_RESET, 4);
            assertThat(check(a).state()).isEqualTo(PathState.UP);
            assertThat(f.sim.lun(0).pendingInjections()).isZero();
            f.sim.lun(0).injectSense(Sense.POWER_ON_RESET, 5);
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.DOWN, "tur checker reports path is down"));
            assertThat(f.sim.lun(0).pendingInjections()).isZero();
        }
    }

    @Test
    void senseFromTheArrayMapsAsTurDoes() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            assertThat(stateAfter(f, a, Sense.NOT_READY_STANDBY)).isEqualTo(PathState.GHOST);
            assertThat(stateAfter(f, a, Sense.NOT_READY_TRANSITIONING)).isEqualTo(PathState.PENDING);
            assertThat(stateAfter(f, a, Sense.NOT_READY_UNAVAILABLE)).isEqualTo(PathState.DOWN);
            assertThat(stateAfter(f, a, Sense.INTERNAL_TARGET_FAILURE)).isEqualTo(PathState.DOWN);
            f.sim.lun(0).inject(SenseInjection.of(Sense.LOGICAL_UNIT_NOT_SUPPORTED, 1));
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.DISCONNECTED, "tur checker no access to this device"));
            assertThat(check(a).state()).isEqualTo(PathState.UP);
        }
    }

    @Test
    void permanentDeviceLossIsDisconnectedOnEveryPath() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(3);
            f.sim.lun(0).pdl(true);
            assertThat(check(a).state()).isEqualTo(PathState.DISCONNECTED);
            assertThat(check(b).state()).isEqualTo(PathState.DISCONNECTED);
            assertThat(PathState.DISCONNECTED.stored()).isEqualTo(PathState.DOWN);
        }
    }

    @Test
    void aKilledPortalIsDown() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            f.kill(0);
            long t0 = System.nanoTime();
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.DOWN, "tur checker reports path is down"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT);
        }
    }

    /**
     * A blackholed portal never answers: check() returns at once, the verdict is TIMEOUT within the timeout and a
     * little slack, and a check asked meanwhile is "still running". Once the portal answers again, so does tur.
     */
    @Test
    void aBlackholedPortalTimesOutWithinTheTimeoutWithoutBlocking() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            PathChecker tur = Checkers.create("tur");
            f.sim.portal(0).blackhole(true);
            long t0 = System.nanoTime();
            CompletionStage<CheckResult> first = tur.check(a, TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
            CheckResult second = await(tur.check(a, TIMEOUT));
            assertThat(second).isEqualTo(new CheckResult(PathState.PENDING, "tur checker still running"));
            CheckResult r = await(first);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r).isEqualTo(new CheckResult(PathState.TIMEOUT, "tur checker timed out"));
            assertThat(took).isBetween(TIMEOUT.minusMillis(20), TIMEOUT.plusMillis(300));
            assertThat(PathState.TIMEOUT.displayName()).isEqualTo("i/o timeout");
        }
    }

    /** Answers held back by the LU (a stalled array) come after the timeout; the next check is not confused. */
    @Test
    void aStalledLunTimesOutAndALaterCheckSeesItAgain() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            PathChecker tur = Checkers.create("tur");
            f.sim.lun(0).stall(true);
            assertThat(await(tur.check(a, Duration.ofMillis(300))).state()).isEqualTo(PathState.TIMEOUT);
            f.sim.lun(0).stall(false);
            assertThat(await(tur.check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
        }
    }
}
