package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

/**
 * Logical Block Provisioning VPD page 0xB2 (SBC-3, Logical Block Provisioning VPD page): which unmap commands the LU
 * takes and how it is provisioned.
 *
 * @param thresholdExponent THRESHOLD EXPONENT (byte 4)
 * @param lbpu              LBPU (byte 5 bit 7): UNMAP is supported
 * @param lbpws             LBPWS (bit 6): WRITE SAME(16) with UNMAP is supported
 * @param lbpws10           LBPWS10 (bit 5): WRITE SAME(10) with UNMAP is supported
 * @param lbprz             LBPRZ (bits 4..2; SBC-3 had bit 2 only): non-zero when unmapped blocks read as zeroes
 * @param ancSup            ANC_SUP (bit 1): ANCHOR is supported
 * @param dp                DP (bit 0): a provisioning group descriptor follows (not parsed)
 * @param provisioningType  PROVISIONING TYPE (byte 6 bits 2..0): {@link #FULL}, {@link #RESOURCE}, {@link #THIN}
 */
public record LogicalBlockProvisioning(int thresholdExponent, boolean lbpu, boolean lbpws, boolean lbpws10,
                                       int lbprz, boolean ancSup, boolean dp, int provisioningType) {

    /** Fully provisioned, or not reported (SBC-3: 000b). */
    public static final int FULL = 0;
    public static final int RESOURCE = 1;
    public static final int THIN = 2;

    /** Parses page 0xB2 from the reader index, without moving indexes. */
    public static LogicalBlockProvisioning parse(ByteBuf buf) {
        int length = VpdPage.check(buf, VpdPage.LOGICAL_BLOCK_PROVISIONING);
        if (length < 4)
            throw new ScsiDataException("VPD page 0xb2 page length: " + length + " (expected: >= 4)");
        int at = buf.readerIndex();
        int b5 = buf.getUnsignedByte(at + 5);
        return new LogicalBlockProvisioning(buf.getUnsignedByte(at + 4), (b5 & 0x80) != 0, (b5 & 0x40) != 0,
                (b5 & 0x20) != 0, (b5 >> 2) & 0x07, (b5 & 0x02) != 0, (b5 & 0x01) != 0,
                buf.getUnsignedByte(at + 6) & 0x07);
    }

    public static LogicalBlockProvisioning parse(byte[] data) {
        return parse(Wire.wrap(data));
    }

    /** Whether the LU can deallocate blocks at all (UNMAP or WRITE SAME with UNMAP). */
    public boolean canUnmap() {
        return lbpu || lbpws || lbpws10;
    }

    /** Encodes the page (PAGE LENGTH 4, no provisioning group descriptor). */
    public byte[] toBytes(int peripheral) {
        byte[] p = new byte[4];
        p[0] = (byte) thresholdExponent;
        p[1] = (byte) ((lbpu ? 0x80 : 0) | (lbpws ? 0x40 : 0) | (lbpws10 ? 0x20 : 0) | (lbprz & 0x07) << 2
                | (ancSup ? 0x02 : 0));
        p[2] = (byte) provisioningType;
        return VpdPage.encode(peripheral, VpdPage.LOGICAL_BLOCK_PROVISIONING, p);
    }
}
