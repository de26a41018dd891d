package io.mpathgw.gateway.nbd;

import io.mpathgw.dm.engine.ExecutorMapThread;
import io.mpathgw.dm.engine.MapEvents;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export of a real multipath map: two sessions of our initiator to the simulated active-active array (one per
 * controller portal), a map over them (round-robin, queue_if_no_path) as a {@link MultipathBlockDevice}, exported
 * over NBD. nbdcopy writes 64 MiB of random data in while one portal is killed (RST) mid-copy, and reads it back
 * while the other one is killed: nothing is lost, the copies succeed, the data read back is the data written, and
 * the array itself holds it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NbdMultipathTest {

    static final String TABLE = "1 queue_if_no_path 0 1 1 round-robin 0 2 1 p0 1 p1 1";
    static final int MIB = 1 << 20;
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    java.nio.file.Path dir;
    final EventLoopGroup clients = EventLoops.create(2);
    final List<Session> sessions = new ArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    ArraySimulator sim;
    ExecutorMapThread thread;
    MultipathDevice map;
    MultipathBlockDevice dev;
    NbdServer server;

    @AfterEach
    void close() {
        if (server != null) server.close();
        for (Session s : sessions) s.close();
        if (thread != null) thread.close();
        if (sim != null) sim.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void nbdcopyThroughAMapLosesNothingWhenAPortalDies() throws Exception {
        NbdTools.assumeTool("nbdcopy", "libnbd-bin");
        map();
        server = NbdServer.builder().listen("127.0.0.1:0").start();
        server.addExport("mpatha", "map mpatha (" + sim.lun(0).wwid() + ")", dev);
        String uri = "nbd://127.0.0.1:" + server.port() + "/mpatha";
        byte[] data = new byte[64 * MIB];
        new Random(21).nextBytes(data);
        java.nio.file.Path in = Files.write(dir.resolve("in"), data);

        // in, while portal 0 (path p0) dies
        long before = sim.lun(0).commands();
        copyWhileKilling(0, in.toString(), uri, before);
        assertThat(events).as("p0 failed").anyMatch(e -> e.startsWith("failed p0"));
        assertThat(onArray()).as("the array holds every byte written").isEqualTo(data);

        // portal 0 returns, p0 is reinstated; out, while portal 1 (path p1) dies
        sim.portal(0).revive();
        await(() -> sessions.get(0).state() == SessionState.LOGGED_IN, "session 0 logged in again");
        onMap(() -> map.message(0, "reinstate_path p0"));
        await(() -> onMapGet(() -> map.nrValidPaths()) == 2, "p0 reinstated");
        java.nio.file.Path out = dir.resolve("out");
        copyWhileKilling(1, uri, out.toString(), sim.lun(0).commands());
        assertThat(events).as("p1 failed").anyMatch(e -> e.startsWith("failed p1"));
        assertThat(Files.mismatch(in, out)).as("read back through the map over the surviving path").isEqualTo(-1L);
    }

    /**
     * Back-pressure from a queueing map: with every portal down the map holds what it gets; once it holds its
     * maximum it is not writable and the export stops reading from the client, so the connection has no more
     * requests with the map than that, and the rest wait in the socket. When the portals return, everything
     * completes without an error and reads back.
     */
    @Test
    void aQueueingMapStopsTheExportReadingAndLosesNothing() throws Exception {
        int max = 8;
        mapWith(max);
        server = NbdServer.builder().listen("127.0.0.1:0").start();
        server.addExport("mpatha", "", dev);
        RawNbdClient c = new RawNbdClient(server.port()).greet().go("mpatha", true);
        try (c) {
            sim.portal(0).kill();
            sim.portal(1).kill();
            int n = 64;
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++)
                        c.request(0, Nbd.NBD_CMD_WRITE, i, i * 65536L, 65536, NbdProtocolTest.pattern(65536, i));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sender.start();
            await(() -> dev.outstanding() == max, "the map holding " + max + " requests");
            Thread.sleep(300);
            assertThat(dev.writable()).isFalse();
            assertThat(dev.outstanding()).isEqualTo(max);
            assertThat(server.requestsInFlight()).as("the export stopped taking requests").isEqualTo(max);
            sim.portal(0).revive();
            sim.portal(1).revive();
            await(() -> sessions.get(0).state() == SessionState.LOGGED_IN
                    && sessions.get(1).state() == SessionState.LOGGED_IN, "sessions logged in again");
            onMap(() -> map.message(0, "reinstate_path p0"));
            onMap(() -> map.message(0, "reinstate_path p1"));
            java.util.Set<Long> done = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                RawNbdClient.Reply r = c.reply(0);
                assertThat(r.error()).as("reply to %d: %s", r.handle(), r.message()).isZero();
                done.add(r.handle());
            }
            sender.join();
            assertThat(done).hasSize(n);
            for (int i = 0; i < n; i += 7) {
                c.request(0, Nbd.NBD_CMD_READ, 1000 + i, i * 65536L, 65536, null);
                assertThat(c.reply(0).data()).as("block %d", i).isEqualTo(NbdProtocolTest.pattern(65536, i));
            }
        }
    }

    /** Runs nbdcopy {@code from} → {@code to}, kills portal {@code portal} once it is moving data, waits for it. */
    void copyWhileKilling(int portal, String from, String to, long commandsBefore) throws Exception {
        Process p = new ProcessBuilder("nbdcopy", "--requests=8", from, to).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nbdcopy-" + portal + ".log").toFile()).start();
        try {
            // a few MiB through the map first (each command carries at most 256 KiB)
            await(() -> sim.lun(0).commands() > commandsBefore + 40 || !p.isAlive(), "the copy under way");
            assertThat(p.isAlive()).as("nbdcopy still copying when the portal dies").isTrue();
            sim.portal(portal).kill();
            assertThat(p.waitFor(T.toSeconds(), TimeUnit.SECONDS)).as("nbdcopy finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("nbdcopy-" + portal + ".log"))).isZero();
    }

    byte[] onArray() throws Exception {
        ByteBuf b = sim.lun(0).device().read(0, 64 * MIB / 512).get(10, TimeUnit.SECONDS);
        try {
            byte[] out = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            b.release();
        }
    }

    void map() throws Exception {
        mapWith(MultipathBlockDevice.DEFAULT_MAX_OUTSTANDING);
    }

    void mapWith(int maxOutstanding) throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).controllers(2).portalsPerController(1)
                .lun(LunSpec.of(0, 64L * MIB)).build().start();
        thread = new ExecutorMapThread("map-nbd");
        ScsiPathIo pathIo = new ScsiPathIo(thread);
        for (int i = 0; i < 2; i++) {
            Session s = open(i);
            sessions.add(s);
            pathIo.bind("p" + i, s.lun(0));
        }
        ReadCapacity rc = MultipathBlockDevice.readCapacity(sessions.get(0).lun(0)).get(5, TimeUnit.SECONDS);
        map = MultipathDevice.builder("mpatha", rc.sizeBytes() / 512,
                        MultipathTable.parse(TABLE, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH))
                .devName("253:0").thread(thread).pathIo(pathIo).events(new MapEvents() {
                    @Override
                    public void pathFailed(Path path, String cause, int nrValidPaths) {
                        events.add("failed " + path + " (" + cause + ")");
                    }
                }).build();
        dev = MultipathBlockDevice.builder(map).capacity(rc).maxOutstanding(maxOutstanding).build();
    }

    Session open(int portal) throws Exception {
        InitiatorConfig cfg = InitiatorConfig.builder(sim.address(portal), sim.targetName(portal))
                .initiatorName("iqn.2026-01.io.mpathgw.test:nbd").nopInterval(Duration.ofMillis(200))
                .nopTimeout(Duration.ofMillis(500)).loginTimeout(Duration.ofSeconds(2))
                .commandTimeout(Duration.ofSeconds(5)).reconnectInitial(Duration.ofMillis(50))
                .reconnectCap(Duration.ofMillis(300)).build();
        Session s = Session.open(cfg, clients);
        s.awaitLoggedIn(Duration.ofSeconds(5));
        s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS).release();
        return s;
    }

    interface MapAction {
        void run() throws Exception;
    }

    void onMap(MapAction a) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                a.run();
                f.complete(null);
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        f.get(5, TimeUnit.SECONDS);
    }

    <T> T onMapGet(java.util.function.Supplier<T> s) {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(() -> f.complete(s.get()));
        return f.orTimeout(5, TimeUnit.SECONDS).join();
    }

    void await(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; " + events);
            Thread.sleep(5);
        }
    }
}
