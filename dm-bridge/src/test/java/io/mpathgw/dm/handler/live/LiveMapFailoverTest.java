package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.engine.ExecutorMapThread;
import io.mpathgw.dm.engine.MapEvents;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.handler.HandlerActivator;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole map over real sessions to the simulated ALUA array, the alua handler bound to each path for pg_init,
 * prep_fn and check_sense: one priority group per controller, PG 1 on controller A (active/optimized). Verified
 * writes go on while the array fails over by itself and while controller A dies; every acknowledged write is read
 * back through the map.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiveMapFailoverTest extends LiveHandlerTest {

    static final String TABLE = "1 queue_if_no_path 1 alua 2 1 round-robin 0 1 0 p0 round-robin 0 1 0 p1";
    static final int BLOCKS = 8;

    final List<String> events = Collections.synchronizedList(new java.util.ArrayList<>());
    ExecutorMapThread thread;
    MultipathBlockDevice dev;

    void map() throws Exception {
        start(b -> b.personality(Personality.ALUA).portalsPerController(1).transitionTime(Duration.ofMillis(300))
                .demotedState(AluaState.STANDBY));
        ScsiTransport p0 = path(0, 0);
        ScsiTransport p1 = path(1, 0);
        HandlerActivator handlers = new HandlerActivator();
        handlers.bind("p0", attach("alua", p0));
        handlers.bind("p1", attach("alua", p1));
        thread = new ExecutorMapThread("map-live");
        ScsiPathIo pathIo = new ScsiPathIo(thread).bind("p0", p0).bind("p1", p1).hooks(handlers);
        ReadCapacity rc = MultipathBlockDevice.readCapacity(p0).get(5, TimeUnit.SECONDS);
        MultipathDevice map = MultipathDevice.builder("mpatha", rc.sizeBytes() / 512,
                        MultipathTable.parse(TABLE, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH))
                .devName("253:0").thread(thread).pathIo(pathIo).activator(handlers).log(log::add)
                .events(recorder()).build();
        dev = MultipathBlockDevice.builder(map).capacity(rc).build();
    }

    MapEvents recorder() {
        return new MapEvents() {
            @Override
            public void pathFailed(Path path, String cause, int nrValidPaths) {
                events.add("failed " + path + " (" + cause + ")");
            }

            @Override
            public void pgInitDone(Path path, int result) {
                events.add("pg_init " + path + " " + result);
            }
        };
    }

    /** Writes block-sized patterns at {@code lba}, then reads them back through the map. */
    void writeAndVerify(long lba, int seed) throws Exception {
        byte[] data = new byte[BLOCKS * 512];
        Arrays.fill(data, (byte) seed);
        dev.write(lba, Unpooled.wrappedBuffer(data), false).get(20, TimeUnit.SECONDS);
        ByteBuf back = dev.read(lba, BLOCKS).get(20, TimeUnit.SECONDS);
        try {
            assertThat(ByteBufUtil.getBytes(back)).as("lba %d; events %s", lba, events).isEqualTo(data);
        } finally {
            back.release();
        }
    }

    String status() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        thread.execute(() -> f.complete(dev.map().status()));
        return f.get(5, TimeUnit.SECONDS);
    }

    /** {@code dmsetup message mpatha 0 <text>} on the map's thread. */
    void onMapThread(String text) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                dev.map().message(0, text);
                f.complete(null);
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void writesSurviveAnImplicitFailoverAndTheLossOfAController() throws Exception {
        map();
        writeAndVerify(0, 1);
        assertThat(events).as(logText()).contains("pg_init p0 0");

        // the array moves the LUN to B: A's group transitions, then is standby; prep_fn keeps I/O off A,
        // the map fails p0 and initialises PG 2
        sim.failover(1);
        for (int i = 1; i <= 4; i++) writeAndVerify(i * 64L, 10 + i);
        assertThat(sim.lun(0).owner()).isEqualTo(1);
        assertThat(events).as(logText()).contains("pg_init p1 0");

        // the array moves it back; a checker would reinstate p0, and the admin switches to PG 1 again
        sim.failover(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sim.lun(0).aluaState(0) != AluaState.ACTIVE_OPTIMIZED && System.nanoTime() < deadline)
            Thread.sleep(20);
        onMapThread("reinstate_path p0");
        onMapThread("switch_group 1");
        for (int i = 5; i <= 6; i++) writeAndVerify(i * 64L, 10 + i);
        assertThat(events.stream().filter(e -> e.equals("pg_init p0 0"))).hasSize(2);

        // controller A dies under I/O: the connection resets, the map fails p0 and initialises PG 2 while the
        // array moves the LUN to B through a transition
        sim.controller(0).kill();
        for (int i = 7; i <= 8; i++) writeAndVerify(i * 64L, 10 + i);
        assertThat(sim.lun(0).aluaState(1)).isEqualTo(AluaState.ACTIVE_OPTIMIZED);
        assertThat(events.stream().filter(e -> e.startsWith("failed p0"))).as(logText()).hasSize(2);
        assertThat(events.stream().filter(e -> e.equals("pg_init p1 0"))).as(logText()).hasSize(2);
        for (int i = 0; i <= 8; i++) {
            ByteBuf b = dev.read(i * 64L, 1).get(20, TimeUnit.SECONDS);
            try {
                assertThat(b.getByte(0)).isEqualTo((byte) (i == 0 ? 1 : 10 + i));
            } finally {
                b.release();
            }
        }
        assertThat(status()).as(logText()).contains("p1 A");
    }

    @AfterEach
    void stopMap() {
        if (thread != null) thread.close();
    }
}
