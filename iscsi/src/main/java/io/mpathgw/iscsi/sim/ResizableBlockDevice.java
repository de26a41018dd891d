package io.mpathgw.iscsi.sim;

import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.BlockDeviceException;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link BlockDevice} whose capacity the simulator can change while it is served (a LUN grown or shrunk on the
 * array): a window of {@link #blockCount()} blocks over a backing device of fixed, larger size. Requests past the
 * current capacity fail with LBA OUT OF RANGE before they reach the backing device; blocks beyond a shrink keep
 * their data and reappear after a later grow, as on an array that only changes the LUN's reported size.
 *
 * <p>Thread-safe: the capacity is one volatile field, read once per request.
 */
public final class ResizableBlockDevice implements BlockDevice {

    private final BlockDevice backing;
    private volatile long blockCount;

    /** A window of {@code blockCount} blocks over {@code backing}, which must hold at least that many. */
    public ResizableBlockDevice(BlockDevice backing, long blockCount) {
        this.backing = backing;
        resize(blockCount);
    }

    /** The device underneath (its own capacity is the most this one can grow to). */
    public BlockDevice backing() {
        return backing;
    }

    /** The most blocks {@link #resize} accepts: the backing device's capacity. */
    public long maxBlockCount() {
        return backing.blockCount();
    }

    /** Sets the capacity; the caller raises CAPACITY DATA HAS CHANGED on the LU. */
    public void resize(long blocks) {
        if (blocks < 1 || blocks > backing.blockCount())
            throw new IllegalArgumentException("block count: " + blocks + " (expected: 1.." + backing.blockCount()
                    + ", the backing device's capacity)");
        blockCount = blocks;
    }

    @Override
    public int blockSize() {
        return backing.blockSize();
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public boolean unmapSupported() {
        return backing.unmapSupported();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        BlockDeviceException bad = outside(lba, blocks);
        return bad != null ? CompletableFuture.failedFuture(bad) : backing.read(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        BlockDeviceException bad = outside(lba, data.readableBytes() / blockSize());
        if (bad == null) return backing.write(lba, data, fua);
        data.release();
        return CompletableFuture.failedFuture(bad);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return backing.flush();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        BlockDeviceException bad = outside(lba, blocks);
        return bad != null ? CompletableFuture.failedFuture(bad) : backing.unmap(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
        BlockDeviceException bad = outside(lba, blocks);
        if (bad == null) return backing.writeSame(lba, blocks, block, unmap);
        ReferenceCountUtil.release(block);
        return CompletableFuture.failedFuture(bad);
    }

    /** Negative values are left to the backing device, which rejects them with its own message. */
    private BlockDeviceException outside(long lba, long blocks) {
        long cap = blockCount;
        if (lba < 0 || blocks < 0) return null;
        return lba > cap || blocks > cap - lba ? BlockDeviceException.outOfRange(lba, blocks, cap) : null;
    }
}
