package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.initiator.DiscoveredTarget;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Target nodes added and removed on a running target, with our initiator: the other node's session neither
 * notices nor pauses, SendTargets and login follow at once, the removed node's session is asked to log out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TargetNodesTest {

    static final String B = "iqn.2026-01.io.mpathgw.test:disk2";

    static List<String> names(Session discovery) throws Exception {
        return discovery.sendTargets("All").get(5, TimeUnit.SECONDS).stream().map(DiscoveredTarget::name).toList();
    }

    /** Writes a block, reads it back and compares, over and over, until stopped; counts rounds, keeps the first error. */
    static final class Traffic implements Runnable {
        final Session s;
        final AtomicLong rounds = new AtomicLong();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile boolean stop;

        Traffic(Session s) {
            this.s = s;
        }

        @Override
        public void run() {
            byte[] block = new byte[TargetFixture.BLOCK];
            try {
                for (long i = 0; !stop; i++) {
                    Arrays.fill(block, (byte) i);
                    ScsiResponse w = TargetFixture.run(s, ScsiCommand.write(Cdb.write16(i % 1024, 1, false),
                            Unpooled.wrappedBuffer(block.clone())));
                    assertThat(w.status()).as("WRITE status, round " + i).isEqualTo(ScsiResponse.GOOD);
                    w.release();
                    ScsiResponse r = TargetFixture.run(s, ScsiCommand.read(Cdb.read16(i % 1024, 1), TargetFixture.BLOCK));
                    assertThat(r.status()).as("READ status, round " + i).isEqualTo(ScsiResponse.GOOD);
                    ByteBuf d = r.data();
                    byte[] got = new byte[d.readableBytes()];
                    d.getBytes(d.readerIndex(), got);
                    r.release();
                    assertThat(got).as("READ data, round " + i).isEqualTo(block);
                    rounds.incrementAndGet();
                }
            } catch (Throwable e) {
                error.set(e);
            }
        }

        long awaitMore(long than) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (rounds.get() <= than + 10 && error.get() == null && System.nanoTime() < end) Thread.sleep(5);
            assertThat(error.get()).as("I/O error on node A").isNull();
            assertThat(rounds.get()).as("I/O on node A keeps going").isGreaterThan(than + 10);
            return rounds.get();
        }
    }

    @Test
    void nodeBComesAndGoesWhileNodeAKeepsDoingIo() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            TestDisk diskB = new TestDisk(TargetFixture.BLOCK, 2048, "SN0002");
            try {
                Session a = f.login(f.config().build());
                int tsihA = a.tsih();
                TargetSession targetSideA = f.target.sessions(TargetFixture.IQN).get(0);
                Session d = f.login(InitiatorConfig.builder(f.portal(0), null).initiatorName(TargetFixture.INITIATOR).build());
                assertThat(names(d)).containsExactly(TargetFixture.IQN);

                Traffic io = new Traffic(a);
                Thread t = new Thread(io, "node-A-io");
                t.start();
                long seen = io.awaitMore(0);

                f.target.addTarget(TargetNode.builder(B).alias("disk two").lun(0, diskB).build());
                assertThat(names(d)).as("SendTargets right after addTarget").containsExactly(TargetFixture.IQN, B);
                Session b = f.login(InitiatorConfig.builder(f.portal(0), B).initiatorName(TargetFixture.INITIATOR)
                        .loginTimeout(Duration.ofSeconds(5)).reconnectInitial(Duration.ofMillis(50))
                        .reconnectCap(Duration.ofMillis(200)).build());
                assertThat(b.targetAlias()).isEqualTo("disk two");
                ScsiResponse r = TargetFixture.run(b, ScsiCommand.read(Cdb.read16(0, 1), TargetFixture.BLOCK));
                assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
                r.release();
                seen = io.awaitMore(seen);

                TargetSession targetSideB = f.target.sessions(B).get(0);
                CompletableFuture<Void> gone = f.target.removeTarget(B);
                assertThat(names(d)).as("SendTargets right after removeTarget").containsExactly(TargetFixture.IQN);
                gone.get(IscsiTarget.REMOVAL_LOGOUT_SECONDS + 3, TimeUnit.SECONDS);
                // our initiator answers the Async Message with a Logout, so the connection ends cleanly
                assertThat(targetSideB.closed().getNow("")).startsWith("logged out");
                assertThat(f.target.sessions(B)).isEmpty();
                // it then tries to log in again and is refused for good: 0x0204 Target removed (class 2, detail 4)
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!b.lastFailure().contains("0x0204") && System.nanoTime() < end) Thread.sleep(10);
                assertThat(b.lastFailure()).contains("0x0204");
                assertThat(b.state()).isNotEqualTo(SessionState.LOGGED_IN);
                Session again = f.open(InitiatorConfig.builder(f.portal(0), B).initiatorName(TargetFixture.INITIATOR).build());
                assertThatThrownBy(() -> again.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("0x0204");
                seen = io.awaitMore(seen);

                // A's session was never touched: the same TSIH, still registered, never ended
                io.stop = true;
                t.join(10_000);
                assertThat(io.error.get()).isNull();
                assertThat(a.state()).isEqualTo(SessionState.LOGGED_IN);
                assertThat(a.tsih()).isEqualTo(tsihA);
                assertThat(targetSideA.closed()).isNotDone();
                assertThat(f.target.sessions(TargetFixture.IQN)).containsExactly(targetSideA);
                assertThat(seen).isGreaterThan(30);
            } finally {
                diskB.dispose();
            }
        }
    }

    @Test
    void aRemovedNameCanBeAddedAgainAndNamesAreChecked() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            TestDisk diskB = new TestDisk(TargetFixture.BLOCK, 2048, "SN0002");
            try {
                TargetNode b = TargetNode.builder(B).lun(0, diskB).build();
                assertThatThrownBy(() -> f.target.addTarget(TargetNode.builder(TargetFixture.IQN).build()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(TargetFixture.IQN);
                assertThatThrownBy(() -> f.target.removeTarget(B))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(B);
                f.target.addTarget(b);
                f.target.removeTarget(B).get(1, TimeUnit.SECONDS);     // no session: done at once
                f.target.addTarget(b);
                Session s = f.login(InitiatorConfig.builder(f.portal(0), B).initiatorName(TargetFixture.INITIATOR).build());
                assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
                // a name never served is still 0x0203 Not found, not 0x0204
                Session unknown = f.open(InitiatorConfig.builder(f.portal(0), "iqn.2026-01.io.mpathgw.test:never")
                        .initiatorName(TargetFixture.INITIATOR).build());
                assertThatThrownBy(() -> unknown.awaitLoggedIn(Duration.ofSeconds(5))).hasMessageContaining("0x0203");
            } finally {
                diskB.dispose();
            }
        }
    }

    @Test
    void aTargetMayStartWithoutNodes() throws Exception {
        TestDisk disk = new TestDisk(TargetFixture.BLOCK, 2048, "SN0003");
        try (IscsiTarget target = IscsiTarget.builder().threads(1)
                .portal(PortalConfig.of(new java.net.InetSocketAddress("127.0.0.1", 0))).build().start()) {
            assertThat(target.targets()).isEmpty();
            target.addTarget(TargetNode.builder(B).lun(0, disk).build());
            assertThat(target.targets()).containsOnlyKeys(B);
        } finally {
            disk.dispose();
        }
    }
}
