package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.BlockLimits;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.LogicalBlockProvisioning;
import io.mpathgw.scsi.Vpd83;
import io.mpathgw.scsi.VpdPage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * INQUIRY (SPC-4 §6.6): standard data and the VPD pages of an SBC-3 disk. The fixed parts are encoded once; the
 * parts that depend on the I_T nexus (the target port designators of page 0x83) are added per command. The whole
 * page is returned; the target trims it to the allocation length.
 */
final class Inquiry {

    /** Version descriptors (SPC-4 Table 142): SAM-5, iSCSI, SPC-4, SBC-3 — libiscsi's sbc3_support reads SBC-3. */
    private static final int[] VERSION_DESCRIPTORS = {0x00A0, 0x0960, 0x0460, 0x04C0};
    /** Standard data length: 36 bytes, vendor specific 36..55, 56..57, eight version descriptors to byte 73, padding. */
    static final int STANDARD_LENGTH = 96;
    private static final int PERIPHERAL = 0x00;     // connected, direct access block device

    private final Settings settings;
    private final byte[] standard;
    private final List<Vpd83.Designator> luDesignators;

    Inquiry(Settings settings) {
        this.settings = settings;
        this.standard = standard(settings);
        this.luDesignators = luDesignators(settings);
    }

    /** INQUIRY: checks the CDB and answers the standard data or a VPD page. */
    byte[] answer(Exchange x, long blockCount) {
        boolean evpd = (x.u8(1) & 0x01) != 0;
        int page = x.u8(2);
        if (!evpd) {
            if (page != 0) throw CheckCondition.invalidField(2, -1);   // SPC-4: PAGE CODE with EVPD 0
            return standard.clone();
        }
        return vpd(page, x.nexus(), blockCount);
    }

    private byte[] vpd(int page, Nexus nexus, long blockCount) {
        Function<Nexus, byte[]> vendor = settings.vendorPages().get(page);
        if (vendor != null) return vendor.apply(nexus);
        return switch (page) {
            case VpdPage.SUPPORTED_PAGES -> VpdPage.encode(PERIPHERAL, page, supportedPages());
            case VpdPage.UNIT_SERIAL_NUMBER -> VpdPage.encode(PERIPHERAL, page,
                    settings.serial().getBytes(StandardCharsets.US_ASCII));
            case VpdPage.DEVICE_IDENTIFICATION -> deviceIdentification(nexus).toBytes();
            case VpdPage.BLOCK_LIMITS -> blockLimits(blockCount).toBytes(PERIPHERAL);
            case VpdPage.BLOCK_DEVICE_CHARACTERISTICS -> VpdPage.encode(PERIPHERAL, page, characteristics());
            case VpdPage.LOGICAL_BLOCK_PROVISIONING -> provisioning().toBytes(PERIPHERAL);
            default -> throw CheckCondition.invalidField(2, -1);
        };
    }

    private byte[] supportedPages() {
        TreeSet<Integer> pages = new TreeSet<>(List.of(VpdPage.SUPPORTED_PAGES, VpdPage.UNIT_SERIAL_NUMBER,
                VpdPage.DEVICE_IDENTIFICATION, VpdPage.BLOCK_LIMITS, VpdPage.BLOCK_DEVICE_CHARACTERISTICS,
                VpdPage.LOGICAL_BLOCK_PROVISIONING));
        pages.addAll(settings.vendorPages().keySet());
        byte[] b = new byte[pages.size()];
        int i = 0;
        for (int p : pages) b[i++] = (byte) p;
        return b;
    }

    /**
     * Page 0x83: the LU's NAA (and T10 vendor ID), then the port the command came in through — relative target port
     * and target port group (scsi_dh_alua reads both), and the SCSI names of that port and of the target when the
     * target's iSCSI name is known.
     */
    Vpd83 deviceIdentification(Nexus n) {
        List<Vpd83.Designator> d = new ArrayList<>(luDesignators);
        d.add(new Vpd83.Designator(Vpd83.PROTOCOL_ISCSI, Vpd83.CODE_SET_BINARY, true, Vpd83.ASSOCIATION_TARGET_PORT,
                Vpd83.TYPE_RELATIVE_TARGET_PORT, id16(n.relativeTargetPort())));
        d.add(new Vpd83.Designator(Vpd83.PROTOCOL_ISCSI, Vpd83.CODE_SET_BINARY, true, Vpd83.ASSOCIATION_TARGET_PORT,
                Vpd83.TYPE_TARGET_PORT_GROUP, id16(n.targetPortGroup())));
        String port = settings.portName(n);
        if (port != null)
            d.add(new Vpd83.Designator(Vpd83.PROTOCOL_ISCSI, Vpd83.CODE_SET_UTF8, true,
                    Vpd83.ASSOCIATION_TARGET_PORT, Vpd83.TYPE_SCSI_NAME_STRING, scsiName(port)));
        if (settings.targetName() != null)
            d.add(new Vpd83.Designator(Vpd83.PROTOCOL_ISCSI, Vpd83.CODE_SET_UTF8, true,
                    Vpd83.ASSOCIATION_TARGET_DEVICE, Vpd83.TYPE_SCSI_NAME_STRING, scsiName(settings.targetName())));
        return new Vpd83(PERIPHERAL, d);
    }

    BlockLimits blockLimits(long blockCount) {
        Settings s = settings;
        return new BlockLimits(false, s.maximumCompareAndWriteLength(), s.optimalTransferLengthGranularity(),
                s.maximumTransferLength(), s.optimalTransferLength(), s.maximumTransferLength(),
                s.thin() ? s.maximumUnmapLbaCount() : 0, s.thin() ? s.maximumUnmapDescriptors() : 0,
                s.thin() ? 1L << s.physicalBlockExponent() : 0, false, 0, s.maximumWriteSameLength());
    }

    LogicalBlockProvisioning provisioning() {
        boolean t = settings.thin();
        return new LogicalBlockProvisioning(0, t, t, t, t && settings.lbprz() ? 1 : 0, false, false,
                t ? LogicalBlockProvisioning.THIN : LogicalBlockProvisioning.FULL);
    }

    /** Block Device Characteristics (SBC-3 §6.5.2): MEDIUM ROTATION RATE, the rest 0 (PAGE LENGTH 3Ch). */
    private byte[] characteristics() {
        byte[] p = new byte[0x3C];
        p[0] = (byte) (settings.rotationRate() >> 8);
        p[1] = (byte) settings.rotationRate();
        return p;
    }

    private static byte[] standard(Settings s) {
        byte[] head = new InquiryData(InquiryData.QUALIFIER_CONNECTED, InquiryData.TYPE_DISK, s.removable(), 0x06,
                2, true, s.tpgs(), false, false, false, true, true, s.vendor(), s.product(), s.revision()).toBytes();
        byte[] b = Arrays.copyOf(head, STANDARD_LENGTH);
        b[4] = (byte) (STANDARD_LENGTH - 5);
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            b[58 + 2 * i] = (byte) (VERSION_DESCRIPTORS[i] >> 8);
            b[59 + 2 * i] = (byte) VERSION_DESCRIPTORS[i];
        }
        return b;
    }

    private static List<Vpd83.Designator> luDesignators(Settings s) {
        // T10 VENDOR IDENTIFICATION then the unit serial number (SPC-4 §7.8.6.4)
        byte[] t10 = (pad(s.vendor(), 8) + s.serial()).getBytes(StandardCharsets.US_ASCII);
        return List.of(
                new Vpd83.Designator(0, Vpd83.CODE_SET_BINARY, false, Vpd83.ASSOCIATION_LU, Vpd83.TYPE_NAA, s.naa()),
                new Vpd83.Designator(0, Vpd83.CODE_SET_ASCII, false, Vpd83.ASSOCIATION_LU, Vpd83.TYPE_T10_VENDOR_ID,
                        Arrays.copyOf(t10, Math.min(t10.length, 0xFF))));
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s.substring(0, n) : s + " ".repeat(n - s.length());
    }

    private static byte[] id16(int id) {
        return new byte[] {0, 0, (byte) (id >> 8), (byte) id};
    }

    /** SPC-4 §7.8.6.10: UTF-8, NUL-terminated, padded with NULs to a multiple of 4. */
    private static byte[] scsiName(String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        int len = Math.min((text.length + 4) & ~3, 252);
        return Arrays.copyOf(text, len);
    }
}
