package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.iscsi.initiator.DiscoveredTarget;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The iSCSI export adds and removes one target node per map on the running target: an initiator's session to map
 * A's target keeps its TSIH and its I/O (verified writes and reads) while map B appears, is used, and goes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IscsiExportNodesTest {

    static final String PREFIX = ExportsFollowMapsTest.PREFIX;
    static final String INITIATOR = "iqn.2026-11.io.mpathgw.test:client";

    final EventLoopGroup clients = EventLoops.create(1);
    final List<Session> sessions = new ArrayList<>();
    Exports exports;

    @AfterEach
    void stop() {
        for (Session s : sessions) s.close();
        if (exports != null) exports.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    Session open(String target) {
        Session s = Session.open(InitiatorConfig.builder(new InetSocketAddress("127.0.0.1", exports.iscsiPort()), target)
                .initiatorName(INITIATOR).loginTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(10))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(200)).build(), clients);
        sessions.add(s);
        return s;
    }

    void awaitExported(List<String> maps) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!exports.exported().equals(maps) && System.nanoTime() < end) Thread.sleep(10);
        assertThat(exports.exported()).isEqualTo(maps);
    }

    /** The new I_T nexus's first command gets the POWER ON unit attention: TEST UNIT READY takes it. */
    static void clearUnitAttention(Session s) throws Exception {
        for (int i = 0; i < 3; i++) {
            ScsiResponse r = s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())).get(10, TimeUnit.SECONDS);
            int status = r.status();
            r.release();
            if (status == ScsiResponse.GOOD) return;
        }
        throw new AssertionError("TEST UNIT READY: no GOOD after 3 tries; " + s.describe());
    }

    static List<String> discovered(Session discovery) throws Exception {
        return discovery.sendTargets("All").get(5, TimeUnit.SECONDS).stream().map(DiscoveredTarget::name).toList();
    }

    /** Verified single-block write + read rounds on LUN 0 until stopped. */
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
            byte[] block = new byte[512];
            try {
                for (long i = 0; !stop; i++) {
                    Arrays.fill(block, (byte) (i * 7));
                    ScsiResponse w = s.lun(0).submit(ScsiCommand.write(Cdb.write16(i % 256, 1, false),
                            Unpooled.wrappedBuffer(block.clone()))).get(10, TimeUnit.SECONDS);
                    assertThat(w.status()).as("WRITE, round " + i).isEqualTo(ScsiResponse.GOOD);
                    w.release();
                    ScsiResponse r = s.lun(0).submit(ScsiCommand.read(Cdb.read16(i % 256, 1), 512)).get(10, TimeUnit.SECONDS);
                    assertThat(r.status()).as("READ, round " + i).isEqualTo(ScsiResponse.GOOD);
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
            assertThat(error.get()).as("I/O error on map A's session").isNull();
            assertThat(rounds.get()).as("I/O on map A's session keeps going").isGreaterThan(than + 10);
            return rounds.get();
        }
    }

    @Test
    void mapASessionSurvivesMapBComingAndGoing() throws Exception {
        ExportsFollowMapsTest.ScriptedMaps maps = new ExportsFollowMapsTest.ScriptedMaps();
        maps.add("mpatha", "360a6d6700000000000000000000000a1", new MemoryBlockDevice(512, 2048));
        exports = Exports.start(new ExportSettings(null, new PortalAddress("127.0.0.1", 0), PREFIX, List.of(),
                null, null), maps, Duration.ofHours(1));
        awaitExported(List.of("mpatha"));
        int port = exports.iscsiPort();

        Session a = open(PREFIX + "mpatha").awaitLoggedIn(Duration.ofSeconds(5));
        int tsih = a.tsih();
        Session discovery = open(null).awaitLoggedIn(Duration.ofSeconds(5));
        clearUnitAttention(a);
        Traffic io = new Traffic(a);
        Thread t = new Thread(io, "map-a-io");
        t.start();
        long seen = io.awaitMore(0);

        maps.add("mpathb", "360a6d6700000000000000000000000b2", new MemoryBlockDevice(512, 2048));
        awaitExported(List.of("mpatha", "mpathb"));
        assertThat(discovered(discovery)).containsExactly(PREFIX + "mpatha", PREFIX + "mpathb");
        Session b = open(PREFIX + "mpathb").awaitLoggedIn(Duration.ofSeconds(5));
        clearUnitAttention(b);
        ScsiResponse r = b.lun(0).submit(ScsiCommand.read(Cdb.read16(0, 1), 512)).get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
        r.release();
        seen = io.awaitMore(seen);

        maps.remove("mpathb");
        awaitExported(List.of("mpatha"));
        assertThat(discovered(discovery)).containsExactly(PREFIX + "mpatha");
        // map B's session is asked to log out, and its login again is refused: 0x0204 Target removed
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!b.lastFailure().contains("0x0204") && System.nanoTime() < end) Thread.sleep(10);
        assertThat(b.lastFailure()).contains("0x0204");
        seen = io.awaitMore(seen);

        io.stop = true;
        t.join(10_000);
        assertThat(io.error.get()).isNull();
        assertThat(a.state()).as("map A's session was never dropped").isEqualTo(SessionState.LOGGED_IN);
        assertThat(a.tsih()).as("no new login on map A").isEqualTo(tsih);
        assertThat(discovery.state()).isEqualTo(SessionState.LOGGED_IN);
        assertThat(exports.iscsiPort()).isEqualTo(port);
        assertThat(seen).isGreaterThan(30);
    }
}
