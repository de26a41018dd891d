package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Vital product data pages (SPC-4, VPD parameters): the common 4-byte header (peripheral byte, PAGE CODE, PAGE
 * LENGTH), and the two small pages every device has: Supported VPD Pages (0x00) and Unit Serial Number (0x80).
 * The richer pages have their own types: {@link Vpd83}, {@link BlockLimits}, {@link LogicalBlockProvisioning}.
 *
 * <p>Every parser reads from the reader index without moving indexes, checks that PAGE CODE is the page asked for
 * (as multipath-tools' {@code fetch_vpd_page()} does) and that the whole page arrived: when the allocation length
 * was too small the error says which length to ask for, and {@link #requiredLength} computes it.
 */
public final class VpdPage {

    public static final int SUPPORTED_PAGES = 0x00;
    public static final int UNIT_SERIAL_NUMBER = 0x80;
    public static final int DEVICE_IDENTIFICATION = 0x83;
    public static final int EXTENDED_INQUIRY = 0x86;
    public static final int BLOCK_LIMITS = 0xB0;
    public static final int BLOCK_DEVICE_CHARACTERISTICS = 0xB1;
    public static final int LOGICAL_BLOCK_PROVISIONING = 0xB2;
    /** Vendor pages the rdac and emc_clariion checkers read. */
    public static final int EMC_C0 = 0xC0;
    public static final int RDAC_C9 = 0xC9;

    static final int HEADER = 4;

    private VpdPage() {
    }

    /** PAGE LENGTH + 4: the allocation length that returns the whole page. */
    public static int requiredLength(ByteBuf buf) {
        Wire.need(buf, HEADER, "VPD page header");
        return HEADER + buf.getUnsignedShort(buf.readerIndex() + 2);
    }

    public static int requiredLength(byte[] data) {
        return requiredLength(Wire.wrap(data));
    }

    /** The PAGE CODE byte, for callers that dispatch on it. */
    public static int pageCode(ByteBuf buf) {
        Wire.need(buf, HEADER, "VPD page header");
        return buf.getUnsignedByte(buf.readerIndex() + 1);
    }

    public static int pageCode(byte[] data) {
        return pageCode(Wire.wrap(data));
    }

    /**
     * Checks the header of page {@code pageCode} and returns its PAGE LENGTH.
     *
     * @throws ScsiDataException naming the page code or the missing length
     */
    static int check(ByteBuf buf, int pageCode) {
        int code = pageCode(buf);
        if (code != pageCode)
            throw new ScsiDataException(String.format("VPD page code: 0x%02x (expected: 0x%02x)", code, pageCode));
        int total = requiredLength(buf);
        if (total > buf.readableBytes())
            throw new ScsiDataException(String.format("VPD page 0x%02x page length: %d (expected: <= %d bytes"
                    + " received; re-issue INQUIRY with allocation length %d)", pageCode, total - HEADER,
                    buf.readableBytes() - HEADER, total));
        return total - HEADER;
    }

    /** Page 0x00: the page codes the device supports, in the order listed (ascending, per SPC-4). */
    public static List<Integer> supportedPages(ByteBuf buf) {
        int length = check(buf, SUPPORTED_PAGES);
        int at = buf.readerIndex() + HEADER;
        List<Integer> pages = new ArrayList<>(length);
        for (int i = 0; i < length; i++) pages.add((int) buf.getUnsignedByte(at + i));
        return pages;
    }

    public static List<Integer> supportedPages(byte[] data) {
        return supportedPages(Wire.wrap(data));
    }

    /**
     * Page 0x80: PRODUCT SERIAL NUMBER, with leading and trailing spaces removed as multipath-tools'
     * {@code parse_vpd_pg80()} does, and NULs too (LIO counts its terminating NUL in the page length; tgt
     * right-aligns the serial in spaces).
     */
    public static String unitSerialNumber(ByteBuf buf) {
        int length = check(buf, UNIT_SERIAL_NUMBER);
        return Wire.ascii(buf, buf.readerIndex() + HEADER, length);
    }

    public static String unitSerialNumber(byte[] data) {
        return unitSerialNumber(Wire.wrap(data));
    }

    /** Wraps a page payload in its header, as a target answers INQUIRY EVPD. */
    public static byte[] encode(int peripheral, int pageCode, byte[] payload) {
        Wire.range("VPD page length", payload.length, 0, 0xFFFF);
        byte[] b = new byte[HEADER + payload.length];
        b[0] = (byte) peripheral;
        b[1] = (byte) pageCode;
        Wire.putShort(b, 2, payload.length);
        System.arraycopy(payload, 0, b, HEADER, payload.length);
        return b;
    }
}
