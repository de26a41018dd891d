package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link BlockDevice} in direct memory, for the simulator and tests. Storage is sparse: it is cut into chunks of
 * about 1 MiB, allocated on first write; a chunk never written reads as zeroes, and unmapping a whole chunk frees
 * it, so unmapped blocks read as zeroes (LBPRZ). Requests are bounds-checked before anything is touched.
 *
 * <p>Every request runs under one lock, so each is atomic with respect to the others, and completes before its
 * method returns. {@link #close()} frees the memory; requests after it fail.
 */
public final class MemoryBlockDevice implements BlockDevice, AutoCloseable {

    private static final int CHUNK_BYTES = 1 << 20;

    private final int blockSize;
    private final long blockCount;
    private final int chunkBlocks;
    private final ByteBufAllocator allocator;
    private final ByteBuf[] chunks;
    private boolean closed;

    /** A device on Netty's pooled direct allocator. */
    public MemoryBlockDevice(int blockSize, long blockCount) {
        this(blockSize, blockCount, PooledByteBufAllocator.DEFAULT);
    }

    public MemoryBlockDevice(int blockSize, long blockCount, ByteBufAllocator allocator) {
        if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1)
            throw new IllegalArgumentException("block size: " + blockSize + " (expected: a power of 2, 512..65536)");
        this.chunkBlocks = Math.max(1, CHUNK_BYTES / blockSize);
        Wire.range("block count", blockCount, 1, (long) Integer.MAX_VALUE * chunkBlocks);
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.allocator = allocator;
        this.chunks = new ByteBuf[(int) ((blockCount + chunkBlocks - 1) / chunkBlocks)];
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
        return true;
    }

    /** Bytes of chunk memory currently allocated (for tests and the simulator's status). */
    public synchronized long allocatedBytes() {
        long n = 0;
        for (ByteBuf c : chunks)
            if (c != null) n += c.capacity();
        return n;
    }

    @Override
    public synchronized CompletableFuture<ByteBuf> read(long lba, int blocks) {
        Throwable bad = check(lba, blocks);
        if (bad == null && (long) blocks * blockSize > Integer.MAX_VALUE)
            bad = new IllegalArgumentException("blocks: " + blocks + " (expected: <= "
                    + Integer.MAX_VALUE / blockSize + " per read)");
        if (bad != null) return CompletableFuture.failedFuture(bad);
        if (blocks == 0) return CompletableFuture.completedFuture(Unpooled.EMPTY_BUFFER);
        ByteBuf out = allocator.directBuffer(blocks * blockSize);
        forEachChunk(lba, blocks, (chunk, offset, length) -> {
            if (chunk == null) out.writeZero(length);
            else out.writeBytes(chunk, offset, length);
        }, false);
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
        try {
            int length = data.readableBytes();
            if (length % blockSize != 0)
                return CompletableFuture.failedFuture(new IllegalArgumentException("data: " + length
                        + " bytes (expected: a multiple of the block size " + blockSize + ")"));
            long blocks = length / blockSize;
            Throwable bad = check(lba, blocks);
            if (bad != null) return CompletableFuture.failedFuture(bad);
            int[] from = {data.readerIndex()};
            forEachChunk(lba, blocks, (chunk, offset, n) -> {
                chunk.setBytes(offset, data, from[0], n);
                from[0] += n;
            }, true);
            return CompletableFuture.completedFuture(null);
        } finally {
            data.release();
        }
    }

    @Override
    public synchronized CompletableFuture<Void> flush() {
        return closed ? CompletableFuture.failedFuture(closedError()) : CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> unmap(long lba, long blocks) {
        Throwable bad = check(lba, blocks);
        if (bad != null) return CompletableFuture.failedFuture(bad);
        deallocate(lba, blocks);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap) {
        try {
            if (block != null && block.readableBytes() != blockSize)
                return CompletableFuture.failedFuture(new IllegalArgumentException("block: " + block.readableBytes()
                        + " bytes (expected: the block size " + blockSize + ")"));
            Throwable bad = check(lba, blocks);
            if (bad != null) return CompletableFuture.failedFuture(bad);
            if (block == null || isZero(block)) {
                // zeroes read back the same whether written or unmapped: unmapping saves the memory
                deallocate(lba, blocks);
            } else {
                int at = block.readerIndex();
                forEachChunk(lba, blocks, (chunk, offset, n) -> {
                    for (int i = 0; i < n; i += blockSize) chunk.setBytes(offset + i, block, at, blockSize);
                }, true);
            }
            return CompletableFuture.completedFuture(null);
        } finally {
            ReferenceCountUtil.release(block);
        }
    }

    /** Frees every chunk; later requests fail with {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        closed = true;
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] != null) chunks[i].release();
            chunks[i] = null;
        }
    }

    private Throwable check(long lba, long blocks) {
        if (closed) return closedError();
        if (lba < 0 || blocks < 0)
            return new IllegalArgumentException("lba: " + lba + ", blocks: " + blocks + " (expected: >= 0)");
        if (lba > blockCount || blocks > blockCount - lba)
            return BlockDeviceException.outOfRange(lba, blocks, blockCount);
        return null;
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("memory block device: closed (expected: open)");
    }

    private static boolean isZero(ByteBuf b) {
        for (int i = b.readerIndex(); i < b.writerIndex(); i++)
            if (b.getByte(i) != 0) return false;
        return true;
    }

    private void deallocate(long lba, long blocks) {
        forEachChunk(lba, blocks, (chunk, offset, n) -> {
            if (chunk != null) chunk.setZero(offset, n);
        }, false);
        // free the chunks the range covers entirely
        long first = (lba + chunkBlocks - 1) / chunkBlocks;
        long end = lba + blocks == blockCount ? chunks.length : (lba + blocks) / chunkBlocks;
        for (long c = first; c < end; c++) {
            if (chunks[(int) c] != null) chunks[(int) c].release();
            chunks[(int) c] = null;
        }
    }

    private interface ChunkRange {
        void accept(ByteBuf chunk, int offset, int length);
    }

    /** Calls {@code f} for each chunk piece of the range, in order; {@code allocate} creates missing chunks. */
    private void forEachChunk(long lba, long blocks, ChunkRange f, boolean allocate) {
        long block = lba;
        long end = lba + blocks;
        while (block < end) {
            int c = (int) (block / chunkBlocks);
            long inChunk = block - (long) c * chunkBlocks;
            long n = Math.min(end - block, chunkBlocks - inChunk);
            if (allocate && chunks[c] == null) chunks[c] = zeroed(chunkBytes(c));
            f.accept(chunks[c], (int) (inChunk * blockSize), (int) (n * blockSize));
            block += n;
        }
    }

    /** The last chunk is cut to the device's end. */
    private int chunkBytes(int c) {
        long blocks = Math.min(chunkBlocks, blockCount - (long) c * chunkBlocks);
        return (int) (blocks * blockSize);
    }

    private ByteBuf zeroed(int bytes) {
        ByteBuf b = allocator.directBuffer(bytes, bytes);
        b.setZero(0, bytes);
        b.writerIndex(bytes);
        return b;
    }
}
