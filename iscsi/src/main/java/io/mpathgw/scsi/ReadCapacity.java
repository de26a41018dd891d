package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

/**
 * READ CAPACITY(10) or (16) parameter data (SBC-3, READ CAPACITY (10) and (16) parameter data).
 *
 * @param lastLba              RETURNED LOGICAL BLOCK ADDRESS: the last LBA, not the count
 * @param blockLength          LOGICAL BLOCK LENGTH IN BYTES
 * @param protectionType       0 without PROT_EN, else P_TYPE + 1 (type 1..3); READ CAPACITY(10) reports 0
 * @param physicalBlockExponent LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (4 for 512e disks)
 * @param lbpme                LBPME: logical block provisioning management enabled (thin, UNMAP honoured)
 * @param lbprz                LBPRZ: unmapped blocks read as zeroes
 * @param lowestAlignedLba     LOWEST ALIGNED LOGICAL BLOCK ADDRESS
 */
public record ReadCapacity(long lastLba, long blockLength, int protectionType, int physicalBlockExponent,
                           boolean lbpme, boolean lbprz, int lowestAlignedLba) {

    /** RETURNED LOGICAL BLOCK ADDRESS of READ CAPACITY(10) for a medium too large for it: send READ CAPACITY(16). */
    public static final long RC10_OVERFLOW = 0xFFFF_FFFFL;
    public static final int LENGTH_10 = 8;
    /** READ CAPACITY(16) returns 32 bytes; devices of SBC-2 times filled only the first 12. */
    public static final int LENGTH_16 = 32;

    public ReadCapacity {
        Wire.range("last lba", lastLba, 0, Long.MAX_VALUE - 1);
        Wire.range("block length", blockLength, 1, 0xFFFF_FFFFL);
    }

    /** A plain capacity as READ CAPACITY(10) would report it. */
    public static ReadCapacity of(long blockCount, int blockLength) {
        return new ReadCapacity(blockCount - 1, blockLength, 0, 0, false, false, 0);
    }

    public long blockCount() {
        return lastLba + 1;
    }

    public long sizeBytes() {
        return blockCount() * blockLength;
    }

    /** READ CAPACITY(10) saturated: the capacity needs READ CAPACITY(16). */
    public boolean needs16() {
        return lastLba >= RC10_OVERFLOW;
    }

    /** Parses READ CAPACITY(10) data from the reader index, without moving indexes. */
    public static ReadCapacity parse10(ByteBuf buf) {
        Wire.need(buf, LENGTH_10, "READ CAPACITY(10) parameter data");
        int at = buf.readerIndex();
        return new ReadCapacity(buf.getUnsignedInt(at), blockLength(buf, at + 4), 0, 0, false, false, 0);
    }

    /** Parses READ CAPACITY(16) data; the fields after byte 11 are read when they arrived. */
    public static ReadCapacity parse16(ByteBuf buf) {
        Wire.need(buf, 12, "READ CAPACITY(16) parameter data");
        int at = buf.readerIndex();
        long last = buf.getLong(at);
        if (last < 0)
            throw new ScsiDataException("READ CAPACITY(16) returned logical block address: "
                    + Long.toUnsignedString(last) + " (expected: < 2^63)");
        boolean more = buf.readableBytes() >= 16;
        int b12 = more ? buf.getUnsignedByte(at + 12) : 0;
        int b13 = more ? buf.getUnsignedByte(at + 13) : 0;
        int b14 = more ? buf.getUnsignedByte(at + 14) : 0;
        int protection = (b12 & 0x01) != 0 ? ((b12 >> 1) & 0x07) + 1 : 0;
        return new ReadCapacity(last, blockLength(buf, at + 8), protection, b13 & 0x0F, (b14 & 0x80) != 0,
                (b14 & 0x40) != 0, more ? ((b14 & 0x3F) << 8 | buf.getUnsignedByte(at + 15)) : 0);
    }

    public static ReadCapacity parse10(byte[] data) {
        return parse10(Wire.wrap(data));
    }

    public static ReadCapacity parse16(byte[] data) {
        return parse16(Wire.wrap(data));
    }

    private static long blockLength(ByteBuf buf, int index) {
        long length = buf.getUnsignedInt(index);
        if (length == 0)
            throw new ScsiDataException("READ CAPACITY logical block length: 0 (expected: > 0)");
        return length;
    }

    /** Encodes READ CAPACITY(10) data; the last LBA saturates at 0xFFFFFFFF as SBC-3 requires. */
    public byte[] toBytes10() {
        byte[] b = new byte[LENGTH_10];
        Wire.putInt(b, 0, Math.min(lastLba, RC10_OVERFLOW));
        Wire.putInt(b, 4, blockLength);
        return b;
    }

    /** Encodes the 32 bytes of READ CAPACITY(16) data. */
    public byte[] toBytes16() {
        byte[] b = new byte[LENGTH_16];
        Wire.putLong(b, 0, lastLba);
        Wire.putInt(b, 8, blockLength);
        b[12] = (byte) (protectionType == 0 ? 0 : (protectionType - 1) << 1 | 0x01);
        b[13] = (byte) physicalBlockExponent;
        b[14] = (byte) ((lbpme ? 0x80 : 0) | (lbprz ? 0x40 : 0) | (lowestAlignedLba >> 8) & 0x3F);
        b[15] = (byte) lowestAlignedLba;
        return b;
    }
}
