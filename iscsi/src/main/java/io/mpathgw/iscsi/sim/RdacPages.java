package io.mpathgw.iscsi.sim;

import java.nio.charset.StandardCharsets;

/**
 * The vendor pages of an RDAC array, byte for byte where scsi_dh_rdac, multipath-tools' rdac checker and its rdac
 * prioritizer read them (spec §6.2, §7.1, §7.2; the kernel's struct c2/c4/c8/c9_inquiry), and the redundant
 * controller mode page 0x2C.
 */
final class RdacPages {

    static final int MODE_PAGE = 0x2C;
    static final int LEGACY_LUNS = 32;
    static final int EXPANDED_LUNS = 256;
    /** Common block of page 0x2C: controller serial[16], alternate serial[16], rdac_mode[2], alt_rdac_mode[2], timeout, options. */
    static final int COMMON = 38;
    /** Page length of the legacy page (common, LUN table[32], 34 reserved) and of the expanded subpage 01h. */
    static final int LEGACY_PAGE_LENGTH = 0x68;
    static final int EXPANDED_PAGE_LENGTH = 0x128;
    /** rdac_mode[1] of a MODE SELECT that moves the LUNs marked in the table to the receiving controller. */
    static final int TRANSFER_SPECIFIED_LUNS = 0x02;
    /** A LUN table entry: move this LUN (MODE SELECT), or owned through this controller (MODE SENSE). */
    static final int LUN_MARKED = 0x81;

    private RdacPages() {
    }

    /** 0xC0 "hwr4", hardware: identification only. */
    static byte[] c0() {
        return page(0xC0, 64, "hwr4");
    }

    /** 0xC2 "swr4", software: byte 15 max_lun_supported (32 or more: the expanded page and MODE SELECT(10)). */
    static byte[] c2(int maxLunSupported) {
        byte[] b = page(0xC2, 255, "swr4");
        b[8] = 0x07;                      // sw_version 07.xx
        b[15] = (byte) maxLunSupported;
        return b;
    }

    /** 0xC4 "subs", subsystem: slot id byte 29 is '1' on controller A (index 0), '2' on B… */
    static byte[] c4(String subsystemId, int controller) {
        byte[] b = page(0xC4, 32, "subs");
        put(b, 8, pad(subsystemId, 16));
        put(b, 24, "0880");
        b[28] = '0';
        b[29] = (byte) ('1' + controller);
        return b;
    }

    /**
     * 0xC8 "edid", extended device identification: volume id (len 11, 12..27), volume label (len 28, 29..88),
     * array unique id (len 89, 90..105), array label in UTF-16BE (len 106, 107..166), LUN (167..174; byte 174 is
     * the index of the LUN table).
     */
    static byte[] c8(byte[] volumeId, String volumeLabel, byte[] arrayId, String arrayLabel, int lun) {
        byte[] b = page(0xC8, 175, "edid");
        b[11] = (byte) Math.min(16, volumeId.length);
        System.arraycopy(volumeId, 0, b, 12, b[11]);
        byte[] vl = volumeLabel.getBytes(StandardCharsets.US_ASCII);
        b[28] = (byte) Math.min(60, vl.length);
        System.arraycopy(vl, 0, b, 29, b[28]);
        b[89] = (byte) Math.min(16, arrayId.length);
        System.arraycopy(arrayId, 0, b, 90, b[89]);
        int n = Math.min(30, arrayLabel.length());
        b[106] = (byte) (2 * n);
        for (int i = 0; i < n; i++) b[107 + 2 * i + 1] = (byte) arrayLabel.charAt(i);
        b[174] = (byte) lun;
        return b;
    }

    /** 0xC9 "vace", volume access control: byte 8 mode bits and CVP (owned here), byte 9 bit 0 preferred path. */
    static byte[] c9(RdacMode mode, boolean owned, boolean preferred) {
        byte[] b = page(0xC9, 48, "vace");
        b[8] = (byte) (mode.bits() | (owned ? 0x01 : 0));
        b[9] = (byte) (preferred ? 0x01 : 0);
        return b;
    }

    /**
     * Page 0x2C as MODE SENSE returns it (PS 0): the common block with both controllers' serials and the LUN table
     * with {@link #LUN_MARKED} for every LUN this controller owns. Legacy (32 LUNs) or subpage 01h (256).
     */
    static byte[] modePage(boolean expanded, String serial, String alternateSerial, boolean[] ownedHere) {
        int luns = expanded ? EXPANDED_LUNS : LEGACY_LUNS;
        int length = expanded ? EXPANDED_PAGE_LENGTH : LEGACY_PAGE_LENGTH;
        int header = expanded ? 4 : 2;
        byte[] p = new byte[header + length];
        if (expanded) {
            p[0] = (byte) (0x40 | MODE_PAGE);
            p[1] = 0x01;
            p[2] = (byte) (length >> 8);
            p[3] = (byte) length;
        } else {
            p[0] = MODE_PAGE;
            p[1] = (byte) length;
        }
        put(p, header, pad(serial, 16));
        put(p, header + 16, pad(alternateSerial, 16));
        p[header + 33] = 0x01;          // rdac_mode: this controller active
        p[header + 35] = 0x01;          // alt_rdac_mode: the alternate active
        p[header + 36] = 20;            // quiescence timeout, seconds
        for (int i = 0; i < Math.min(luns, ownedHere.length); i++)
            if (ownedHere[i]) p[header + COMMON + i] = (byte) LUN_MARKED;
        return p;
    }

    private static byte[] page(int code, int size, String id) {
        byte[] b = new byte[size];
        b[1] = (byte) code;
        b[2] = (byte) ((size - 4) >> 8);
        b[3] = (byte) (size - 4);
        put(b, 4, id);
        return b;
    }

    static String pad(String s, int n) {
        return s.length() >= n ? s.substring(0, n) : s + " ".repeat(n - s.length());
    }

    private static void put(byte[] b, int at, String s) {
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, at, t.length);
    }
}
