package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionListener;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.tgt.Tgt;
import io.mpathgw.scsi.ReadCapacity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The map over real iSCSI sessions to a real tgtd (two portals, one LU): verified writes while one path is failed by
 * message and the other's TCP connection is reset under it, and while tgtd itself is killed and restarted with
 * queue_if_no_path. Nothing acknowledged is lost: every acknowledged write is read back through the map and found
 * in tgtd's backing file. The "checker" is a session listener that reinstates a path when its session logs in again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MultipathTgtTest {

    private static final String IQN = "iqn.2026-11.io.mpathgw.test:mpath";
    private static final int LUN = 1;
    private static final int BLOCK = 512;

    private Tgt tgt;
    private EventLoopGroup loops;
    private TcpProxy proxy;
    private final List<Session> sessions = new ArrayList<>();
    private ExecutorMapThread thread;
    private final AtomicReference<MultipathDevice> mapRef = new AtomicReference<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private MultipathDevice map;
    private MultipathBlockDevice dev;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Tgt.available(), "tgtd missing: run scripts/install-test-peers.sh");
        tgt = Tgt.builder().portals(2).target(IQN, t -> t.lun(LUN, 64 << 20)).start();
        loops = EventLoops.create(2);
        proxy = new TcpProxy(tgt.portals().get(1));
        Session s0 = open(tgt.portals().get(0), "tgt-p0");
        Session s1 = open(proxy.address(), "tgt-p1");
        ReadCapacity rc = MultipathBlockDevice.readCapacity(s0.lun(LUN)).get(5, TimeUnit.SECONDS);
        thread = new ExecutorMapThread("map-mpatha");
        ScsiPathIo pathIo = new ScsiPathIo(thread).bind("tgt-p0", s0.lun(LUN)).bind("tgt-p1", s1.lun(LUN));
        map = MultipathDevice.builder("mpatha", rc.sizeBytes() / 512, MultipathTable.parse(
                        "1 queue_if_no_path 0 1 1 round-robin 0 2 1 tgt-p0 1 tgt-p1 1"))
                .thread(thread).pathIo(pathIo).log(events::add).events(recorder()).build();
        mapRef.set(map);
        dev = MultipathBlockDevice.builder(map).capacity(rc).build();
        assertThat(dev.blockCount()).isEqualTo((64 << 20) / BLOCK);
    }

    private Session open(InetSocketAddress portal, String pathName) throws Exception {
        InitiatorConfig config = InitiatorConfig.builder(portal, IQN)
                .nopInterval(Duration.ofSeconds(1)).nopTimeout(Duration.ofSeconds(2))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(5))
                .reconnectInitial(Duration.ofMillis(100)).reconnectCap(Duration.ofMillis(300)).build();
        Session s = Session.open(config, loops, reinstateOnLogin(pathName));
        sessions.add(s);
        return s.awaitLoggedIn(Duration.ofSeconds(5));
    }

    /** The path checker's part: a session that logged in again gets its path reinstated. */
    private SessionListener reinstateOnLogin(String pathName) {
        return new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                MultipathDevice m = mapRef.get();
                if (m == null || to != SessionState.LOGGED_IN) return;
                thread.execute(() -> {
                    try {
                        m.message(0, "reinstate_path " + pathName);
                    } catch (MessageException e) {
                        events.add("reinstate_path " + pathName + ": " + e.errno());
                    }
                });
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        for (Session s : sessions) s.close();
        if (thread != null) thread.close();
        if (proxy != null) proxy.close();
        if (loops != null) loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (tgt != null) tgt.close();
    }

    @Test
    void noAcknowledgedWriteIsLostWhilePathsFailAndConnectionsDie() throws Exception {
        Writers w = new Writers(8, 0);
        w.start();
        Thread.sleep(500);
        onMap(() -> message("fail_path tgt-p0"));
        Thread.sleep(500);
        onMap(() -> message("reinstate_path tgt-p0"));
        Thread.sleep(500);
        int killed = proxy.killConnections();
        Thread.sleep(1500);
        w.stop();

        assertThat(killed).isEqualTo(1);
        w.assertNoErrors();
        assertThat(w.acked()).hasSizeGreaterThan(50);
        String status = onMap(() -> map.status());
        assertThat(status).as(events.toString()).matches("2 0 0 0 1 1 A 0 2 0 tgt-p0 A [1-9]\\d* tgt-p1 A [1-9]\\d* ");
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("failed tgt-p0 (message fail_path)"));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("failed tgt-p1 (I/O error TRANSPORT: CONNECTION_LOST"));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("reinstated tgt-p1"));
        w.verifyThroughTheMap();
        w.verifyBackingFile();
    }

    @Test
    void withEveryPathDownIoWaitsForTgtdToComeBack() throws Exception {
        Writers w = new Writers(4, 4096);
        w.start();
        Thread.sleep(500);
        tgt.kill();
        waitFor(() -> onMap(() -> map.nrValidPaths()) == 0, "both paths failed");
        Thread.sleep(300);
        int ackedBefore = w.acked().size();
        Thread.sleep(1200);
        assertThat(w.acked()).as("nothing completes while no path is usable").hasSize(ackedBefore);
        assertThat(onMap(() -> map.queuedRequests())).as("held, not failed").isPositive();
        w.assertNoErrors();

        tgt.restart();
        waitFor(() -> w.acked().size() > ackedBefore + 20, "writes flow again");
        w.stop();

        w.assertNoErrors();
        waitFor(() -> onMap(() -> map.nrValidPaths()) == 2, "both paths reinstated");
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("holding"));
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("released"));
        w.verifyThroughTheMap();
        w.verifyBackingFile();
    }

    // ------------------------------------------------------------------ writers

    record Write(long lba, int blocks, int seed) {
    }

    /**
     * Each writer owns a region and writes it front to back, one write at a time, every block at most once (so a
     * stale copy of a failed attempt could never overwrite a newer write); every fourth write is read back at once.
     */
    private final class Writers {
        private static final long REGION = 16384;       // blocks: 8 MiB per writer
        private final int count;
        private final long base;
        private final List<Write> acked = Collections.synchronizedList(new ArrayList<>());
        private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        private final List<CompletableFuture<Void>> done = new ArrayList<>();
        private volatile boolean stopping;

        Writers(int count, long base) {
            this.count = count;
            this.base = base;
        }

        void start() {
            for (int k = 0; k < count; k++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                done.add(f);
                long start = base + k * REGION;
                next(k, start, start + REGION, new Random(k), new AtomicInteger(), f);
            }
        }

        private void next(int k, long lba, long end, Random rnd, AtomicInteger step, CompletableFuture<Void> f) {
            int blocks = 1 + rnd.nextInt(16);
            if (stopping || lba + blocks > end) {
                f.complete(null);
                return;
            }
            int seed = k << 20 | step.getAndIncrement();
            dev.write(lba, pattern(lba, blocks, seed), seed % 5 == 0).whenComplete((v, e) -> {
                if (e != null) {
                    errors.add(new AssertionError("write lba " + lba + " blocks " + blocks + " failed", e));
                    f.complete(null);
                    return;
                }
                acked.add(new Write(lba, blocks, seed));
                if (seed % 4 != 0) {
                    next(k, lba + blocks, end, rnd, step, f);
                    return;
                }
                dev.read(lba, blocks).whenComplete((data, re) -> {
                    if (re != null) errors.add(new AssertionError("read back lba " + lba + " failed", re));
                    else {
                        if (!matches(data, lba, blocks, seed))
                            errors.add(new AssertionError("read back lba " + lba + ": other data"));
                        data.release();
                    }
                    next(k, lba + blocks, end, rnd, step, f);
                });
            });
        }

        void stop() throws Exception {
            stopping = true;
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        }

        List<Write> acked() {
            return acked;
        }

        void assertNoErrors() {
            assertThat(errors).as("no write or read-back failed").isEmpty();
        }

        /** Reads every acknowledged write back through the map, 64 at a time. */
        void verifyThroughTheMap() throws Exception {
            List<Write> all;
            synchronized (acked) {
                all = new ArrayList<>(acked);
            }
            for (int from = 0; from < all.size(); from += 64) {
                List<CompletableFuture<Boolean>> batch = new ArrayList<>();
                for (Write wr : all.subList(from, Math.min(all.size(), from + 64)))
                    batch.add(dev.read(wr.lba(), wr.blocks()).thenApply(data -> {
                        try {
                            return matches(data, wr.lba(), wr.blocks(), wr.seed());
                        } finally {
                            data.release();
                        }
                    }));
                for (int i = 0; i < batch.size(); i++)
                    assertThat(batch.get(i).get(5, TimeUnit.SECONDS)).as("read back " + all.get(from + i)).isTrue();
            }
        }

        /** tgtd's own file, read without any initiator: what the array holds. */
        void verifyBackingFile() throws IOException {
            try (FileChannel ch = FileChannel.open(tgt.backingFile(IQN, LUN), StandardOpenOption.READ)) {
                for (Write wr : new ArrayList<>(acked)) {
                    ByteBuffer b = ByteBuffer.allocate(wr.blocks() * BLOCK);
                    while (b.hasRemaining() && ch.read(b, wr.lba() * BLOCK + b.position()) >= 0) {
                        // read until full
                    }
                    b.flip();
                    assertThat(matches(io.netty.buffer.Unpooled.wrappedBuffer(b), wr.lba(), wr.blocks(), wr.seed()))
                            .as("backing file holds " + wr).isTrue();
                }
            }
        }
    }

    /** Every byte depends on its LBA, its offset in the block and the write's seed. */
    private static byte[] expected(long lba, int blocks, int seed) {
        byte[] b = new byte[blocks * BLOCK];
        for (int k = 0; k < blocks; k++)
            for (int i = 0; i < BLOCK; i++) b[k * BLOCK + i] = (byte) ((lba + k) * 131 + i * 7 + seed * 31 + (i >> 8));
        return b;
    }

    private static ByteBuf pattern(long lba, int blocks, int seed) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(blocks * BLOCK).writeBytes(expected(lba, blocks, seed));
    }

    /** One bulk copy out of the buffer: leak detection records every single access of a tracked buffer. */
    private static boolean matches(ByteBuf data, long lba, int blocks, int seed) {
        return java.util.Arrays.equals(ByteBufUtil.getBytes(data), expected(lba, blocks, seed));
    }

    // ------------------------------------------------------------------ map thread helpers

    private <T> T onMap(Supplier<T> s) throws Exception {
        return MapThreadCall.onMap(thread, s);
    }

    private Void message(String text) {
        try {
            map.message(0, text);
            return null;
        } catch (MessageException e) {
            throw new IllegalStateException(text + ": " + e.errno(), e);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Check c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(20);
        }
    }

    private MapEvents recorder() {
        return new MapEvents() {
            @Override
            public void pathFailed(Path path, String cause, int nrValidPaths) {
                events.add("failed " + path + " (" + cause + ") valid " + nrValidPaths);
            }

            @Override
            public void pathReinstated(Path path, String cause, int nrValidPaths) {
                events.add("reinstated " + path + " (" + cause + ") valid " + nrValidPaths);
            }

            @Override
            public void noPathQueueing(boolean holding, int queued, String cause) {
                events.add((holding ? "holding " : "released ") + queued + " (" + cause + ")");
            }
        };
    }
}
