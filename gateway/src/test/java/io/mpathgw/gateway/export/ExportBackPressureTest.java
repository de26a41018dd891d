package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.mpathgw.gateway.export.ExportTools.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the iSCSI export does while a map holds every request (queue_if_no_path with no path): the target's CmdSN
 * window stays closed once the session's queue depth (128) is in the map, so an initiator asking for 512 at once
 * (iscsi-perf -m 512) gets no more than 128 into the gateway; released, they all complete.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportBackPressureTest {

    /** A memory device whose requests wait, while held, until released; counts how many wait at most. */
    static final class HoldingDevice implements BlockDevice {
        private final MemoryBlockDevice store = new MemoryBlockDevice(512, 32768);
        private final Deque<Runnable> held = new ArrayDeque<>();
        private boolean holding = true;
        private int most;

        @Override public int blockSize() { return store.blockSize(); }
        @Override public long blockCount() { return store.blockCount(); }

        synchronized int most() {
            return most;
        }

        synchronized int waiting() {
            return held.size();
        }

        void release() {
            List<Runnable> go;
            synchronized (this) {
                holding = false;
                go = List.copyOf(held);
                held.clear();
            }
            go.forEach(Runnable::run);
        }

        private <T> CompletableFuture<T> gate(Supplier<CompletableFuture<T>> op) {
            synchronized (this) {
                if (holding) {
                    CompletableFuture<T> f = new CompletableFuture<>();
                    held.add(() -> op.get().whenComplete((v, e) -> {
                        if (e != null) f.completeExceptionally(e);
                        else f.complete(v);
                    }));
                    most = Math.max(most, held.size());
                    return f;
                }
            }
            return op.get();
        }

        @Override public CompletableFuture<ByteBuf> read(long lba, int blocks) { return gate(() -> store.read(lba, blocks)); }
        @Override public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) { return gate(() -> store.write(lba, data, fua)); }
        @Override public CompletableFuture<Void> flush() { return gate(store::flush); }
        @Override public CompletableFuture<Void> unmap(long lba, long blocks) { return gate(() -> store.unmap(lba, blocks)); }
        @Override public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
            return gate(() -> store.writeSame(lba, blocks, block, unmap));
        }
    }

    @Test
    void aHoldingMapClosesTheCmdSnWindowAtTheQueueDepth() throws Exception {
        assumeTool("iscsi-perf", "libiscsi-bin");
        HoldingDevice device = new HoldingDevice();
        ExportsFollowMapsTest.ScriptedMaps maps = new ExportsFollowMapsTest.ScriptedMaps();
        maps.add("mpatha", "360a6d6700000000000000000000000a1", device);
        try (Exports exports = Exports.start(new ExportSettings(null, new PortalAddress("127.0.0.1", 0),
                "iqn.2026-11.io.mpathgw.test:", List.of(), null, null), maps)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!exports.exported().contains("mpatha") && System.nanoTime() < end) Thread.sleep(10);
            String url = "iscsi://127.0.0.1:" + exports.iscsiPort() + "/iqn.2026-11.io.mpathgw.test:mpatha/0";
            Process perf = new ProcessBuilder("iscsi-perf", "-m", "512", "-b", "8", "-r", url)
                    .redirectErrorStream(true).start();
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (device.waiting() < 128 && System.nanoTime() < end && perf.isAlive()) Thread.sleep(10);
            Thread.sleep(500);                         // time for more to arrive, were the window open
            assertThat(device.most()).as("requests held in the map").isEqualTo(128);
            device.release();
            Thread.sleep(1000);
            new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).start().waitFor();
            assertThat(perf.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String out = new String(perf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace('\r', '\n');
            assertThat(out).as(out).containsPattern("iops average [1-9]").doesNotContain("Failed");
        }
    }
}
