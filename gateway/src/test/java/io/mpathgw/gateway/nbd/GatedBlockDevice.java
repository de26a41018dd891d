package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.BlockDevice;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A real device whose requests can be held (as a slow array holds them) and let go later, in any order, or failed
 * with a given error: for back-pressure, out-of-order replies and error mapping. Thread-safe.
 */
final class GatedBlockDevice implements BlockDevice {

    private final BlockDevice device;
    private final Deque<Runnable> held = new ArrayDeque<>();
    private boolean holding;
    private Throwable failure;
    private int outstanding;
    private int mostOutstanding;

    GatedBlockDevice(BlockDevice device) {
        this.device = device;
    }

    synchronized void hold(boolean on) {
        holding = on;
    }

    /** Every later request fails with {@code t} (null: they succeed again). */
    synchronized void fail(Throwable t) {
        failure = t;
    }

    synchronized int held() {
        return held.size();
    }

    synchronized int mostOutstanding() {
        return mostOutstanding;
    }

    /** Lets the oldest ({@code newestFirst} false) or newest held request go; false if none was held. */
    boolean releaseOne(boolean newestFirst) {
        Runnable r;
        synchronized (this) {
            r = newestFirst ? held.pollLast() : held.pollFirst();
        }
        if (r == null) return false;
        r.run();
        return true;
    }

    void releaseAll() {
        while (releaseOne(false)) {
            // until none is left
        }
    }

    private <T> CompletableFuture<T> gate(Supplier<CompletableFuture<T>> op, ByteBuf data) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable run = () -> op.get().whenComplete((v, e) -> {
            synchronized (this) {
                outstanding--;
            }
            if (e != null) f.completeExceptionally(e);
            else f.complete(v);
        });
        synchronized (this) {
            if (failure != null) {
                if (data != null) data.release();
                return CompletableFuture.failedFuture(failure);
            }
            outstanding++;
            mostOutstanding = Math.max(mostOutstanding, outstanding);
            if (holding) {
                held.add(run);
                return f;
            }
        }
        run.run();
        return f;
    }

    @Override
    public int blockSize() {
        return device.blockSize();
    }

    @Override
    public long blockCount() {
        return device.blockCount();
    }

    @Override
    public boolean unmapSupported() {
        return device.unmapSupported();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        return gate(() -> device.read(lba, blocks), null);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        return gate(() -> device.write(lba, data, fua), data);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return gate(device::flush, null);
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        return gate(() -> device.unmap(lba, blocks), null);
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
        return gate(() -> device.writeSame(lba, blocks, block, unmap), block);
    }
}
