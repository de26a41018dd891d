package io.mpathgw.dm.engine;

import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A multipath map as a {@link BlockDevice}: every request becomes a {@link ScsiRequest} that the map sends down one
 * of its paths ({@link ScsiPathIo}), requeues on another when a path fails, holds while no path is usable and the
 * map queues (queue_if_no_path, no_path_retry), and completes exactly once: with its data, with the LU's error as a
 * {@link BlockDeviceException}, or with a {@link TransportException} when no path could carry it and the map does
 * not queue. Requests hop onto the map's thread; completions run there too (callbacks must not block).
 *
 * <p><b>Back-pressure.</b> At most {@code maxOutstanding} requests are admitted at once (in flight on paths plus
 * held by the map); the map's queues are bounded by that. A request beyond it fails at once with
 * {@link RejectedExecutionException}, as a full {@link ScsiTransport} refuses commands: back-pressure, not an I/O
 * error. Well-behaved callers stop earlier: {@link #writable()} turns false when the limit is reached and true again
 * once the outstanding count is down to half of it (Netty's write-buffer water marks), and it is false too while the
 * map is busy ({@link MultipathDevice#busy()}, multipath_busy: pg_init running, or every path of the group in use at
 * its transport's queue depth); {@link #whenWritable()} and the writability listeners tell when. An export stops
 * reading from its clients meanwhile.
 *
 * <p>Thread-safe; never blocks.
 */
public final class MultipathBlockDevice implements BlockDevice {

    public static final int DEFAULT_MAX_OUTSTANDING = 1024;

    private final MultipathDevice map;
    private final MapThread thread;
    private final int blockSize;
    private final long blockCount;
    private final boolean unmapSupported;
    private final int maxOutstanding;
    private final int lowWaterMark;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final List<Runnable> writabilityListeners = new CopyOnWriteArrayList<>();
    private volatile boolean writable = true;
    /** maxOutstanding was reached and the count is not down to the low water mark yet (written under this). */
    private volatile boolean full;
    private CompletableFuture<Void> room;       // guarded by this

    private MultipathBlockDevice(Builder b) {
        this.map = b.map;
        this.thread = b.map.thread();
        this.blockSize = b.blockSize;
        this.blockCount = b.blockCount;
        this.unmapSupported = b.unmapSupported;
        this.maxOutstanding = b.maxOutstanding;
        this.lowWaterMark = b.maxOutstanding / 2;
        map.addBusyListener(this::updateWritability);
        updateWritability();                    // the map may be busy already
    }

    /** The map as a block device of 512-byte blocks covering its length, unless told otherwise. */
    public static Builder builder(MultipathDevice map) {
        return new Builder(map);
    }

    /**
     * READ CAPACITY(16) through one path: what a map over that LU should be built with. Unit attentions (the first
     * command of a new session usually gets 29/00) are retried, up to 5 times, as sd does.
     */
    public static CompletableFuture<ReadCapacity> readCapacity(ScsiTransport path) {
        return readCapacity(path, 5);
    }

    private static CompletableFuture<ReadCapacity> readCapacity(ScsiTransport path, int retries) {
        return path.submit(ScsiCommand.read(Cdb.readCapacity16(ReadCapacity.LENGTH_16), ReadCapacity.LENGTH_16))
                .thenCompose(r -> {
                    try {
                        if (r.isGood()) return CompletableFuture.completedFuture(ReadCapacity.parse16(r.data()));
                        if (retries > 0 && r.sense() != null && r.sense().senseKey() == Sense.UNIT_ATTENTION)
                            return readCapacity(path, retries - 1);
                        return CompletableFuture.failedFuture(new BlockDeviceException(r.status(), r.sense(),
                                "READ CAPACITY(16) on " + path.describe() + ": " + r));
                    } finally {
                        r.release();
                    }
                });
    }

    public MultipathDevice map() {
        return map;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public boolean unmapSupported() {
        return unmapSupported;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        CompletableFuture<ByteBuf> f = new CompletableFuture<>();
        if (blocks < 0 || (long) blocks * blockSize > Integer.MAX_VALUE)
            return failed(f, null, new IllegalArgumentException("blocks: " + blocks + " (expected: 0.."
                    + Integer.MAX_VALUE / blockSize + " per read)"));
        if (checkRange(f, lba, blocks, null)) return f;
        if (blocks == 0) return CompletableFuture.completedFuture(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        return submit(new BlockRequest(this, BlockRequest.Op.READ, lba, blocks, null, false, f), f);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        int bytes = data.readableBytes();
        if (bytes % blockSize != 0)
            return failed(f, data, new IllegalArgumentException("write of " + bytes
                    + " bytes (expected: a multiple of the block size " + blockSize + ")"));
        long blocks = bytes / blockSize;
        if (checkRange(f, lba, blocks, data)) return f;
        if (blocks == 0) {
            data.release();
            f.complete(null);
            return f;
        }
        return submit(new BlockRequest(this, BlockRequest.Op.WRITE, lba, blocks, data, fua, f), f);
    }

    @Override
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        return submit(new BlockRequest(this, BlockRequest.Op.FLUSH, 0, 0, null, false, f), f);
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (blocks > BlockRequest.MAX_UNMAP_BLOCKS)
            return failed(f, null, new IllegalArgumentException("blocks: " + blocks + " (expected: <= "
                    + BlockRequest.MAX_UNMAP_BLOCKS + " per UNMAP)"));
        if (checkRange(f, lba, blocks, null)) return f;
        if (blocks == 0) return CompletableFuture.completedFuture(null);
        return submit(new BlockRequest(this, BlockRequest.Op.UNMAP, lba, blocks, null, false, f), f);
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (block != null && block.readableBytes() != blockSize)
            return failed(f, block, new IllegalArgumentException("write same block of " + block.readableBytes()
                    + " bytes (expected: one block of " + blockSize + ")"));
        if (blocks > 0xFFFF_FFFFL)
            return failed(f, block, new IllegalArgumentException("blocks: " + blocks
                    + " (expected: <= 4294967295 per WRITE SAME(16))"));
        if (checkRange(f, lba, blocks, block)) return f;
        if (blocks == 0) {
            ReferenceCountUtil.release(block);
            f.complete(null);
            return f;
        }
        return submit(new BlockRequest(this, BlockRequest.Op.WRITE_SAME, lba, blocks, block, unmap, f), f);
    }

    /** Fails {@code f} (releasing {@code data}) when the range is negative or past the end; true if it did. */
    private boolean checkRange(CompletableFuture<?> f, long lba, long blocks, ByteBuf data) {
        if (lba < 0 || blocks < 0) {
            failed(f, data, new IllegalArgumentException("lba: " + lba + ", blocks: " + blocks
                    + " (expected: both >= 0)"));
            return true;
        }
        if (lba > blockCount - blocks) {
            failed(f, data, BlockDeviceException.outOfRange(lba, blocks, blockCount));
            return true;
        }
        return false;
    }

    private static <T> CompletableFuture<T> failed(CompletableFuture<T> f, ByteBuf data, Throwable e) {
        ReferenceCountUtil.release(data);
        f.completeExceptionally(e);
        return f;
    }

    private <T> CompletableFuture<T> submit(BlockRequest rq, CompletableFuture<T> f) {
        if (!admit()) {
            rq.reject(new RejectedExecutionException("outstanding: " + maxOutstanding + " requests (expected: fewer);"
                    + " map " + map.name()));
            return f;
        }
        try {
            thread.execute(() -> map.submit(rq));
        } catch (RejectedExecutionException e) {        // the map's thread was shut down
            completed();
            rq.reject(new TransportException(TransportException.Kind.CLOSED, "map " + map.name() + " is closed", e));
        }
        return f;
    }

    // ------------------------------------------------------------------ back-pressure

    private boolean admit() {
        int n = outstanding.incrementAndGet();
        if (n > maxOutstanding) {
            outstanding.decrementAndGet();
            return false;
        }
        if (n == maxOutstanding) updateWritability();
        return true;
    }

    /** A request admitted earlier was completed. */
    void completed() {
        int n = outstanding.decrementAndGet();
        if (full && n <= lowWaterMark) updateWritability();
    }

    /** After the outstanding count crossed a water mark, or the map's busy flag changed (on the map thread). */
    private void updateWritability() {
        CompletableFuture<Void> wake = null;
        synchronized (this) {
            int n = outstanding.get();
            full = full ? n > lowWaterMark : n >= maxOutstanding;
            boolean w = !full && !map.busyNow();
            if (w == writable) return;
            writable = w;
            if (w) {
                wake = room;
                room = null;
            }
        }
        for (Runnable l : writabilityListeners) l.run();
        if (wake != null) wake.complete(null);
    }

    /**
     * False from the moment {@code maxOutstanding} requests are outstanding until half of them completed, and while
     * the map is busy.
     */
    public boolean writable() {
        return writable;
    }

    /** Completes when {@link #writable()} (at once if it is). */
    public synchronized CompletableFuture<Void> whenWritable() {
        if (writable) return CompletableFuture.completedFuture(null);
        if (room == null) room = new CompletableFuture<>();
        return room;
    }

    /** Runs {@code listener} after every change of {@link #writable()}, on the thread that caused it. */
    public void addWritabilityListener(Runnable listener) {
        writabilityListeners.add(listener);
    }

    /** Requests admitted and not completed yet. */
    public int outstanding() {
        return outstanding.get();
    }

    public int maxOutstanding() {
        return maxOutstanding;
    }

    @Override
    public String toString() {
        return "map " + map.name() + " (" + blockCount + " blocks of " + blockSize + ")";
    }

    /** Size and limits of the block device; the map itself comes built. */
    public static final class Builder {
        private final MultipathDevice map;
        private int blockSize = 512;
        private long blockCount = -1;
        private boolean unmapSupported;
        private int maxOutstanding = DEFAULT_MAX_OUTSTANDING;

        private Builder(MultipathDevice map) {
            this.map = map;
        }

        /** Logical block size; the count follows from the map's length (512-byte sectors). */
        public Builder blockSize(int blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        /** The LU's capacity as READ CAPACITY(16) reported it; it must cover the map's length exactly. */
        public Builder capacity(ReadCapacity rc) {
            this.blockSize = Math.toIntExact(rc.blockLength());
            this.blockCount = rc.blockCount();
            this.unmapSupported = rc.lbpme();
            return this;
        }

        public Builder unmapSupported(boolean on) {
            this.unmapSupported = on;
            return this;
        }

        /** Requests admitted at once (in flight plus held); {@value #DEFAULT_MAX_OUTSTANDING} by default. */
        public Builder maxOutstanding(int n) {
            if (n < 2) throw new IllegalArgumentException("maxOutstanding: " + n + " (expected: >= 2)");
            this.maxOutstanding = n;
            return this;
        }

        public MultipathBlockDevice build() {
            if (blockSize < 512 || Integer.bitCount(blockSize) != 1)
                throw new IllegalArgumentException("block size: " + blockSize + " (expected: a power of 2, >= 512)");
            long sectorsPerBlock = blockSize / 512;
            if (blockCount < 0) {
                if (map.length() % sectorsPerBlock != 0)
                    throw new IllegalArgumentException("map length: " + map.length()
                            + " sectors (expected: whole blocks of " + blockSize + " bytes)");
                blockCount = map.length() / sectorsPerBlock;
            } else if (blockCount * sectorsPerBlock != map.length()) {
                throw new IllegalArgumentException("capacity: " + blockCount + " blocks of " + blockSize
                        + " bytes (expected: the map's length, " + map.length() + " sectors)");
            }
            return new MultipathBlockDevice(this);
        }
    }
}
