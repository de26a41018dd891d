package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Pdu;
import io.netty.buffer.ByteBuf;

/** The CDB of a SCSI Command PDU: BHS bytes 32..47, extended by an Extended CDB AHS (RFC 7143 §11.2.2.3). */
final class Cdbs {

    private static final int EXTENDED_CDB = 1;

    private Cdbs() {
    }

    /**
     * The CDB, cut to the length its operation code's group defines (SAM-5: group 0 → 6 bytes, 1 and 2 → 10,
     * 4 → 16, 5 → 12; others 16), or 16 + the AHS bytes for an extended CDB.
     */
    static byte[] of(Pdu pdu) {
        byte[] first = new byte[16];
        pdu.bhs().cdb(first, 16);
        byte[] ext = extension(pdu.ahs());
        if (ext != null) {
            byte[] cdb = new byte[16 + ext.length];
            System.arraycopy(first, 0, cdb, 0, 16);
            System.arraycopy(ext, 0, cdb, 16, ext.length);
            return cdb;
        }
        int length = switch ((first[0] & 0xff) >> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 5 -> 12;
            default -> 16;
        };
        if (length == 16) return first;
        byte[] cdb = new byte[length];
        System.arraycopy(first, 0, cdb, 0, length);
        return cdb;
    }

    /** The Extended CDB AHS payload (AHSLength counts its reserved byte), or null. */
    private static byte[] extension(ByteBuf ahs) {
        int at = ahs.readerIndex(), end = ahs.writerIndex();
        while (at + 4 <= end) {
            int len = ahs.getUnsignedShort(at);
            int type = ahs.getUnsignedByte(at + 2);
            int padded = (len + 3 + 3) & ~3;
            if (len == 0 || at + 3 + len > end)
                throw new IscsiProtocolException("AHSLength: " + len + " (expected: 1.." + (end - at - 3)
                        + ", RFC 7143 §11.2.2)", 0x09);
            if (type == EXTENDED_CDB) {
                byte[] b = new byte[len - 1];
                ahs.getBytes(at + 4, b);
                return b;
            }
            at += padded;
        }
        return null;
    }
}
