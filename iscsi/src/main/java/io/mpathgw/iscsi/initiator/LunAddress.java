package io.mpathgw.iscsi.initiator;

/** The 8-byte LUN field of SAM-5 §4.7 for single-level LUNs: peripheral (0..255) or flat (256..16383). */
public final class LunAddress {

    private LunAddress() {
    }

    public static long encode(int lun) {
        if (lun < 0 || lun > 16383)
            throw new IllegalArgumentException("LUN: " + lun + " (expected: 0..16383)");
        if (lun < 256) return (long) lun << 48;                 // peripheral device addressing, bus 0
        return (long) (0x4000 | lun) << 48;                     // flat space addressing
    }

    public static int decode(long field) {
        int top = (int) (field >>> 48) & 0xffff;
        return switch (top >>> 14) {
            case 0 -> top & 0xff;
            case 1 -> top & 0x3fff;
            default -> throw new IllegalArgumentException(String.format(
                    "LUN field: 0x%016x (expected: peripheral or flat single-level addressing)", field));
        };
    }
}
