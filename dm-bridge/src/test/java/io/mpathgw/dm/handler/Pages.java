package io.mpathgw.dm.handler;

import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.TargetPortGroups;
import io.mpathgw.scsi.Vpd83;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Device answers for handler tests, built with the scsi package's encoders where it has one (standard INQUIRY,
 * VPD 0x83, RTPG), and byte by byte after spec §6.2/§6.3 for the vendor pages (RDAC 0xC2/0xC4/0xC8/0xC9, EMC 0xC0,
 * the CLARiiON long INQUIRY). Values differ from every default so that a match proves something.
 */
public final class Pages {

    /** NAA IEEE Registered Extended designator of the test LUN. */
    public static final String NAA = "600140590a1b2c3d4e5f60718293a4b5";
    /** Supported states T, U, S, N, A (0x8F): what most arrays report. */
    public static final int SUPPORTS_TUSNA = 0x8F;

    private Pages() {
    }

    public static byte[] inquiry(int tpgs) {
        return inquiry(InquiryData.TYPE_DISK, tpgs, "MPATHGW", "SIMULATED ALUA");
    }

    public static byte[] inquiry(int type, int tpgs, String vendor, String product) {
        return new InquiryData(0, type, false, 6, 2, true, tpgs, false, false, false, true, true, vendor, product,
                "0420").toBytes();
    }

    /** VPD 0x83 with the LUN's NAA, and a target port group / relative target port designator unless negative. */
    public static byte[] vpd83(String naaHex, int targetPortGroup, int relativeTargetPort) {
        List<Vpd83.Designator> d = new ArrayList<>();
        if (naaHex != null)
            d.add(new Vpd83.Designator(0, Vpd83.CODE_SET_BINARY, false, Vpd83.ASSOCIATION_LU, Vpd83.TYPE_NAA,
                    HexFormat.of().parseHex(naaHex)));
        if (relativeTargetPort >= 0)
            d.add(new Vpd83.Designator(Vpd83.PROTOCOL_ISCSI, Vpd83.CODE_SET_BINARY, true,
                    Vpd83.ASSOCIATION_TARGET_PORT, Vpd83.TYPE_RELATIVE_TARGET_PORT, id16(relativeTargetPort)));
        if (targetPortGroup >= 0)
            d.add(new Vpd83.Designator(Vpd83.PROTOCOL_ISCSI, Vpd83.CODE_SET_BINARY, true,
                    Vpd83.ASSOCIATION_TARGET_PORT, Vpd83.TYPE_TARGET_PORT_GROUP, id16(targetPortGroup)));
        return new Vpd83(0, d).toBytes();
    }

    private static byte[] id16(int v) {
        return new byte[]{0, 0, (byte) (v >> 8), (byte) v};
    }

    public static TargetPortGroups.PortGroup group(int id, AluaState state, boolean pref, int supported,
                                                   Integer... ports) {
        return new TargetPortGroups.PortGroup(id, state.code(), pref, supported, 0, 0, List.of(ports));
    }

    public static byte[] rtpg(boolean extendedHeader, int transitionSeconds, TargetPortGroups.PortGroup... groups) {
        return new TargetPortGroups(extendedHeader, transitionSeconds, List.of(groups)).toBytes();
    }

    // --- RDAC vendor pages (spec §6.2)

    public static byte[] rdacC8(int lun, String arrayIdHex, String arrayLabel) {
        byte[] b = page(0xC8, 175, "edid");
        byte[] id = HexFormat.of().parseHex(arrayIdHex);
        b[89] = (byte) id.length;
        System.arraycopy(id, 0, b, 90, id.length);
        b[106] = (byte) (2 * arrayLabel.length());
        for (int i = 0; i < arrayLabel.length(); i++) b[107 + 2 * i + 1] = (byte) arrayLabel.charAt(i);  // UTF-16BE
        b[174] = (byte) lun;
        return b;
    }

    /** Controller slot: '1' in byte 29 is controller 0 (A). */
    public static byte[] rdacC4(char slot) {
        byte[] b = page(0xC4, 32, "subs");
        put(b, 8, "SUBSYS-4711     ");
        put(b, 24, "0899");
        b[28] = '0';
        b[29] = (byte) slot;
        return b;
    }

    public static final int AVT = 0x80;
    public static final int IOSHIP = 0x20;
    public static final int CVP_OWNED = 0x01;

    public static byte[] rdacC9(int avtCvp, boolean preferred) {
        byte[] b = page(0xC9, 48, "vace");
        b[8] = (byte) avtCvp;
        b[9] = (byte) (preferred ? 1 : 0);
        return b;
    }

    public static byte[] rdacC2(int maxLunSupported) {
        byte[] b = page(0xC2, 255, "swr4");
        b[8] = 7;
        b[15] = (byte) maxLunSupported;
        return b;
    }

    // --- EMC (spec §6.3)

    /** A CLARiiON standard INQUIRY long enough for the SP model: serial at 161, model after it. */
    public static byte[] emcInquiry(String serial, String model) {
        byte[] b = new byte[161 + serial.length() + model.length() + 3];
        System.arraycopy(inquiry(InquiryData.TYPE_DISK, 0, "DGC", "RAID 10"), 0, b, 0, 36);
        b[4] = (byte) (b.length - 5);
        b[99] = (byte) (model.length() + 3);            // the model field is blank-padded
        b[160] = (byte) serial.length();
        put(b, 161, serial);
        put(b, 161 + serial.length(), model + "   ");
        return b;
    }

    /** A 36-byte INQUIRY: too short for the model; a DGC one is an old FC array. */
    public static byte[] shortInquiry(String vendor) {
        return inquiry(InquiryData.TYPE_DISK, 0, vendor, "RAID 5");
    }

    public static final int LUN_BOUND = 1;
    public static final int LUN_OWNED = 2;

    /** VPD 0xC0: LUN state (byte 4), default SP (5), port (7), current SP (8), failover mode (28), NDU (48). */
    public static byte[] emcC0(int lunState, int defaultSp, int currentSp, int failoverMode, boolean ndu) {
        byte[] b = new byte[252];
        b[1] = (byte) 0xC0;
        b[3] = (byte) (252 - 4);
        b[4] = (byte) lunState;
        b[5] = (byte) defaultSp;
        b[7] = 3;
        b[8] = (byte) currentSp;
        b[28] = (byte) (0x10 | failoverMode);
        b[48] = (byte) (ndu ? 1 : 0);
        return b;
    }

    private static byte[] page(int code, int size, String id) {
        byte[] b = new byte[size];
        b[1] = (byte) code;
        b[2] = (byte) ((size - 4) >> 8);
        b[3] = (byte) (size - 4);
        put(b, 4, id);
        return b;
    }

    private static void put(byte[] b, int at, String s) {
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, at, t.length);
    }
}
