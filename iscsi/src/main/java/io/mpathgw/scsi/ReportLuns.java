package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** REPORT LUNS parameter data (SPC-4, REPORT LUNS): LUN LIST LENGTH, 4 reserved bytes, then 8 bytes per LUN. */
public final class ReportLuns {

    private static final int HEADER = 8;

    private ReportLuns() {
    }

    /** LUN LIST LENGTH + 8: the allocation length that returns every LUN. */
    public static long requiredLength(ByteBuf buf) {
        Wire.need(buf, HEADER, "REPORT LUNS parameter data");
        return buf.getUnsignedInt(buf.readerIndex()) + HEADER;
    }

    /** Parses from the reader index without moving indexes; fails when the list was cut by the allocation length. */
    public static List<Lun> parse(ByteBuf buf) {
        long total = requiredLength(buf);
        long listLength = total - HEADER;
        if (listLength % 8 != 0)
            throw new ScsiDataException("REPORT LUNS lun list length: " + listLength + " (expected: a multiple of 8)");
        if (total > buf.readableBytes())
            throw new ScsiDataException("REPORT LUNS lun list length: " + listLength + " (expected: <= "
                    + (buf.readableBytes() - HEADER) + " bytes received; re-issue with allocation length " + total
                    + ")");
        int at = buf.readerIndex() + HEADER;
        List<Lun> luns = new ArrayList<>((int) (listLength / 8));
        for (int i = 0; i < listLength; i += 8) luns.add(new Lun(buf.getLong(at + i)));
        return luns;
    }

    public static List<Lun> parse(byte[] data) {
        return parse(Wire.wrap(data));
    }

    /** Encodes the parameter data a target returns. */
    public static byte[] toBytes(List<Lun> luns) {
        byte[] b = new byte[HEADER + 8 * luns.size()];
        Wire.putInt(b, 0, 8L * luns.size());
        for (int i = 0; i < luns.size(); i++) Wire.putLong(b, HEADER + 8 * i, luns.get(i).raw());
        return b;
    }
}
