package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.engine.ExecutorMapThread;
import io.mpathgw.dm.engine.MapEvents;
import io.mpathgw.dm.engine.MapThreadCall;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PriorityGroup;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.engine.VerifyingWriter;
import io.mpathgw.dm.handler.HandlerActivator;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end case of issue 8: a map over 4 live paths (one session per portal) to the simulated ALUA array, as
 * multipath-tools assembles it for group_by_prio with the alua handler (PG 1: controller A's two portals, PG 2:
 * controller B's, service-time), while a writer verifies its writes and the array loses the active controller, is
 * forced through an ALUA transition back, and loses every portal for about two seconds. With queue_if_no_path no
 * write fails, the writes issued during the outage neither complete nor fail until a path returns, then leave the
 * map in the order they came in, and every acknowledged write is found again through the map and through a fresh
 * session. A periodic "checker" reinstates a failed path whose session is logged in, as multipathd's would.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiveMapAllPathsDownTest extends LiveHandlerTest {

    /** multipath-tools' table for group_by_prio + alua: one group per target port group, service-time 0. */
    static final String TABLE = "1 queue_if_no_path 1 alua 2 1 service-time 0 2 1 p0 1 p1 1 service-time 0 2 1 p2 1 p3 1";
    static final List<String> PATHS = List.of("p0", "p1", "p2", "p3");
    static final int BLOCK = 512;
    /** Writes the writer keeps outstanding at most (a write holds its slot until read back). */
    static final int WINDOW = 256;
    static final Duration OUTAGE = Duration.ofSeconds(2);

    final List<String> events = new CopyOnWriteArrayList<>();
    final Session[] sessions = new Session[4];
    /** Every WRITE a path's transport was handed, in the order the map handed them: {path, lba}. */
    final Queue<long[]> dispatched = new ConcurrentLinkedQueue<>();
    final AtomicInteger currentPg = new AtomicInteger();
    final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "apd-checker");
        t.setDaemon(true);
        return t;
    });
    ExecutorMapThread thread;
    MultipathDevice map;
    MultipathBlockDevice dev;
    VerifyingWriter writer;

    @Test
    void queuedWritesSurviveEveryPortalGoingDownAndDrainInOrder() throws Exception {
        map();
        writer = new VerifyingWriter("apd-writer", dev, WINDOW, 500_000, LiveMapAllPathsDownTest::pattern, this::context);
        writer.start();
        await(() -> writer.acked() >= 200 && currentPg.get() == 1, "writes flowing through PG 1");

        // (a) controller A dies: p0 and p1 lose their connections, the array moves the LUN to B through a
        // transition, the map initialises PG 2 (alua retries while B is transitioning)
        sim.controller(0).kill();
        int mark = writer.acked();
        await(() -> currentPg.get() == 2 && writer.acked() >= mark + 200, "writes flowing through PG 2");
        assertThat(events).as(this::context).anyMatch(e -> e.startsWith("failed p0"))
                .anyMatch(e -> e.startsWith("failed p1")).anyMatch(e -> e.matches("pg_init p[23] 0"));
        writer.assertNoErrors();

        // (b) A returns (standby); the checker reinstates p0/p1; the array moves the LUN back through a
        // transition: B goes standby, its paths are refused (prep_fn / sense), the map initialises PG 1 again
        sim.controller(0).revive();
        await(() -> onMap(() -> active("p0") && active("p1")), "p0 and p1 reinstated");
        sim.lun(0).failover(0);
        int mark2 = writer.acked();
        await(() -> currentPg.get() == 1 && sim.lun(0).aluaState(0) == AluaState.ACTIVE_OPTIMIZED
                && writer.acked() >= mark2 + 200, "writes flowing through PG 1 again");
        assertThat(events.stream().filter(e -> e.matches("pg_init p[01] 0")).count()).as(this::context)
                .isGreaterThanOrEqualTo(2);
        writer.assertNoErrors();

        // (c) every portal goes down: whatever is in flight and whatever comes in is held, nothing completes;
        // first the writer works off the backlog of the pg_init above, so that it has slots for new writes
        await(() -> writer.freeSlots() >= WINDOW - 32, "the writer caught up");
        long outageStart = System.nanoTime();
        sim.controller(0).kill();
        sim.controller(1).kill();
        await(() -> onMap(() -> map.nrValidPaths()) == 0, "every path failed");
        int firstHeld = writer.submitted();          // writes numbered from here were issued with no path
        int ackedAtOutage = writer.acked();
        await(() -> writer.submitted() >= firstHeld + 4, "writes issued during the outage");
        long left = OUTAGE.toNanos() - (System.nanoTime() - outageStart);
        if (left > 0) LockSupport.parkNanos(left);   // the outage's length, not a wait for anything
        int lastHeld = writer.submitted() - 1;
        assertThat(writer.ackedAtOrAfter(firstHeld)).as("writes issued during the outage complete; " + context())
                .isZero();
        assertThat(writer.acked()).as("nothing completes with no path").isEqualTo(ackedAtOutage);
        assertThat(onMap(() -> map.queuedRequests())).as("held, not failed")
                .isGreaterThanOrEqualTo(lastHeld - firstHeld);
        writer.assertNoErrors();
        assertThat(events).as(this::context).anyMatch(e -> e.startsWith("holding"));

        sim.controller(0).revive();
        sim.controller(1).revive();
        await(() -> writer.isAcked(firstHeld, lastHeld), "held writes " + firstHeld + ".." + lastHeld + " complete");
        writer.assertNoErrors();
        assertThat(firstDispatches(firstHeld, lastHeld)).as("held writes leave the map in submission order")
                .isSorted().hasSize(lastHeld - firstHeld + 1);
        await(() -> writer.acked() >= lastHeld + 100, "writes flowing after the outage");

        writer.stop();
        writer.assertNoErrors();
        assertThat(writer.acked()).isEqualTo(writer.submitted());
        verifyThroughTheMap();
        verifyThroughAFreshSession();
    }

    // ------------------------------------------------------------------ the map

    void map() throws Exception {
        start(b -> b.personality(Personality.ALUA).lun(LunSpec.of(0, 128L << 20))
                .transitionTime(Duration.ofMillis(300)).demotedState(AluaState.STANDBY));
        HandlerActivator handlers = new HandlerActivator();
        thread = new ExecutorMapThread("map-apd");
        ScsiPathIo pathIo = new ScsiPathIo(thread);
        for (int i = 0; i < 4; i++) {
            sessions[i] = open(i);
            ScsiTransport t = sessions[i].lun(0);
            handlers.bind(PATHS.get(i), attach("alua", t));
            pathIo.bind(PATHS.get(i), recording(i, t));
        }
        pathIo.hooks(handlers);
        ReadCapacity rc = MultipathBlockDevice.readCapacity(sessions[0].lun(0)).get(5, TimeUnit.SECONDS);
        map = MultipathDevice.builder("mpatha", rc.sizeBytes() / BLOCK,
                        MultipathTable.parse(TABLE, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH))
                .devName("253:0").thread(thread).pathIo(pathIo).activator(handlers).log(log::add)
                .events(recorder()).build();
        dev = MultipathBlockDevice.builder(map).capacity(rc).build();
        checker.scheduleWithFixedDelay(() -> thread.execute(this::check), 100, 100, TimeUnit.MILLISECONDS);
    }

    /** A session through portal {@code portal} with short NOP and reconnect timers, scanned as a host would. */
    Session open(int portal) throws Exception {
        InitiatorConfig cfg = InitiatorConfig.builder(sim.address(portal), sim.targetName(portal))
                .initiatorName(INITIATOR).nopInterval(Duration.ofMillis(200)).nopTimeout(Duration.ofMillis(500))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(5))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(300)).build();
        Session s = Session.open(cfg, clients);
        s.awaitLoggedIn(Duration.ofSeconds(5));
        io(s.lun(0), ScsiCommand.none(Cdb.testUnitReady())).release();   // the power-on unit attention
        return s;
    }

    /** {@code t}, recording each WRITE it is handed as (path, lba) before passing it on. */
    ScsiTransport recording(int path, ScsiTransport t) {
        return new ScsiTransport() {
            @Override
            public CompletableFuture<ScsiResponse> submit(ScsiCommand c) {
                byte[] cdb = c.cdb();
                if ((cdb[0] & 0xff) == Cdb.WRITE_16) dispatched.add(new long[]{path, ByteBuffer.wrap(cdb, 2, 8).getLong()});
                else if ((cdb[0] & 0xff) == Cdb.WRITE_10)
                    dispatched.add(new long[]{path, ByteBuffer.wrap(cdb, 2, 4).getInt() & 0xffffffffL});
                return t.submit(c);
            }

            @Override
            public String describe() {
                return t.describe();
            }
        };
    }

    /** multipathd's part: a failed path whose session is logged in again is reinstated (on the map's thread). */
    void check() {
        for (PriorityGroup g : map.groups())
            for (Path p : g.paths()) {
                if (p.isActive() || sessions[PATHS.indexOf(p.name())].state() != SessionState.LOGGED_IN) continue;
                try {
                    map.message(0, "reinstate_path " + p.name());
                } catch (MessageException e) {
                    events.add("reinstate_path " + p.name() + ": " + e.errno());
                }
            }
    }

    boolean active(String name) {
        return map.groups().stream().flatMap(g -> g.paths().stream()).filter(p -> p.name().equals(name))
                .allMatch(Path::isActive);
    }

    MapEvents recorder() {
        return new MapEvents() {
            @Override
            public void pathFailed(Path path, String cause, int nrValidPaths) {
                events.add("failed " + path + " (" + cause + ") valid " + nrValidPaths);
            }

            @Override
            public void pathReinstated(Path path, String cause, int nrValidPaths) {
                events.add("reinstated " + path + " valid " + nrValidPaths);
            }

            @Override
            public void groupSwitched(PriorityGroup from, PriorityGroup to) {
                currentPg.set(to.pgNum());
                events.add("switched to PG " + to.pgNum());
            }

            @Override
            public void pgInitDone(Path path, int result) {
                events.add("pg_init " + path + " " + result);
            }

            @Override
            public void noPathQueueing(boolean holding, int queued, String cause) {
                events.add((holding ? "holding " : "released ") + queued + " (" + cause + ")");
            }
        };
    }

    /** The LBAs (= write numbers) firstHeld..lastHeld in the order of their first dispatch to a path. */
    List<Long> firstDispatches(int firstHeld, int lastHeld) {
        BitSet seen = new BitSet();
        List<Long> order = new ArrayList<>();
        for (long[] d : dispatched) {
            long lba = d[1];
            if (lba < firstHeld || lba > lastHeld || seen.get((int) lba)) continue;
            seen.set((int) lba);
            order.add(lba);
        }
        return order;
    }

    // ------------------------------------------------------------------ the writer

    /** Block {@code n}: the write number and LBA, then bytes derived from both. */
    static byte[] pattern(int n) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK).putLong(n).putLong(n);
        for (int i = 16; i < BLOCK; i++) b.put((byte) (n * 31 + i * 7 + (n >>> 8)));
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

    /** Through a new session to a portal of the controller that owns the LUN now: what the array holds. */
    void verifyThroughAFreshSession() throws Exception {
        int owner = sim.lun(0).owner();
        assertThat(owner).as(sim.describe()).isNotNegative();
        ScsiTransport direct = path(sim.portals().indexOf(sim.controller(owner).portals().get(0)), 0);
        BitSet acked = writer.ackedSet();
        for (int from = 0; from < acked.length(); from += 256) {
            int blocks = Math.min(256, acked.length() - from);
            ScsiResponse r = io(direct, ScsiCommand.read(Cdb.read16(from, blocks), blocks * BLOCK));
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
            assertThat(Arrays.copyOfRange(data, at, at + BLOCK)).as("acknowledged write %d read through the %s", n, through)
                    .isEqualTo(pattern(n));
        }
    }

    // ------------------------------------------------------------------ helpers

    <T> T onMap(Supplier<T> s) throws Exception {
        return MapThreadCall.onMap(thread, s);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    void await(Check c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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
        String w = writer == null ? "-" : "submitted " + writer.submitted() + ", acked " + writer.acked()
                + ", free slots " + writer.freeSlots();
        return "writer " + w + "; status [" + status + "]; " + sim.describe() + "events " + events + "\nhandler log:\n" + logText();
    }

    @AfterEach
    void stopMap() throws Exception {
        checker.shutdownNow();
        if (writer != null) writer.halt();
        for (Session s : sessions) if (s != null) s.close();
        if (thread != null) thread.close();
    }
}
