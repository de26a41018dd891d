package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parameter data of MODE SENSE(6) or (10) (SPC-4, mode parameters): the mode parameter header, the block
 * descriptors (skipped; callers take block size and count from READ CAPACITY) and the mode pages.
 *
 * @param mediumType      MEDIUM TYPE (0 for SBC devices)
 * @param deviceSpecific  DEVICE-SPECIFIC PARAMETER; for SBC bit 7 is WP and bit 4 DPOFUA (SBC-3 mode parameter header)
 * @param blockDescriptorLength BLOCK DESCRIPTOR LENGTH of the skipped descriptors
 * @param pages           mode pages in the order received
 */
public record ModeParameters(int mediumType, int deviceSpecific, int blockDescriptorLength, List<ModePage> pages) {

    public ModeParameters {
        pages = List.copyOf(pages);
    }

    public boolean writeProtected() {
        return (deviceSpecific & 0x80) != 0;
    }

    /** DPOFUA: the device honours DPO and FUA (SBC-3 mode parameter header). */
    public boolean dpoFua() {
        return (deviceSpecific & 0x10) != 0;
    }

    /** The page_0 format page {@code code}, or a sub_page format page with subpage 0. */
    public Optional<ModePage> page(int code) {
        return page(code, 0);
    }

    public Optional<ModePage> page(int code, int subpage) {
        for (ModePage p : pages)
            if (p.code() == code && p.subpage() == subpage) return Optional.of(p);
        return Optional.empty();
    }

    /** Total length of the MODE SENSE(6) data the device holds: MODE DATA LENGTH + 1. */
    public static int requiredLength6(ByteBuf buf) {
        Wire.need(buf, 1, "MODE SENSE(6) parameter data");
        return buf.getUnsignedByte(buf.readerIndex()) + 1;
    }

    /** Total length of the MODE SENSE(10) data the device holds: MODE DATA LENGTH + 2. */
    public static int requiredLength10(ByteBuf buf) {
        Wire.need(buf, 2, "MODE SENSE(10) parameter data");
        return buf.getUnsignedShort(buf.readerIndex()) + 2;
    }

    /** Parses MODE SENSE(6) data (4-byte header) from the reader index, without moving indexes. */
    public static ModeParameters parse6(ByteBuf buf) {
        Wire.need(buf, 4, "MODE SENSE(6) parameter data");
        int at = buf.readerIndex();
        int end = at + checkTotal(buf, requiredLength6(buf), "MODE SENSE(6)");
        int bdl = buf.getUnsignedByte(at + 3);
        return new ModeParameters(buf.getUnsignedByte(at + 1), buf.getUnsignedByte(at + 2), bdl,
                pages(buf, at, 4, bdl, end, "MODE SENSE(6)"));
    }

    /** Parses MODE SENSE(10) data (8-byte header) from the reader index, without moving indexes. */
    public static ModeParameters parse10(ByteBuf buf) {
        Wire.need(buf, 8, "MODE SENSE(10) parameter data");
        int at = buf.readerIndex();
        int end = at + checkTotal(buf, requiredLength10(buf), "MODE SENSE(10)");
        int bdl = buf.getUnsignedShort(at + 6);
        return new ModeParameters(buf.getUnsignedByte(at + 2), buf.getUnsignedByte(at + 3), bdl,
                pages(buf, at, 8, bdl, end, "MODE SENSE(10)"));
    }

    public static ModeParameters parse6(byte[] data) {
        return parse6(Wire.wrap(data));
    }

    public static ModeParameters parse10(byte[] data) {
        return parse10(Wire.wrap(data));
    }

    private static int checkTotal(ByteBuf buf, int total, String what) {
        if (total > buf.readableBytes())
            throw new ScsiDataException(what + " mode data length: " + total + " bytes (expected: <= "
                    + buf.readableBytes() + " received; re-issue with allocation length " + total + ")");
        return total;
    }

    private static List<ModePage> pages(ByteBuf buf, int at, int header, int bdl, int end, String what) {
        int first = at + header + bdl;
        if (first > end)
            throw new ScsiDataException(what + " block descriptor length: " + bdl + " (expected: <= "
                    + Math.max(0, end - at - header) + " bytes of mode data after the header)");
        List<ModePage> pages = new ArrayList<>();
        for (int p = first; p < end; ) {
            int b0 = buf.getUnsignedByte(p);
            boolean spf = (b0 & 0x40) != 0;
            int pageHeader = spf ? 4 : 2;
            if (p + pageHeader > end)
                throw pageOverrun(what, p - at, pageHeader, end - p);
            int length = spf ? buf.getUnsignedShort(p + 2) : buf.getUnsignedByte(p + 1);
            if (p + pageHeader + length > end)
                throw pageOverrun(what, p - at, pageHeader + length, end - p);
            pages.add(new ModePage(b0 & 0x3F, spf ? buf.getUnsignedByte(p + 1) : 0, spf, (b0 & 0x80) != 0,
                    Wire.bytes(buf, p + pageHeader, length)));
            p += pageHeader + length;
        }
        return pages;
    }

    private static ScsiDataException pageOverrun(String what, int offset, int needed, int left) {
        return new ScsiDataException(what + " mode page at offset " + offset + ": " + needed
                + " bytes (expected: <= " + left + " bytes left in the mode data)");
    }
}
