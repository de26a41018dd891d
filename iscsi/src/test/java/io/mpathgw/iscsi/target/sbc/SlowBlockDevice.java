package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.BlockDevice;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link BlockDevice} in front of another that completes every request later, on another thread, after a random
 * pause of up to {@code maxDelayMicros} — as a multipath map over the network does — and records the FUA flag of
 * each write. Requests reach the inner device only when they complete, so a read issued before a write may see it.
 */
final class SlowBlockDevice implements BlockDevice {

    private final BlockDevice inner;
    private final int maxDelayMicros;
    final List<Boolean> fua = Collections.synchronizedList(new ArrayList<>());

    SlowBlockDevice(BlockDevice inner, int maxDelayMicros) {
        this.inner = inner;
        this.maxDelayMicros = maxDelayMicros;
    }

    private <T> CompletableFuture<T> later(Supplier<CompletableFuture<T>> request) {
        long delay = maxDelayMicros == 0 ? 0 : ThreadLocalRandom.current().nextLong(maxDelayMicros);
        Executor e = CompletableFuture.delayedExecutor(delay, TimeUnit.MICROSECONDS);
        return CompletableFuture.supplyAsync(request, e).thenCompose(f -> f);
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    @Override
    public boolean unmapSupported() {
        return inner.unmapSupported();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        return later(() -> inner.read(lba, blocks));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        this.fua.add(fua);
        return later(() -> inner.write(lba, data, fua));
    }

    @Override
    public CompletableFuture<Void> flush() {
        return later(inner::flush);
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        return later(() -> inner.unmap(lba, blocks));
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
        return later(() -> inner.writeSame(lba, blocks, block, unmap));
    }
}
