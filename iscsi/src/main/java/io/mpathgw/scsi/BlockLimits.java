package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

/**
 * Block Limits VPD page 0xB0 (SBC-3, Block Limits VPD page). Lengths count logical blocks; 0 means "not reported"
 * (no limit). An SBC-2 device sends the short page (PAGE LENGTH 0x0C); the fields it lacks parse as 0.
 *
 * @param wsnz                              WSNZ: WRITE SAME with NUMBER OF LOGICAL BLOCKS 0 is not supported
 * @param maximumCompareAndWriteLength      MAXIMUM COMPARE AND WRITE LENGTH (byte 5)
 * @param optimalTransferLengthGranularity  OPTIMAL TRANSFER LENGTH GRANULARITY (bytes 6..7)
 * @param maximumTransferLength             MAXIMUM TRANSFER LENGTH (bytes 8..11): the largest READ/WRITE to send
 * @param optimalTransferLength             OPTIMAL TRANSFER LENGTH (bytes 12..15)
 * @param maximumPrefetchLength             MAXIMUM PREFETCH LENGTH (bytes 16..19)
 * @param maximumUnmapLbaCount              MAXIMUM UNMAP LBA COUNT (bytes 20..23); 0xFFFFFFFF: no limit
 * @param maximumUnmapBlockDescriptorCount  MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (bytes 24..27)
 * @param optimalUnmapGranularity           OPTIMAL UNMAP GRANULARITY (bytes 28..31)
 * @param unmapGranularityAlignmentValid    UGAVALID (byte 32 bit 7)
 * @param unmapGranularityAlignment         UNMAP GRANULARITY ALIGNMENT (bytes 32..35, bit 31 excluded)
 * @param maximumWriteSameLength            MAXIMUM WRITE SAME LENGTH (bytes 36..43)
 */
public record BlockLimits(boolean wsnz, int maximumCompareAndWriteLength, int optimalTransferLengthGranularity,
                          long maximumTransferLength, long optimalTransferLength, long maximumPrefetchLength,
                          long maximumUnmapLbaCount, long maximumUnmapBlockDescriptorCount,
                          long optimalUnmapGranularity, boolean unmapGranularityAlignmentValid,
                          long unmapGranularityAlignment, long maximumWriteSameLength) {

    /** PAGE LENGTH of the full SBC-3 page. */
    public static final int PAGE_LENGTH = 0x3C;

    /** Parses page 0xB0 from the reader index, without moving indexes. */
    public static BlockLimits parse(ByteBuf buf) {
        int length = VpdPage.check(buf, VpdPage.BLOCK_LIMITS);
        int at = buf.readerIndex();
        int end = VpdPage.HEADER + length;
        int b32 = end >= 36 ? buf.getUnsignedByte(at + 32) : 0;
        return new BlockLimits(
                end >= 5 && (buf.getUnsignedByte(at + 4) & 0x01) != 0,
                end >= 6 ? buf.getUnsignedByte(at + 5) : 0,
                end >= 8 ? buf.getUnsignedShort(at + 6) : 0,
                u32(buf, at, end, 8), u32(buf, at, end, 12), u32(buf, at, end, 16), u32(buf, at, end, 20),
                u32(buf, at, end, 24), u32(buf, at, end, 28),
                (b32 & 0x80) != 0, u32(buf, at, end, 32) & 0x7FFF_FFFFL,
                end >= 44 ? buf.getLong(at + 36) : 0);
    }

    public static BlockLimits parse(byte[] data) {
        return parse(Wire.wrap(data));
    }

    private static long u32(ByteBuf buf, int at, int end, int offset) {
        return end >= offset + 4 ? buf.getUnsignedInt(at + offset) : 0;
    }

    /** Encodes the full page (PAGE LENGTH 0x3C) with {@code peripheral} in byte 0. */
    public byte[] toBytes(int peripheral) {
        byte[] p = new byte[PAGE_LENGTH];
        // offsets below are page offsets minus the 4-byte header
        p[0] = (byte) (wsnz ? 0x01 : 0);
        p[1] = (byte) maximumCompareAndWriteLength;
        Wire.putShort(p, 2, optimalTransferLengthGranularity);
        Wire.putInt(p, 4, maximumTransferLength);
        Wire.putInt(p, 8, optimalTransferLength);
        Wire.putInt(p, 12, maximumPrefetchLength);
        Wire.putInt(p, 16, maximumUnmapLbaCount);
        Wire.putInt(p, 20, maximumUnmapBlockDescriptorCount);
        Wire.putInt(p, 24, optimalUnmapGranularity);
        Wire.putInt(p, 28, unmapGranularityAlignment | (unmapGranularityAlignmentValid ? 0x8000_0000L : 0));
        Wire.putLong(p, 32, maximumWriteSameLength);
        return VpdPage.encode(peripheral, VpdPage.BLOCK_LIMITS, p);
    }
}
