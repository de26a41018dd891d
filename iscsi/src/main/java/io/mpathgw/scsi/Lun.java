package io.mpathgw.scsi;

/**
 * An 8-byte LUN as it travels in REPORT LUNS data and in the iSCSI LUN field (SAM-5, LUN structures). Only
 * single-level LUNs are decoded to a number: peripheral device addressing (method 00b, bus 0) for 0..255 and flat
 * space addressing (method 01b) for 0..16383 — the two that arrays and Linux use.
 *
 * @param raw the 8 bytes, big-endian
 */
public record Lun(long raw) {

    public static final int PERIPHERAL = 0;
    public static final int FLAT = 1;
    public static final int LOGICAL_UNIT = 2;
    public static final int EXTENDED = 3;

    /**
     * Encodes a LUN number as targets report it: peripheral device addressing below 256 (the way LUN 0..255 is
     * written by tgt and LIO), flat space addressing up to 16383.
     */
    public static Lun of(int number) {
        Wire.range("lun", number, 0, 0x3FFF);
        long first = number < 256 ? number : 0x4000L | number;
        return new Lun(first << 48);
    }

    public static Lun fromBytes(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (b[at + i] & 0xFF);
        return new Lun(v);
    }

    /** ADDRESS METHOD of the first level (byte 0 bits 7..6). */
    public int addressMethod() {
        return (int) (raw >>> 62);
    }

    /** Whether only the first level is used (bytes 2..7 zero). */
    public boolean singleLevel() {
        return (raw & 0x0000_FFFF_FFFF_FFFFL) == 0;
    }

    /** Whether {@link #number()} can decode this LUN. */
    public boolean decodable() {
        if (!singleLevel()) return false;
        int method = addressMethod();
        return method == FLAT || method == PERIPHERAL && ((raw >>> 56) & 0x3F) == 0;
    }

    /** The LUN number of a single-level peripheral (bus 0) or flat space LUN. */
    public int number() {
        if (!decodable())
            throw new IllegalStateException(String.format("lun: 0x%016x (expected: single-level peripheral bus 0"
                    + " or flat space addressing)", raw));
        return (int) (raw >>> 48) & 0x3FFF;
    }

    /**
     * The number Linux shows in H:C:T:L, {@code scsilun_to_int()}: the 2-byte levels swapped, address method bits
     * kept, so flat space LUN 300 is 16684 there.
     */
    public long linuxNumber() {
        long l = 0;
        for (int i = 0; i < 8; i += 2) {
            long level = (raw >>> (48 - 8 * i)) & 0xFFFF;
            l |= level << (8 * i);
        }
        return l;
    }

    public byte[] toBytes() {
        byte[] b = new byte[8];
        Wire.putLong(b, 0, raw);
        return b;
    }

    @Override
    public String toString() {
        return decodable() ? Integer.toString(number()) : String.format("0x%016x", raw);
    }
}
