package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Table reloads under load over real iSCSI sessions to the array simulator (active-active, 4 portals, one path per
 * portal): a writer keeps up to {@value #WINDOW} verified writes in flight (write n to block n, read back through the
 * map) while the map's table is reloaded twice —
 * <ol>
 *   <li>with p2 slow (300 ms per PDU) and writes in flight on it, p2 leaves the table and p3 joins: the reload
 *       completes only once p2 has nothing in flight, and no write is ever sent down a path while it is still in
 *       flight on another (a watcher on every transport checks each WRITE against the LBAs outstanding);</li>
 *   <li>with every path of the table down (portals killed) and writes held by queue_if_no_path, p1 leaves and p2
 *       comes back: p0 and p3 stay failed, the held writes flow through p2, none fails.</li>
 * </ol>
 * Every acknowledged write is then read back through the map and through a fresh session, and the map's counters
 * match the writer's. The status at each swap is the kernel's status of a freshly loaded table (with the kept
 * failed paths).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveMapReloadTest {

    static final String INITIATOR = "iqn.2026-01.io.mpathgw.test:live-reload";
    static final String T_A = "1 queue_if_no_path 0 1 1 round-robin 0 3 1 p0 1 p1 1 p2 1";
    static final String T_B = "1 queue_if_no_path 0 1 1 round-robin 0 3 1 p0 1 p1 1 p3 1";
    static final String T_C = "1 queue_if_no_path 0 1 1 round-robin 0 3 1 p0 1 p3 1 p2 1";
    static final int BLOCK = 512;
    static final int WINDOW = 64;

    final EventLoopGroup clients = EventLoops.create(2);
    final Session[] sessions = new Session[4];
    final List<Session> extra = new ArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final Watcher watcher = new Watcher();
    /** p2's commands in flight and sent so far, when the first reload swapped the tables (before its resume). */
    final int[] p2AtSwap = {-1};
    final int[] p2SentAtSwap = {-1};
    ArraySimulator sim;
    ExecutorMapThread thread;
    ScsiPathIo pathIo;
    MultipathDevice map;
    MultipathBlockDevice dev;
    VerifyingWriter writer;

    @Test
    void reloadsUnderLoadLoseNothingAndNeverSendARequestTwiceAtOnce() throws Exception {
        start();
        writer = new VerifyingWriter("reload-writer", dev, WINDOW, 300_000, LiveMapReloadTest::pattern, this::context);
        writer.start();
        await(() -> writer.acked() >= 300, "writes flowing on p0..p2");

        // 1. p2 slow with writes in flight; p3 bound before the reload, as the caller must
        sim.portal(2).latency(Duration.ofMillis(300));
        await(() -> watcher.outstanding(2) >= 2, "writes in flight on slow p2");
        pathIo.bind("p3", watcher.watch(3, sessions[3].lun(0)));
        int[] p2AtStart = new int[1];
        CompletableFuture<Void> first = onMapStage(() -> {
            p2AtStart[0] = watcher.outstanding(2);
            return map.reload(MultipathTable.parse(T_B)).toCompletableFuture();
        });
        first.get(10, TimeUnit.SECONDS);
        assertThat(p2AtStart[0]).as("the reload began with writes in flight on p2").isPositive();
        assertThat(p2AtSwap[0]).as("the swap waited for them").isZero();
        int mark = writer.acked();
        await(() -> writer.acked() >= mark + 300, "writes flowing on the new table");
        assertThat(watcher.sent(2)).as("nothing sent to the removed p2 after the swap").isEqualTo(p2SentAtSwap[0]);
        assertThat(watcher.sent(3)).as("p3 carries writes").isPositive();
        assertThat(events).contains("loaded 2 [2 1 0 0 1 1 E 0 3 0 p0 A 0 p1 A 0 p3 A 0 ]");
        sim.portal(2).latency(Duration.ZERO);
        writer.assertNoErrors();

        // 2. every path of the table down, writes held; the reload brings p2 back and drops p1
        int ackedBefore = writer.acked();
        for (int portal : new int[]{0, 1, 3}) sim.portal(portal).kill();
        await(() -> onMap(() -> map.nrValidPaths()) == 0, "every path of the table failed");
        int ackedAtOutage = writer.acked();
        Thread.sleep(300);              // the writer fills its window with writes (and read-backs) that are held
        assertThat(writer.acked()).as("nothing completes with no path").isEqualTo(ackedAtOutage);
        int lastHeld = writer.submitted() - 1;
        int heldWrites = writer.submitted() - writer.acked();
        assertThat(heldWrites).as("writes held").isPositive();
        assertThat(onMap(() -> map.queuedRequests())).as("held, not failed").isGreaterThanOrEqualTo(heldWrites);
        writer.assertNoErrors();
        map.reloadAsync(TableReload.of(map.length(), MultipathTable.parse(T_C))).get(10, TimeUnit.SECONDS);
        assertThat(events).contains("loaded 3 [2 1 0 0 1 1 E 0 3 0 p0 F 1 p3 F 1 p2 A 0 ]");
        await(() -> writer.isAcked(0, lastHeld), "every write up to " + lastHeld + " complete");
        await(() -> writer.acked() >= Math.max(ackedBefore, lastHeld) + 200, "writes flowing through p2");
        assertThat(onMap(() -> map.status())).as("the failed paths stay failed")
                .isEqualTo("2 0 0 0 1 1 A 0 3 0 p0 F 1 p3 F 1 p2 A 0 ");

        writer.stop();
        writer.assertNoErrors();
        assertThat(watcher.violations).as("a write sent while still in flight on another path").isEmpty();
        verifyThroughTheMap();
        verifyThroughAFreshSession();

        MapStats s = onMap(() -> map.stats());
        assertThat(s.writes()).isEqualTo(writer.acked());
        assertThat(s.writeBytes()).isEqualTo((long) writer.acked() * BLOCK);
        assertThat(s.errors()).isZero();
        assertThat(s.mapLoads()).isEqualTo(3);
        assertThat(s.pathFaults()).isGreaterThanOrEqualTo(3);
        assertThat(s.queueingNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        long onP2 = onMap(() -> path("p2").stats().bytes());
        assertThat(onP2).as("p2 counts the writes since it rejoined (a device that left starts over)").isPositive();
    }

    // ------------------------------------------------------------------ the map

    void start() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).lun(LunSpec.of(0, 32L << 20))
                .build().start();
        thread = new ExecutorMapThread("map-reload");
        pathIo = new ScsiPathIo(thread);
        for (int i = 0; i < 4; i++) sessions[i] = open(i);
        for (int i = 0; i < 3; i++) pathIo.bind("p" + i, watcher.watch(i, sessions[i].lun(0)));
        ReadCapacity rc = MultipathBlockDevice.readCapacity(sessions[0].lun(0)).get(5, TimeUnit.SECONDS);
        map = MultipathDevice.builder("mpatha", rc.sizeBytes() / BLOCK, MultipathTable.parse(T_A))
                .devName("253:0").thread(thread).pathIo(pathIo).log(l -> { }).events(new MapEvents() {
                    @Override
                    public void tableLoaded(long mapLoads) {
                        if (mapLoads == 2) {
                            p2AtSwap[0] = watcher.outstanding(2);
                            p2SentAtSwap[0] = watcher.sent(2);
                        }
                        events.add("loaded " + mapLoads + " [" + map.status() + "]");
                    }

                    @Override
                    public void pathFailed(Path path, String cause, int nrValidPaths) {
                        events.add("failed " + path + " (" + cause + ") valid " + nrValidPaths);
                    }
                }).build();
        dev = MultipathBlockDevice.builder(map).capacity(rc).build();
    }

    Session open(int portal) throws Exception {
        InitiatorConfig cfg = InitiatorConfig.builder(sim.address(portal), sim.targetName(portal))
                .initiatorName(INITIATOR).nopInterval(Duration.ofMillis(200)).nopTimeout(Duration.ofMillis(1000))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(5))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(300)).build();
        Session s = Session.open(cfg, clients);
        s.awaitLoggedIn(Duration.ofSeconds(5));
        s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS).release();   // power-on UA
        return s;
    }

    Path path(String name) {
        return map.groups().stream().flatMap(g -> g.paths().stream()).filter(p -> p.name().equals(name))
                .findFirst().orElseThrow();
    }

    /**
     * Wraps each path's transport: counts the commands sent and in flight per path, and records a WRITE whose LBA is
     * still in flight on any path (the same request sent twice at once).
     */
    static final class Watcher {
        final AtomicIntegerArray inFlight = new AtomicIntegerArray(4);
        final AtomicIntegerArray sent = new AtomicIntegerArray(4);
        final Map<Long, Integer> writesInFlight = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();

        ScsiTransport watch(int path, ScsiTransport t) {
            return new ScsiTransport() {
                @Override
                public CompletableFuture<ScsiResponse> submit(ScsiCommand c) {
                    byte[] cdb = c.cdb();
                    long lba = (cdb[0] & 0xff) == Cdb.WRITE_16 ? ByteBuffer.wrap(cdb, 2, 8).getLong() : -1;
                    if (lba >= 0) {
                        Integer other = writesInFlight.putIfAbsent(lba, path);
                        if (other != null) violations.add("WRITE lba " + lba + " to p" + path + " while in flight on p" + other);
                    }
                    sent.incrementAndGet(path);
                    inFlight.incrementAndGet(path);
                    // whenComplete's future completes after this action: the map learns the outcome only then
                    return t.submit(c).whenComplete((r, e) -> {
                        inFlight.decrementAndGet(path);
                        if (lba >= 0) writesInFlight.remove(lba, path);
                    });
                }

                @Override
                public String describe() {
                    return t.describe();
                }
            };
        }

        int outstanding(int path) {
            return inFlight.get(path);
        }

        int sent(int path) {
            return sent.get(path);
        }
    }

    // ------------------------------------------------------------------ the writer

    static byte[] pattern(int n) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK).putLong(n).putLong(~n);
        for (int i = 16; i < BLOCK; i++) b.put((byte) (n * 17 + i * 5 + (n >>> 8)));
        return b.array();
    }

    // ------------------------------------------------------------------ final checks

    void verifyThroughTheMap() throws Exception {
        BitSet acked = writer.ackedSet();
        for (int from = 0; from < acked.length(); from += 256) {
            int blocks = Math.min(256, acked.length() - from);
            ByteBuf data = dev.read(from, blocks).get(10, TimeUnit.SECONDS);
            try {
                compare("map", acked, from, ByteBufUtil.getBytes(data));
            } finally {
                data.release();
            }
        }
    }

    /** Through a new session to portal 2, the one never killed: what the array holds. */
    void verifyThroughAFreshSession() throws Exception {
        Session s = open(2);
        extra.add(s);
        BitSet acked = writer.ackedSet();
        for (int from = 0; from < acked.length(); from += 256) {
            int blocks = Math.min(256, acked.length() - from);
            ScsiResponse r = s.lun(0).submit(ScsiCommand.read(Cdb.read16(from, blocks), blocks * BLOCK))
                    .get(10, TimeUnit.SECONDS);
            try {
                assertThat(r.status()).as("READ(16) at %d: %s", from, r).isZero();
                compare("fresh session", acked, from, ByteBufUtil.getBytes(r.data()));
            } finally {
                r.release();
            }
        }
    }

    static void compare(String through, BitSet acked, int from, byte[] data) {
        for (int n = acked.nextSetBit(from); n >= 0 && n < from + data.length / BLOCK; n = acked.nextSetBit(n + 1)) {
            int at = (n - from) * BLOCK;
            assertThat(Arrays.copyOfRange(data, at, at + BLOCK)).as("acknowledged write %d read through the %s", n,
                    through).isEqualTo(pattern(n));
        }
    }

    // ------------------------------------------------------------------ helpers

    interface StageCall<T> {
        CompletableFuture<T> call() throws Exception;
    }

    /** Starts {@code call} on the map thread; the stage it returns. */
    <T> CompletableFuture<T> onMapStage(StageCall<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                call.call().whenComplete((v, e) -> {
                    if (e != null) f.completeExceptionally(e);
                    else f.complete(v);
                });
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    <T> T onMap(Supplier<T> s) throws Exception {
        return MapThreadCall.onMap(thread, s);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    void await(Check c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what + "; " + context());
            Thread.sleep(10);
        }
    }

    String context() {
        String status;
        try {
            status = map == null ? "-" : onMap(() -> map.status());
        } catch (Exception e) {
            status = "? " + e;
        }
        String w = writer == null ? "-" : "submitted " + writer.submitted() + ", acked " + writer.acked();
        return "writer " + w + "; status [" + status + "]; in flight p0..p3 " + watcher.inFlight + "; events " + events;
    }

    @AfterEach
    void stop() {
        if (writer != null) writer.halt();
        for (Session s : sessions) if (s != null) s.close();
        for (Session s : extra) s.close();
        if (thread != null) thread.close();
        if (sim != null) sim.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
