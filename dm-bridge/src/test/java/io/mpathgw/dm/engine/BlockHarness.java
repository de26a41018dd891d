package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A map of fake SCSI paths onto one in-memory LU, as a {@link MultipathBlockDevice} on a virtual map thread: the
 * kernel log and every {@link MapEvents} call are captured as lines.
 */
final class BlockHarness implements AutoCloseable {

    static final int BLOCK = 512;
    static final long BLOCKS = 2048;

    final VirtualMapThread thread = new VirtualMapThread();
    final FakeLun lun = new FakeLun(thread, BLOCK, BLOCKS);
    final Map<String, FakeLun.Port> ports = new LinkedHashMap<>();
    final List<String> log = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final ScsiPathIo pathIo;
    final MultipathDevice map;
    final MultipathBlockDevice dev;

    BlockHarness(String table) throws Exception {
        this(table, b -> b, ScsiPathIo.Settings.KERNEL, MultipathBlockDevice.DEFAULT_MAX_OUTSTANDING);
    }

    BlockHarness(String table, UnaryOperator<MultipathDevice.Builder> tweak, ScsiPathIo.Settings settings,
                 int maxOutstanding) throws Exception {
        pathIo = new ScsiPathIo(thread, settings);
        MultipathTable t = MultipathTable.parse(table);
        t.groups().forEach(g -> g.paths().forEach(p -> {
            FakeLun.Port port = ports.computeIfAbsent(p.name(), lun::port);
            pathIo.bind(p.name(), port);
        }));
        map = tweak.apply(MultipathDevice.builder("mpatha", BLOCKS, t).devName("253:0").thread(thread)
                .pathIo(pathIo).activator(PathActivator.IMMEDIATE_SUCCESS).log(log::add).events(recorder()))
                .build();
        dev = MultipathBlockDevice.builder(map).blockSize(BLOCK).maxOutstanding(maxOutstanding).build();
    }

    FakeLun.Port port(String name) {
        return ports.get(name);
    }

    /** Runs the map until {@code f} completes (at most a virtual minute) and returns it. */
    <T> CompletableFuture<T> await(CompletableFuture<T> f) {
        thread.runUntil(f::isDone, 60_000);
        return f;
    }

    void message(String text) throws MessageException {
        map.message(0, text);
        thread.runUntil(() -> false, 0);
    }

    String status() {
        return map.status();
    }

    static ByteBuf pattern(int blocks, int seed) {
        ByteBuf b = Unpooled.buffer(blocks * BLOCK);
        for (int i = 0; i < blocks * BLOCK; i++) b.writeByte((seed * 31 + i * 7) & 0xff);
        return b;
    }

    /** Whether the disk holds {@code expected} at {@code lba}, read directly, not through the map; releases it. */
    boolean diskHolds(long lba, ByteBuf expected) {
        ByteBuf d = lun.disk.read(lba, expected.readableBytes() / BLOCK).join();
        try {
            return io.netty.buffer.ByteBufUtil.equals(d, expected);
        } finally {
            d.release();
            expected.release();
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
            public void groupSwitched(PriorityGroup from, PriorityGroup to) {
                events.add("switched " + (from == null ? "-" : from.pgNum()) + " -> " + to.pgNum());
            }

            @Override
            public void pgInitDone(Path path, int scsiDhResult) {
                events.add("pg_init " + path + " " + scsiDhResult);
            }

            @Override
            public void queueIfNoPath(boolean on, String cause) {
                events.add("queue_if_no_path " + (on ? "on" : "off") + " (" + cause + ")");
            }

            @Override
            public void noPathQueueing(boolean holding, int queued, String cause) {
                events.add((holding ? "holding" : "released") + " " + queued + " (" + cause + ")");
            }
        };
    }

    @Override
    public void close() {
        lun.close();
    }
}
