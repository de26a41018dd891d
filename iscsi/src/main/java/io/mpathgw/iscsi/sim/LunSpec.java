package io.mpathgw.iscsi.sim;

import io.mpathgw.scsi.BlockDevice;

import java.util.HexFormat;

/**
 * One LUN of a simulated array, as the builder takes it. Immutable; start with {@link #of} and refine with the
 * {@code with…} methods.
 *
 * @param number        LUN number, 0..255 (RDAC's LUN table has 256 entries)
 * @param blocks        capacity in blocks at start
 * @param blockSize     logical block length, a power of 2 from 512 to 65536
 * @param maxBlocks     the most blocks a capacity change may grow the LUN to (its memory is sparse, so a large
 *                      bound costs nothing until written)
 * @param naa           the 16-byte NAA 6 designator of VPD 0x83 (the WWID is {@code 3} and its hex), or null for
 *                      the default derived from the array's name and the LUN number (stable across runs)
 * @param owner         index of the controller that owns the LUN at start (ALUA: the active/optimized group)
 * @param preferred     index of the controller the array prefers for it (ALUA PREF bit, RDAC path priority, EMC
 *                      default SP); -1: the owner
 * @param device        the store to serve instead of a fresh memory device (e.g. shared with another array), or
 *                      null; a given device cannot change capacity unless it is a {@link ResizableBlockDevice}
 */
public record LunSpec(int number, long blocks, int blockSize, long maxBlocks, byte[] naa, int owner, int preferred,
                      BlockDevice device) {

    public LunSpec {
        if (number < 0 || number > 255)
            throw new IllegalArgumentException("lun: " + number + " (expected: 0..255)");
        if (device == null && blocks < 1)
            throw new IllegalArgumentException("blocks of lun " + number + ": " + blocks + " (expected: >= 1)");
        if (device == null && maxBlocks < blocks)
            throw new IllegalArgumentException("maxBlocks of lun " + number + ": " + maxBlocks + " (expected: >= "
                    + blocks + ", the starting capacity)");
        if (naa != null && (naa.length != 16 || (naa[0] & 0xF0) != 0x60))
            throw new IllegalArgumentException("naa of lun " + number + ": " + HexFormat.of().formatHex(naa)
                    + " (expected: 16 bytes of NAA 6)");
        if (owner < 0) throw new IllegalArgumentException("owner of lun " + number + ": " + owner + " (expected: >= 0)");
        naa = naa == null ? null : naa.clone();
    }

    /** LUN {@code number} of {@code bytes} (rounded down to 512-byte blocks), owned by controller 0, may grow 4×. */
    public static LunSpec of(int number, long bytes) {
        long blocks = bytes / 512;
        return new LunSpec(number, blocks, 512, blocks * 4, null, 0, -1, null);
    }

    /** LUN {@code number} served from {@code device} as it is (its block size and capacity). */
    public static LunSpec of(int number, BlockDevice device) {
        return new LunSpec(number, device.blockCount(), device.blockSize(), device.blockCount(), null, 0, -1, device);
    }

    public LunSpec withBlockSize(int size) {
        long bytes = blocks * blockSize;
        return new LunSpec(number, bytes / size, size, maxBlocks * blockSize / size, naa, owner, preferred, device);
    }

    public LunSpec withMaxBlocks(long v) {
        return new LunSpec(number, blocks, blockSize, v, naa, owner, preferred, device);
    }

    /** The NAA 6 designator as 32 hex digits, e.g. {@code 600a0b80001234560000abcd00000001}. */
    public LunSpec withNaa(String hex) {
        return new LunSpec(number, blocks, blockSize, maxBlocks, HexFormat.of().parseHex(hex), owner, preferred,
                device);
    }

    public LunSpec withOwner(int controller) {
        return new LunSpec(number, blocks, blockSize, maxBlocks, naa, controller, preferred, device);
    }

    public LunSpec withPreferred(int controller) {
        return new LunSpec(number, blocks, blockSize, maxBlocks, naa, owner, controller, device);
    }

    /** The preferred controller: {@link #preferred} or, when not set, the owner. */
    public int preferredController() {
        return preferred >= 0 ? preferred : owner;
    }

    @Override
    public byte[] naa() {
        return naa == null ? null : naa.clone();
    }
}
