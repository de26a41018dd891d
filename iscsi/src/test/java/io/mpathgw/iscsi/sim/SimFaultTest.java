package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionListener;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.iscsi.sim.SimFixture.data;
import static io.mpathgw.iscsi.sim.SimFixture.expectCheck;
import static io.mpathgw.iscsi.sim.SimFixture.expectGood;
import static io.mpathgw.iscsi.sim.SimFixture.read;
import static io.mpathgw.iscsi.sim.SimFixture.tur;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault kind as our initiator observes it (issue 4: RST → transport error at once, black-hole → NOP timeout…). */
class SimFaultTest {

    static final Sense MEDIUM = Sense.UNRECOVERED_READ_ERROR;

    static SimFixture activeActive() throws InterruptedException {
        return new SimFixture(b -> b.personality(Personality.ACTIVE_ACTIVE).seed(42)
                .lun(LunSpec.of(0, 8 << 20)).lun(LunSpec.of(1, 4 << 20)));
    }

    static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void killResetsConnectionsAndRefusesUntilRevived() throws Exception {
        try (SimFixture f = activeActive()) {
            Session s = f.login(0);
            f.sim.lun(0).stall(true);
            CompletableFuture<ScsiResponse> pending = s.lun(0).submit(read(0, 1));
            Thread.sleep(50);
            long t0 = System.nanoTime();
            f.sim.portal(0).kill();
            assertThatThrownBy(() -> pending.get(2, TimeUnit.SECONDS)).cause().isInstanceOf(TransportException.class)
                    .hasMessageContaining("CONNECTION_LOST");
            assertThat(millisSince(t0)).isLessThan(1000);
            f.sim.lun(0).stall(false);
            Thread.sleep(300);
            assertThat(s.state()).isEqualTo(SessionState.RECOVERING);          // reconnects are refused
            t0 = System.nanoTime();
            assertThatThrownBy(() -> SimFixture.run(s, 0, tur())).cause().isInstanceOf(TransportException.class);
            assertThat(millisSince(t0)).isLessThan(1000);
            Session other = f.login(1);                                          // the other portal is untouched
            expectGood(other, 0, read(0, 1));
            f.sim.portal(0).revive();
            s.awaitLoggedIn(Duration.ofSeconds(5));
            expectCheck(s, 0, tur(), Sense.POWER_ON_RESET);                     // a new I_T nexus after the RST
        }
    }

    @Test
    void blackholeIsSeenAsANopTimeout() throws Exception {
        try (SimFixture f = activeActive()) {
            Session s = f.login(f.config(2).nopInterval(Duration.ofMillis(100)).nopTimeout(Duration.ofMillis(300)).build());
            CompletableFuture<String> lost = new CompletableFuture<>();
            s.addListener(new SessionListener() {
                @Override
                public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                    if (to == SessionState.RECOVERING) lost.complete(cause);
                }
            });
            f.sim.portal(2).blackhole(true);
            assertThat(lost.get(3, TimeUnit.SECONDS)).contains("NOP-Out ping unanswered");
            f.sim.portal(2).blackhole(false);
            s.awaitLoggedIn(Duration.ofSeconds(5));
        }
    }

    @Test
    void latencyPerPortalAndPerLunAndRefusedLogins() throws Exception {
        try (SimFixture f = activeActive()) {
            Session s = f.login(1);
            f.sim.portal(1).latency(Duration.ofMillis(150));
            long t0 = System.nanoTime();
            expectGood(s, 0, tur());
            assertThat(millisSince(t0)).isGreaterThanOrEqualTo(140);
            f.sim.portal(1).latency(Duration.ZERO);
            f.sim.lun(1).latency(Duration.ofMillis(120));
            t0 = System.nanoTime();
            expectGood(s, 1, read(0, 1));
            assertThat(millisSince(t0)).isGreaterThanOrEqualTo(110);
            t0 = System.nanoTime();
            expectGood(s, 0, read(0, 1));                                        // the other LUN is fast
            assertThat(millisSince(t0)).isLessThan(110);
            f.sim.controller(1).refuseLogin(true);
            Session refused = f.open(f.config(3).build());
            assertThatThrownBy(() -> refused.awaitLoggedIn(Duration.ofMillis(500))).hasMessageContaining("0x0301");
            f.sim.controller(1).refuseLogin(false);
            refused.awaitLoggedIn(Duration.ofSeconds(5));
        }
    }

    @Test
    void injectedSenseHitsTheNextNMatchingCommands() throws Exception {
        try (SimFixture f = activeActive()) {
            Session a = f.login(0);
            Session b = f.login(2);
            SimLun lun = f.sim.lun(0);
            lun.injectSense(MEDIUM, 2);
            expectGood(a, 0, SimFixture.inquiry(36));                            // discovery is not hit
            expectCheck(a, 0, read(0, 1), MEDIUM);
            expectCheck(b, 0, tur(), MEDIUM);
            expectGood(a, 0, read(0, 1));
            assertThat(lun.pendingInjections()).isZero();
            lun.inject(SenseInjection.of(Sense.NOT_READY_BECOMING_READY, 1).through(f.sim.controller(1))
                    .onOpcode(0x88));
            expectGood(a, 0, read(0, 1));                                        // controller A: untouched
            expectGood(b, 0, tur());                                             // not a READ(16)
            expectCheck(b, 0, read(0, 1), Sense.NOT_READY_BECOMING_READY);
            expectGood(b, 0, read(0, 1));
            lun.inject(SenseInjection.of(Sense.POWER_ON_RESET, 1).through(f.sim.portal(1)).onAnyCommand());
            expectGood(a, 0, SimFixture.inquiry(36));                            // portal 0: untouched
            Session a1 = f.login(1);                                             // its scan TUR took it
            assertThat(lun.pendingInjections()).isZero();
            expectGood(a1, 0, SimFixture.inquiry(36));
        }
    }

    @Test
    void permanentDeviceLossOnEveryPath() throws Exception {
        try (SimFixture f = activeActive()) {
            Session[] paths = {f.login(0), f.login(1), f.login(2), f.login(3)};
            f.sim.lun(1).pdl(true);
            for (Session s : paths) {
                expectCheck(s, 1, tur(), Sense.LOGICAL_UNIT_NOT_SUPPORTED);
                expectCheck(s, 1, read(0, 1), Sense.LOGICAL_UNIT_NOT_SUPPORTED);
                assertThat(data(s, 1, SimFixture.inquiry(36))[0]).isEqualTo((byte) 0x7F);   // PQ 3, type 1Fh
                assertThat(data(s, 1, SimFixture.vpd(0x83, 255))).containsExactly(0x7F, 0x83, 0, 0);
            }
            expectCheck(paths[0], 0, tur(), Sense.REPORTED_LUNS_DATA_CHANGED);
            // an array that lost the LU no longer reports it
            assertThat(io.mpathgw.scsi.ReportLuns.parse(data(paths[0], 0, ScsiCommand.read(Cdb.reportLuns(256), 256))))
                    .extracting(io.mpathgw.scsi.Lun::number).containsExactly(0);
            f.sim.lun(1).pdl(false);
            assertThat(io.mpathgw.scsi.ReportLuns.parse(data(paths[0], 0, ScsiCommand.read(Cdb.reportLuns(256), 256))))
                    .extracting(io.mpathgw.scsi.Lun::number).containsExactly(0, 1);
            expectGood(paths[3], 1, read(0, 1));
        }
    }

    @Test
    void capacityChangeRaises2a09OnEveryNexus() throws Exception {
        try (SimFixture f = activeActive()) {
            Session a = f.login(0);
            Session b = f.login(3);
            long blocks = f.sim.lun(0).device().blockCount();
            expectCheck(a, 0, read(blocks, 1), Sense.LBA_OUT_OF_RANGE);
            f.sim.lun(0).resize(blocks * 2);
            for (Session s : new Session[] {a, b}) {
                expectCheck(s, 0, read(0, 1), Sense.CAPACITY_DATA_CHANGED);
                ReadCapacity rc = ReadCapacity.parse16(data(s, 0, ScsiCommand.read(Cdb.readCapacity16(32), 32)));
                assertThat(rc.blockCount()).isEqualTo(blocks * 2);
            }
            expectGood(a, 0, read(blocks, 1));
            expectGood(b, 1, tur());                                             // the other LUN: no UA
            assertThatThrownBy(() -> f.sim.lun(0).resize(blocks * 5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: 1..");
        }
    }

    @Test
    void writesThroughOnePathAreReadThroughAnother() throws Exception {
        try (SimFixture f = activeActive()) {
            byte[] pattern = new byte[4096];
            Arrays.fill(pattern, (byte) 0x5A);
            expectGood(f.login(0), 1, SimFixture.write(100, pattern));
            assertThat(data(f.login(3), 1, read(100, 8))).isEqualTo(pattern);
        }
    }

    /** Two arrays serving one store under one WWID (a stretched LUN): what one writes, the other reads. */
    @Test
    void twoArraysCanShareAStore() throws Exception {
        try (io.mpathgw.scsi.MemoryBlockDevice store = new io.mpathgw.scsi.MemoryBlockDevice(512, 2048)) {
            String naa = "6001405abcdef0123456789abcdef012";
            LunSpec shared = LunSpec.of(0, store).withNaa(naa);
            try (SimFixture f = new SimFixture(b -> b.iqn("iqn.2026-01.io.mpathgw.test:site1").lun(shared));
                 SimFixture g = new SimFixture(b -> b.iqn("iqn.2026-01.io.mpathgw.test:site2").lun(shared))) {
                byte[] pattern = new byte[512];
                Arrays.fill(pattern, (byte) 0x3C);
                expectGood(f.login(0), 0, SimFixture.write(7, pattern));
                assertThat(data(g.login(1), 0, read(7, 1))).isEqualTo(pattern);
                assertThat(f.sim.lun(0).wwid()).isEqualTo(g.sim.lun(0).wwid()).isEqualTo("3" + naa);
                assertThatThrownBy(() -> f.sim.lun(0).resize(10)).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    /** ALUA controller loss: A's paths reset; B goes through a transition to active/optimized; A is unavailable. */
    @Test
    void controllerKillFailsItsPathsAndFailsTheLunOver() throws Exception {
        try (SimFixture f = new SimFixture(b -> b.transitionTime(Duration.ofMillis(200)))) {
            Session a = f.login(0);
            Session b = f.login(2);
            f.sim.controller(0).kill();
            assertThatThrownBy(() -> SimFixture.run(a, 0, tur())).cause().isInstanceOf(TransportException.class);
            expectCheck(b, 0, read(0, 1), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectCheck(b, 0, read(0, 1), Sense.NOT_READY_TRANSITIONING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (f.sim.lun(0).aluaState(1) != AluaState.ACTIVE_OPTIMIZED && System.nanoTime() < deadline)
                Thread.sleep(20);
            expectCheck(b, 0, read(0, 1), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectGood(b, 0, read(0, 1));
            TargetPortGroups tpg = TargetPortGroups.parse(data(b, 0, SimFixture.rtpg(true)));
            assertThat(tpg.group(1).orElseThrow().state()).hasValue(AluaState.UNAVAILABLE);
            f.sim.controller(0).revive();
            a.awaitLoggedIn(Duration.ofSeconds(5));
        }
    }

    @Test
    void flappingReplaysFromTheSeed() throws Exception {
        Duration lo = Duration.ofMillis(40), hi = Duration.ofMillis(90);
        try (SimFixture f = activeActive()) {
            assertThat(Flapper.plan(f.sim.random(3), lo, hi, lo, hi, 8))
                    .isEqualTo(Flapper.plan(f.sim.random(3), lo, hi, lo, hi, 8))
                    .isNotEqualTo(Flapper.plan(f.sim.random(2), lo, hi, lo, hi, 8))
                    .allMatch(ms -> ms >= 40 && ms <= 90);
            Flapper flapper = f.sim.flap(3, lo, hi, lo, hi);
            Thread.sleep(400);
            flapper.stop();
            java.util.List<Long> planned = Flapper.plan(f.sim.random(3), lo, hi, lo, hi, flapper.history().size());
            assertThat(flapper.history()).hasSizeGreaterThanOrEqualTo(4)
                    .isEqualTo(planned.stream().map(new java.util.function.Function<Long, String>() {
                        int i;

                        @Override
                        public String apply(Long ms) {
                            return (i++ % 2 == 0 ? "up " : "down ") + ms + "ms";
                        }
                    }).toList());
            assertThat(f.sim.portal(3).killed()).isFalse();
            expectGood(f.login(3), 0, read(0, 1));
        }
    }

    @Test
    void oneTargetPerControllerAndConfiguredWwids() throws Exception {
        String naa = "600a0b800012345600000abc00000007";
        try (SimFixture f = new SimFixture(b -> b.targetPerController(true).iqn("iqn.2026-01.io.mpathgw.test:sim7")
                .lun(LunSpec.of(3, 1 << 20).withNaa(naa)))) {
            assertThat(f.sim.targetName(0)).isEqualTo("iqn.2026-01.io.mpathgw.test:sim7.ctrla");
            assertThat(f.sim.targetName(2)).isEqualTo("iqn.2026-01.io.mpathgw.test:sim7.ctrlb");
            Session b = f.login(2);
            assertThat(io.mpathgw.scsi.Wwid.fromVpd83(data(b, 3, SimFixture.vpd(0x83, 255))).orElseThrow().value())
                    .isEqualTo("3" + naa).isEqualTo(f.sim.lun(3).wwid());
            Session crossed = f.open(io.mpathgw.iscsi.initiator.InitiatorConfig.builder(f.sim.address(2),
                    f.sim.targetName(0)).initiatorName(SimFixture.INITIATOR).loginTimeout(Duration.ofSeconds(2)).build());
            assertThatThrownBy(() -> crossed.awaitLoggedIn(Duration.ofSeconds(2))).hasMessageContaining("0x02");
        }
        try (SimFixture f = activeActive(); SimFixture g = activeActive()) {
            assertThat(f.sim.lun(0).wwid()).isEqualTo(g.sim.lun(0).wwid()).isNotEqualTo(f.sim.lun(1).wwid())
                    .startsWith("36");
        }
    }
}
