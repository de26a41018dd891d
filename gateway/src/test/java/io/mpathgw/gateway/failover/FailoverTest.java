package io.mpathgw.gateway.failover;

import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.iscsi.sim.Flapper;
import io.mpathgw.scsi.AluaState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover under real I/O through the NBD export, with verified data (issue 7): the gateway over the simulated
 * dual-controller ALUA array (4 portals; group_by_prio puts controller A's two paths in group 1, B's in group 2;
 * service-time; failback immediate; our default no_path_retry of 12 checks), quick timers (NOP 300/300 ms, checks
 * every 200 ms). A {@link StampStream} writes stamped 4 KiB blocks at QD 16 over NBD during each fault; at the end
 * every block is read back through a fresh iSCSI session straight to the array and must hold its last acknowledged
 * generation (or a later unacknowledged one): nothing acknowledged lost, no stale overwrite.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverTest {

    static final int REGION = 4096;            // 16 MiB of 4 KiB blocks
    static final int DEPTH = 16;
    static final long MS = 1_000_000L;

    FailoverRig rig;
    StampStream stream;

    FailoverRig rig(MapSettings settings, boolean second) throws Exception {
        rig = FailoverRig.start(FailoverRig.fastTimers(), Policies.uniform(settings, true), second);
        return rig;
    }

    static MapSettings defaults() {
        return FailoverRig.fastAlua(MapSettings.DEFAULTS.noPathRetry());
    }

    StampStream stream(String map, long seed, boolean stopOnError) throws Exception {
        return new StampStream(rig.nbd.port(), map, REGION, DEPTH, seed, stopOnError);
    }

    @AfterEach
    void close() {
        if (stream != null) stream.close();
        if (rig != null) rig.close();
    }

    @Test
    void portalKilledWithRstIoGoesOnOverTheGroupsOtherPath() throws Exception {
        rig(defaults(), false);
        String map = rig.mapOf(rig.sim);
        stream = stream(map, 1, false);
        Thread.sleep(700);
        long fault = System.nanoTime();
        rig.sim.portal(0).kill();
        Thread.sleep(1500);
        long gap = stream.log.longestGap(fault - 300 * MS, System.nanoTime());
        long slowest = stream.log.slowest(fault - 300 * MS, fault + 1000 * MS, System.nanoTime());
        report("RST, group keeps a path", gap, slowest);
        assertThat(rig.view(map).nrActivePaths()).isEqualTo(3);
        assertThat(gap / MS).as("longest gap between completions, ms (aim < 100)" + rig.events()).isLessThan(500);

        // the portal returns: its path is reinstated and carries I/O again
        String sda = rig.devT(rig.sim, 0);
        long revived = System.nanoTime();
        rig.sim.portal(0).revive();
        long before = rig.completedOn(map, sda);
        rig.await(() -> completedOn(map, sda) > before, Duration.ofSeconds(5), "sda carries I/O again");
        System.out.printf("failover: returned portal's path carries I/O after %d ms%n",
                (System.nanoTime() - revived) / MS);
        finish(map);
    }

    @Test
    void portalBlackholedStallIsBoundedByTheNopTimeout() throws Exception {
        rig(defaults(), false);
        String map = rig.mapOf(rig.sim);
        stream = stream(map, 2, false);
        Thread.sleep(700);
        long fault = System.nanoTime();
        rig.sim.portal(0).blackhole(true);
        rig.awaitMap(map, v -> v.nrActivePaths() == 3, Duration.ofSeconds(3));
        Thread.sleep(800);
        long now = System.nanoTime();
        long gap = stream.log.longestGap(fault - 300 * MS, now);
        long slowest = stream.log.slowest(fault - 300 * MS, fault + 1500 * MS, now);
        report("blackhole, group keeps a path", gap, slowest);
        assertThat(slowest / MS).as("slowest write around the fault, ms (NOP 300 + 300 ms; aim < 2000)" + rig.events())
                .isLessThan(2000);
        assertThat(gap / MS).as("longest gap, ms").isLessThan(2000);
        // the writes caught on the black-holed connection were answered through another path; the array still
        // holds them unread in that connection's socket. Stop writing first, so that nothing newer hides them,
        // then lift the black hole: if the array executed them now, they would overwrite newer acknowledged data.
        stream.stop(5000);
        assertThat(stream.pendingCount()).isZero();
        rig.sim.portal(0).blackhole(false);
        rig.awaitMap(map, v -> v.nrActivePaths() == 4, Duration.ofSeconds(8));
        Thread.sleep(500);
        finish(map);
    }

    @Test
    void activeControllerFailsOverAndIoGoesOnOnTheOtherGroup() throws Exception {
        rig(defaults(), false);
        String map = rig.mapOf(rig.sim);
        String sdc = rig.devT(rig.sim, 2);
        stream = stream(map, 3, false);
        Thread.sleep(700);
        long fault = System.nanoTime();
        // controller A hands the LU over and goes away (as one being serviced): B active/optimized at once, A's
        // group transitioning for 300 ms, then unavailable. (A demotion to active/non-optimized would keep I/O on
        // A: the PREF bit makes its paths 10 + 80 > 50, multipath-tools' alua rule, and A/NO still serves I/O.)
        rig.sim.lun(0).aluaState(1, AluaState.ACTIVE_OPTIMIZED, Duration.ZERO);
        rig.sim.lun(0).aluaState(0, AluaState.UNAVAILABLE, Duration.ofMillis(300));
        long before = rig.completedOn(map, sdc);
        rig.await(() -> completedOn(map, sdc) > before + 200, Duration.ofSeconds(8), "B's paths carry I/O");
        Thread.sleep(500);
        long now = System.nanoTime();
        long gap = stream.log.longestGap(fault - 300 * MS, now);
        report("ALUA controller failover", gap, stream.log.slowest(fault - 300 * MS, now, now));
        assertThat(rig.sim.lun(0).aluaState(0)).isEqualTo(AluaState.UNAVAILABLE);
        MapView v = rig.view(map);
        System.out.println("failover: controller failover events" + rig.events());
        // A's paths failed (unavailable), the I/O goes through B's, wherever group_by_prio put them
        assertThat(v.groups().stream().flatMap(g -> g.paths().stream())).as(v.table() + rig.events())
                .filteredOn(p -> p.dmState().equals("active")).isNotEmpty().allMatch(p -> p.aluaTpg() == 2);
        // the issue sets no aim here; seen 2.0-3.1 s: writes caught in the 300 ms transition (NOT READY 04/0A) wait
        // for the 1 s delayed retry on the same path, then meet unavailable (04/0C) and fail over
        assertThat(gap / MS).as("longest gap, ms" + rig.events()).isLessThan(5000);
        finish(map);
    }

    @Test
    void portalFlappingEveryOneToThreeSeconds() throws Exception {
        flap(Integer.getInteger("failover.flap.seconds", 10));
    }

    void flap(int seconds) throws Exception {
        rig(defaults(), false);
        String map = rig.mapOf(rig.sim);
        stream = stream(map, 4, false);
        Thread.sleep(500);
        Flapper f = rig.sim.flap(0, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofSeconds(3));
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        f.stop();
        long gap = stream.log.longestGap(start, System.nanoTime());
        report("portal 0 flapping " + seconds + " s " + f.history(), gap, stream.log.slowest(start, System.nanoTime(),
                System.nanoTime()));
        assertThat(f.history().stream().filter(h -> h.startsWith("down")).count()).isGreaterThanOrEqualTo(2);
        assertThat(rig.view(map).counters()).isNotNull();
        assertThat(gap / MS).as("longest gap, ms" + rig.events()).isLessThan(1000);
        rig.awaitMap(map, v -> v.nrActivePaths() == 4, Duration.ofSeconds(8));
        finish(map);
    }

    @Test
    void everyPortalDownForLessThanNoPathRetryStallsThenCompletes() throws Exception {
        rig(defaults(), false);
        String map = rig.mapOf(rig.sim);
        assertThat(rig.view(map).queueing()).isEqualTo("12 chk");
        stream = stream(map, 5, false);
        Thread.sleep(700);
        long fault = System.nanoTime();
        for (int i = 0; i < 4; i++) rig.sim.portal(i).kill();
        rig.awaitMap(map, v -> v.nrActivePaths() == 0, Duration.ofSeconds(2));
        Thread.sleep(1200);                        // 12 checks of 200 ms = 2.4 s of queueing allowed
        long held = stream.pendingCount();
        for (int i = 0; i < 4; i++) rig.sim.portal(i).revive();
        rig.awaitMap(map, v -> v.nrActivePaths() >= 2, Duration.ofSeconds(5));
        Thread.sleep(500);
        long now = System.nanoTime();
        long gap = stream.log.longestGap(fault - 300 * MS, now);
        report("all portals down 1.2 s", gap, stream.log.slowest(fault - 300 * MS, now, now));
        assertThat(stream.log.errors(0, Long.MAX_VALUE)).as("writes failed" + rig.events()).isZero();
        assertThat(held).as("writes held while every path was down").isEqualTo(DEPTH);
        assertThat(gap / MS).as("the stream stalled, then went on" + rig.events()).isBetween(1000L, 4000L);
        finish(map);
    }

    @Test
    void everyPortalDownLongerFailsIoWithinTheBoundWhileAnotherMapIsServed() throws Exception {
        rig(defaults(), true);
        String map = rig.mapOf(rig.sim);
        String other = rig.mapOf(rig.other);
        stream = stream(map, 6, true);
        try (StampStream second = stream(other, 7, false)) {
            Thread.sleep(700);
            long fault = System.nanoTime();
            for (int i = 0; i < 4; i++) rig.sim.portal(i).kill();
            rig.await(() -> !stream.running(), Duration.ofSeconds(8), "a write of " + map + " failing");
            long firstError = stream.log.firstError();
            long tookMs = (firstError - fault) / MS;
            System.out.printf("failover: every portal down: first error after %d ms (no_path_retry 12 x 200 ms)%n",
                    tookMs);
            // the bound: no_path_retry 12 x polling_interval 200 ms, plus one 1 s tick of the checker loop as
            // multipathd counts it (the engine's NoPathQueueing: "entering recovery mode, 3400 ms"); error within
            // that + 1 s
            assertThat(tookMs).as("first error, ms after the portals went" + rig.events()).isBetween(2400L, 4400L);
            assertThat(stream.log.errors(0, Long.MAX_VALUE)).isGreaterThan(0);
            Thread.sleep(500);
            long now = System.nanoTime();
            assertThat(second.log.errors(0, Long.MAX_VALUE)).as("errors on " + other).isZero();
            assertThat(second.log.longestGap(fault, now) / MS).as(other + " kept being served, longest gap ms")
                    .isLessThan(500);
            assertThat(second.log.completions(fault, now).length).isGreaterThan(100);
            for (int i = 0; i < 4; i++) rig.sim.portal(i).revive();
            second.stop(3000);
            assertThat(second.broken()).isNull();
            StampCheck.Result r2 = rig.check(second, rig.other);
            assertThat(r2.ok()).as(r2.toString()).isTrue();
            stream.stop(3000);
            StampCheck.Result r1 = rig.check(stream, rig.sim);
            System.out.println("failover: " + map + ": " + r1 + "\nfailover: " + other + ": " + r2);
            assertThat(r1.ok()).as(r1.toString()).isTrue();
        }
    }

    /** Stops the stream, requires no errors and a clean read-back. */
    void finish(String map) throws Exception {
        stream.stop(5000);
        assertThat(stream.broken()).isNull();
        assertThat(stream.pendingCount()).as("writes never answered" + rig.events()).isZero();
        assertThat(stream.log.errors(0, Long.MAX_VALUE)).as("writes failed" + rig.events()).isZero();
        assertThat(stream.okCount()).isGreaterThan(500);
        StampCheck.Result r = rig.check(stream, rig.sim);
        System.out.println("failover: " + map + ": " + stream.okCount() + " writes acknowledged; " + r);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.blocksWithAckedData()).isGreaterThan(100);
    }

    long completedOn(String map, String devT) {
        try {
            return rig.completedOn(map, devT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void report(String what, long gapNanos, long slowestNanos) {
        System.out.printf("failover: %s: longest gap between completions %d ms, slowest write %d ms%n", what,
                gapNanos / MS, slowestNanos / MS);
    }
}
