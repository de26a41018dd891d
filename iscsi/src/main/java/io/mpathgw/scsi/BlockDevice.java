package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;

/**
 * A logical unit seen as numbered blocks: the seam between what stores or carries blocks (the multipath map, the
 * simulator's memory or file store) and what serves them (the iSCSI target's SBC emulation, the NBD export).
 *
 * <p>Contract:
 * <ul>
 *   <li>Every method may be called from any thread and never blocks. Each future completes exactly once, possibly
 *       before the method returns, possibly on an I/O thread of the implementation; callbacks must not block.</li>
 *   <li>A future fails with {@link BlockDeviceException} when the LU refuses or fails the request (its
 *       {@link Sense} is what a SCSI target reports: an LBA range past {@link #blockCount()} is
 *       {@link Sense#LBA_OUT_OF_RANGE}, naming lba and count); with {@link TransportException} when no path could
 *       carry it (a map without usable paths that does not queue); with {@link IllegalArgumentException} for a
 *       request that no SCSI command could express (negative lba, a buffer that is not whole blocks).</li>
 *   <li>Ownership of buffers follows Netty's rule that whoever touches a buffer last releases it:
 *       <ul>
 *         <li>{@link #write} and {@link #writeSame} <b>take ownership</b> of the buffer they are given and release
 *             it exactly once, whether the request succeeds, fails or is rejected on its arguments. A caller that
 *             still needs the bytes retains (or retained-slices) them before the call.</li>
 *         <li>A successful {@link #read} hands its buffer to the caller, <b>who owns it</b> and must release it.
 *             Do not cancel a read's future; a caller that no longer wants the data releases it on completion.</li>
 *       </ul>
 *   </li>
 *   <li>A write is complete when its future completes: the data is durable as far as the device's cache allows.
 *       {@code fua} asks for durability of this write; {@link #flush} for every write completed before it.</li>
 * </ul>
 */
public interface BlockDevice {

    /** Logical block length in bytes (READ CAPACITY LOGICAL BLOCK LENGTH), e.g. 512 or 4096. */
    int blockSize();

    /** Number of logical blocks (last LBA + 1). May grow after a capacity change. */
    long blockCount();

    /** Whether {@link #unmap} and {@link #writeSame} with {@code unmap} may deallocate (the target sets LBPU/LBPWS). */
    default boolean unmapSupported() {
        return false;
    }

    /**
     * Reads {@code blocks} blocks from {@code lba}. The buffer holds exactly {@code blocks * blockSize()} readable
     * bytes and belongs to the caller.
     */
    CompletableFuture<ByteBuf> read(long lba, int blocks);

    /**
     * Writes {@code data} (a whole number of blocks, all its readable bytes) from {@code lba}. Takes ownership of
     * {@code data}.
     *
     * @param fua force unit access: complete only once this data is on stable storage (WRITE FUA)
     */
    CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua);

    /** Makes every write completed before this call durable (SYNCHRONIZE CACHE of the whole medium). */
    CompletableFuture<Void> flush();

    /** Deallocates {@code blocks} blocks from {@code lba} (UNMAP); a device may ignore it. */
    CompletableFuture<Void> unmap(long lba, long blocks);

    /**
     * Writes {@code block} (exactly one block) to each of {@code blocks} blocks from {@code lba} (WRITE SAME(16)).
     * Takes ownership of {@code block}; {@code null} writes zeroes (NDOB). With {@code unmap} the device may
     * deallocate the blocks instead, when they then read back as the data given.
     */
    CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean unmap);
}
