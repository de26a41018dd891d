package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.tgt.Tgt;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The initiator against a real tgtd: discovery, login variants, digests, I/O integrity, NOP, TMF. */
class InitiatorTgtTest {

    static final String PLAIN = "iqn.2026-11.io.mpathgw.test:plain";
    static final String CHAP = "iqn.2026-11.io.mpathgw.test:chap";
    static final String MUTUAL = "iqn.2026-11.io.mpathgw.test:mutual";
    static final String DIGEST = "iqn.2026-11.io.mpathgw.test:digest";
    static final int LUN_BYTES = 80 << 20;

    static Tgt tgt;
    static EventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Tgt.available(), "tgtd missing: run scripts/install-test-peers.sh");
        tgt = Tgt.builder().portals(2)
                .target(PLAIN, t -> t.lun(1, LUN_BYTES))
                .target(CHAP, t -> t.lun(1, 8 << 20).chap("alice", "alicesecret123"))
                .target(MUTUAL, t -> t.lun(1, 8 << 20).chap("bob", "bobsecret12345").mutualChap("array", "arraysecret123"))
                .target(DIGEST, t -> t.lun(1, 8 << 20).headerDigest(true))
                .start();
        group = EventLoops.create(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (tgt != null) tgt.close();
    }

    static InetSocketAddress portal(int i) {
        return tgt.portals().get(i);
    }

    static Session login(InitiatorConfig cfg) throws IOException, InterruptedException {
        return Session.open(cfg, group).awaitLoggedIn(Duration.ofSeconds(10));
    }

    @Test
    void discoveryThroughEachPortalListsEveryTarget() throws Exception {
        for (int i = 0; i < 2; i++) {
            Session s = login(InitiatorConfig.builder(portal(i), null).build());
            try {
                List<DiscoveredTarget> targets = s.sendTargets("All").get(5, TimeUnit.SECONDS);
                assertThat(targets).extracting(DiscoveredTarget::name).containsExactlyInAnyOrder(PLAIN, CHAP, MUTUAL, DIGEST);
                DiscoveredTarget plain = targets.stream().filter(t -> t.name().equals(PLAIN)).findFirst().orElseThrow();
                // tgt answers SendTargets with the portal the discovery session came in on, tag 1
                assertThat(plain.addresses()).containsExactly(new TargetAddress("127.0.0.1", portal(i).getPort(), 1));
            } finally {
                s.logout().get(5, TimeUnit.SECONDS);
            }
            assertThat(s.state()).isEqualTo(SessionState.CLOSED);
        }
    }

    @Test
    void chapRightWrongAndMutual() throws Exception {
        Session ok = login(InitiatorConfig.builder(portal(0), CHAP).chap("alice", "alicesecret123").build());
        assertThat(tur(ok.lun(1)).status()).isIn(ScsiResponse.GOOD, ScsiResponse.CHECK_CONDITION);
        ok.logout().get(5, TimeUnit.SECONDS);

        Session wrong = Session.open(InitiatorConfig.builder(portal(0), CHAP).chap("alice", "wrongsecret123").build(), group);
        assertThatThrownBy(() -> wrong.awaitLoggedIn(Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("0x0201");
        wrong.close();

        Session none = Session.open(InitiatorConfig.builder(portal(0), CHAP).build(), group);
        assertThatThrownBy(() -> none.awaitLoggedIn(Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        none.close();

        Session mutual = login(InitiatorConfig.builder(portal(1), MUTUAL).chap("bob", "bobsecret12345")
                .mutualChap("array", "arraysecret123").build());
        assertThat(mutual.state()).isEqualTo(SessionState.LOGGED_IN);
        mutual.logout().get(5, TimeUnit.SECONDS);

        Session badMutual = Session.open(InitiatorConfig.builder(portal(1), MUTUAL).chap("bob", "bobsecret12345")
                .mutualChap("array", "notthesecret12").build(), group);
        assertThatThrownBy(() -> badMutual.awaitLoggedIn(Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("CHAP_R");
        badMutual.close();
    }

    @Test
    void headerDigestIsNegotiatedAndCarriesIo() throws Exception {
        Session s = login(InitiatorConfig.builder(portal(0), DIGEST).headerDigest(true).build());
        try {
            assertThat(s.negotiated().headerDigest()).isTrue();
            writeReadCompare(s.lun(1), 0, 256 << 10, new Random(7));
        } finally {
            s.logout().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void fourSessionsToTwoPortalsAtOnce() throws Exception {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++)
            sessions.add(login(InitiatorConfig.builder(portal(i % 2), PLAIN).build()));
        try {
            List<CompletableFuture<ScsiResponse>> reads = new ArrayList<>();
            for (Session s : sessions) reads.add(s.lun(1).submit(ScsiCommand.read(Cdb.read16(0, 8), 4096)));
            for (CompletableFuture<ScsiResponse> f : reads) {
                ScsiResponse r = f.get(5, TimeUnit.SECONDS);
                assertThat(r.status()).isIn(ScsiResponse.GOOD, ScsiResponse.CHECK_CONDITION);
                r.release();
            }
            assertThat(sessions).extracting(Session::tsih).doesNotHaveDuplicates();
        } finally {
            for (Session s : sessions) s.logout().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void patternOver64MiBWithMixedSizesReadsBackIdentical() throws Exception {
        Session s = login(InitiatorConfig.builder(portal(1), PLAIN).build());
        try {
            ScsiTransport lun = s.lun(1);
            tur(lun).release();                                   // clear the power-on unit attention
            int[] sizes = {4096, 8192, 65536, 131072, 262144, 1 << 20};
            long offset = 0;
            int i = 0;
            List<long[]> extents = new ArrayList<>();
            while (offset < (64L << 20)) {
                int size = sizes[i++ % sizes.length];
                extents.add(new long[] {offset, size});
                offset += size;
            }
            // write everything with 16 commands in flight, then read back and compare
            Pipeline p = new Pipeline(16);
            for (long[] e : extents)
                p.add(write(lun, e[0], ByteBufAllocator.DEFAULT.directBuffer((int) e[1]).writeBytes(pattern(e[0], (int) e[1]))));
            p.drain();
            for (long[] e : extents) {
                long off = e[0];
                int size = (int) e[1];
                p.add(lun.submit(ScsiCommand.read(Cdb.read16(off / 512, size / 512), size)).thenAccept(r -> {
                    try {
                        assertThat(r.status()).as("READ at %d", off).isEqualTo(ScsiResponse.GOOD);
                        byte[] back = new byte[r.data().readableBytes()];
                        r.data().getBytes(r.data().readerIndex(), back);
                        assertThat(java.util.Arrays.equals(back, pattern(off, size)))
                                .as("data at byte %d, %d bytes", off, size).isTrue();
                    } finally {
                        r.release();
                    }
                }));
            }
            p.drain();
        } finally {
            s.logout().get(5, TimeUnit.SECONDS);
        }
    }

    // Session reinstatement (RFC 7143 §6.3.5) is not tested here: tgt 1.0.85 keeps both sessions when a second
    // login arrives with the same initiator name and ISID. The project's own target tests it.

    @Test
    void nopPingsKeepAnIdleSessionAlive() throws Exception {
        Session s = login(InitiatorConfig.builder(portal(0), PLAIN)
                .nopInterval(Duration.ofMillis(100)).nopTimeout(Duration.ofMillis(500)).build());
        try {
            Thread.sleep(1500);
            assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
            assertThat(s.pingsAnswered()).isGreaterThanOrEqualTo(5);
        } finally {
            s.logout().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void logicalUnitResetCompletesAndRaisesUnitAttention() throws Exception {
        Session s = login(InitiatorConfig.builder(portal(0), PLAIN).build());
        try {
            tur(s.lun(1)).release();
            tur(s.lun(1)).release();
            int response = s.taskManagement(TaskManagement.LOGICAL_UNIT_RESET, 1).get(5, TimeUnit.SECONDS);
            assertThat(response).isEqualTo(TaskManagement.FUNCTION_COMPLETE);
            ScsiResponse after = tur(s.lun(1));
            assertThat(after.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(after.sense().senseKey()).isEqualTo(Sense.UNIT_ATTENTION);
            assertThat(after.sense().asc()).isEqualTo(0x29);             // POWER ON, RESET, OR BUS DEVICE RESET
            after.release();
        } finally {
            s.logout().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readBeyondTheEndIsATargetErrorNotATransportError() throws Exception {
        Session s = login(InitiatorConfig.builder(portal(0), PLAIN).build());
        try {
            tur(s.lun(1)).release();
            ScsiResponse r = s.lun(1).submit(ScsiCommand.read(Cdb.read16(LUN_BYTES / 512, 8), 4096)).get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(r.sense().senseKey()).isEqualTo(Sense.ILLEGAL_REQUEST);
            assertThat(r.sense().asc()).isEqualTo(0x21);                 // LBA OUT OF RANGE
            r.release();
            assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
        } finally {
            s.logout().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void blackHoledPortalIsDetectedByNopAndCommandsFailPromptly() throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(portal(0))) {
            Session s = login(InitiatorConfig.builder(proxy.address(), PLAIN)
                    .nopInterval(Duration.ofMillis(300)).nopTimeout(Duration.ofMillis(700))
                    .reconnectCap(Duration.ofMillis(500)).loginTimeout(Duration.ofSeconds(1)).build());
            tur(s.lun(1)).release();
            proxy.blackhole();
            long t0 = System.nanoTime();
            CompletableFuture<ScsiResponse> f = s.lun(1).submit(ScsiCommand.read(Cdb.read16(0, 8), 4096));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TransportException.class);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("silent fault detected by NOP within interval 300 + timeout 700 + slack").isLessThan(2500);
            proxy.restore();
            awaitUsable(s, Duration.ofSeconds(15));
            s.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Waits until a TUR succeeds through {@code s}. A loaded machine may stretch timers enough for one more
     * reconnect round after a fault ends; what matters is that the session comes back by itself.
     */
    static void awaitUsable(Session s, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                s.awaitLoggedIn(Duration.ofSeconds(5));
                tur(s.lun(1)).release();
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    static ScsiResponse tur(ScsiTransport lun) throws Exception {
        return lun.submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS);
    }

    static CompletableFuture<Void> write(ScsiTransport lun, long offset, ByteBuf data) {
        int blocks = data.readableBytes() / 512;
        return lun.submit(ScsiCommand.write(Cdb.write16(offset / 512, blocks, false), data)).thenAccept(r -> {
            try {
                assertThat(r.status()).as("WRITE at %d: %s", offset, r).isEqualTo(ScsiResponse.GOOD);
            } finally {
                r.release();
            }
        });
    }

    static void writeReadCompare(ScsiTransport lun, long offset, int size, Random rnd) throws Exception {
        tur(lun).release();
        byte[] bytes = new byte[size];
        rnd.nextBytes(bytes);
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(bytes);
        write(lun, offset, out).get(10, TimeUnit.SECONDS);
        ScsiResponse r = lun.submit(ScsiCommand.read(Cdb.read16(offset / 512, size / 512), size)).get(10, TimeUnit.SECONDS);
        byte[] back = new byte[r.data().readableBytes()];
        r.data().getBytes(r.data().readerIndex(), back);
        r.release();
        assertThat(back).isEqualTo(bytes);
    }

    /** Deterministic content for a byte offset: each 8-byte word holds its own offset, mixed. */
    static byte[] pattern(long offset, int size) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size);
        for (long o = offset; o < offset + size; o += 8) b.putLong(o * 0x9E3779B97F4A7C15L);
        return b.array();
    }

    /** Keeps at most {@code depth} futures in flight; join() surfaces the first failure. */
    static final class Pipeline {
        private final int depth;
        private final java.util.ArrayDeque<CompletableFuture<?>> inFlight = new java.util.ArrayDeque<>();

        Pipeline(int depth) {
            this.depth = depth;
        }

        void add(CompletableFuture<?> f) {
            inFlight.add(f);
            while (inFlight.size() >= depth) join(inFlight.poll());
        }

        void drain() {
            while (!inFlight.isEmpty()) join(inFlight.poll());
        }

        private static void join(CompletableFuture<?> f) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
