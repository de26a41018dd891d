package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Standard INQUIRY data (SPC-4, standard INQUIRY data format), reduced to what path discovery and the
 * hardware-handler choice read: the peripheral byte, the TPGS field (the kernel attaches {@code alua} when it is
 * non-zero), and the identification strings that multipath-tools' hwtable matches on (trimmed of padding).
 *
 * @param peripheralQualifier  byte 0 bits 7..5: 0 connected, 1 not connected now, 3 no LU at this LUN
 * @param peripheralDeviceType byte 0 bits 4..0: 0x00 disk, 0x0C storage array controller, 0x1F unknown/none
 * @param removable            RMB, byte 1 bit 7
 * @param version              VERSION, byte 2 (5 SPC-3, 6 SPC-4, 7 SPC-5)
 * @param responseDataFormat   byte 3 bits 3..0, 2 for every modern device
 * @param hisup                HISUP, byte 3 bit 4: hierarchical LUN addressing
 * @param tpgs                 TPGS, byte 5 bits 5..4: 0 no ALUA, 1 implicit, 2 explicit, 3 both
 * @param sccs                 SCCS, byte 5 bit 7: embedded storage array controller
 * @param thirdPartyCopy       3PC, byte 5 bit 3
 * @param protect              PROTECT, byte 5 bit 0
 * @param multiPort            MULTIP, byte 6 bit 4
 * @param cmdQue               CMDQUE, byte 7 bit 1
 * @param vendor               T10 VENDOR IDENTIFICATION, bytes 8..15
 * @param product              PRODUCT IDENTIFICATION, bytes 16..31
 * @param revision             PRODUCT REVISION LEVEL, bytes 32..35
 */
public record InquiryData(int peripheralQualifier, int peripheralDeviceType, boolean removable, int version,
                          int responseDataFormat, boolean hisup, int tpgs, boolean sccs, boolean thirdPartyCopy,
                          boolean protect, boolean multiPort, boolean cmdQue, String vendor, String product,
                          String revision) {

    /** SPC-4 requires at least 36 bytes of standard INQUIRY data; Linux reads 36 even when told fewer. */
    public static final int MIN_LENGTH = 36;

    public static final int TYPE_DISK = 0x00;
    public static final int TYPE_ARRAY_CONTROLLER = 0x0C;
    public static final int TYPE_UNKNOWN = 0x1F;

    public static final int QUALIFIER_CONNECTED = 0;
    public static final int QUALIFIER_NOT_CONNECTED = 1;
    public static final int QUALIFIER_NO_LU = 3;

    public static final int TPGS_NONE = 0;
    public static final int TPGS_IMPLICIT = 1;
    public static final int TPGS_EXPLICIT = 2;
    public static final int TPGS_BOTH = 3;

    /** The LU supports ALUA in some form: the kernel auto-attaches {@code alua} (scsi_dh.c). */
    public boolean alua() {
        return tpgs != TPGS_NONE;
    }

    /** The array changes port group states on its own. */
    public boolean implicitAlua() {
        return (tpgs & TPGS_IMPLICIT) != 0;
    }

    /** SET TARGET PORT GROUPS is supported; without it scsi_dh_alua never sends STPG. */
    public boolean explicitAlua() {
        return (tpgs & TPGS_EXPLICIT) != 0;
    }

    /** A real LU is connected at this LUN (the rdac checker's "lun not connected" test). */
    public boolean connected() {
        return peripheralQualifier == QUALIFIER_CONNECTED;
    }

    /** Parses from the reader index without moving indexes. */
    public static InquiryData parse(ByteBuf buf) {
        Wire.need(buf, MIN_LENGTH, "standard INQUIRY data");
        int at = buf.readerIndex();
        int b0 = buf.getUnsignedByte(at);
        int b3 = buf.getUnsignedByte(at + 3);
        int b5 = buf.getUnsignedByte(at + 5);
        return new InquiryData(b0 >> 5, b0 & 0x1F, (buf.getUnsignedByte(at + 1) & 0x80) != 0,
                buf.getUnsignedByte(at + 2), b3 & 0x0F, (b3 & 0x10) != 0, (b5 >> 4) & 0x03, (b5 & 0x80) != 0,
                (b5 & 0x08) != 0, (b5 & 0x01) != 0, (buf.getUnsignedByte(at + 6) & 0x10) != 0,
                (buf.getUnsignedByte(at + 7) & 0x02) != 0, Wire.ascii(buf, at + 8, 8), Wire.ascii(buf, at + 16, 16),
                Wire.ascii(buf, at + 32, 4));
    }

    public static InquiryData parse(byte[] data) {
        return parse(Wire.wrap(data));
    }

    /** Encodes the 36-byte form a target returns (ADDITIONAL LENGTH 31), strings space-padded. */
    public byte[] toBytes() {
        byte[] b = new byte[MIN_LENGTH];
        b[0] = (byte) (peripheralQualifier << 5 | peripheralDeviceType);
        b[1] = (byte) (removable ? 0x80 : 0);
        b[2] = (byte) version;
        b[3] = (byte) ((hisup ? 0x10 : 0) | responseDataFormat);
        b[4] = (byte) (MIN_LENGTH - 5);
        b[5] = (byte) ((sccs ? 0x80 : 0) | tpgs << 4 | (thirdPartyCopy ? 0x08 : 0) | (protect ? 0x01 : 0));
        b[6] = (byte) (multiPort ? 0x10 : 0);
        b[7] = (byte) (cmdQue ? 0x02 : 0);
        padded(b, 8, 8, vendor, "vendor");
        padded(b, 16, 16, product, "product");
        padded(b, 32, 4, revision, "revision");
        return b;
    }

    private static void padded(byte[] b, int at, int length, String s, String field) {
        byte[] text = s.getBytes(StandardCharsets.US_ASCII);
        if (text.length > length)
            throw new IllegalArgumentException(field + ": \"" + s + "\" (expected: at most " + length + " characters)");
        java.util.Arrays.fill(b, at, at + length, (byte) ' ');
        System.arraycopy(text, 0, b, at, text.length);
    }

    @Override
    public String toString() {
        return String.format("%s,%s,%s type 0x%02x qualifier %d tpgs %d", vendor, product, revision,
                peripheralDeviceType, peripheralQualifier, tpgs);
    }
}
