package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

/**
 * Sense data (SPC-4 §4.5), fixed (response code 0x70/0x71) or descriptor format (0x72/0x73), reduced to what
 * callers decide on: sense key, ASC, ASCQ, and the INFORMATION field when valid.
 *
 * @param responseCode 0x70..0x73
 * @param senseKey     0x0..0xF
 * @param asc          additional sense code
 * @param ascq         additional sense code qualifier
 * @param information  INFORMATION field, or -1 when the VALID bit / descriptor 0x00 is absent
 */
public record Sense(int responseCode, int senseKey, int asc, int ascq, long information) {

    public static final int NO_SENSE = 0x0;
    public static final int RECOVERED_ERROR = 0x1;
    public static final int NOT_READY = 0x2;
    public static final int MEDIUM_ERROR = 0x3;
    public static final int HARDWARE_ERROR = 0x4;
    public static final int ILLEGAL_REQUEST = 0x5;
    public static final int UNIT_ATTENTION = 0x6;
    public static final int DATA_PROTECT = 0x7;
    public static final int BLANK_CHECK = 0x8;
    public static final int VENDOR_SPECIFIC = 0x9;
    public static final int COPY_ABORTED = 0xA;
    public static final int ABORTED_COMMAND = 0xB;
    public static final int VOLUME_OVERFLOW = 0xD;
    public static final int MISCOMPARE = 0xE;

    private static final String[] KEY_NAMES = {
        "NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR", "HARDWARE ERROR", "ILLEGAL REQUEST",
        "UNIT ATTENTION", "DATA PROTECT", "BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
        "RESERVED(0xC)", "VOLUME OVERFLOW", "MISCOMPARE", "COMPLETED"
    };

    /** Builds a fixed-format current sense, as a target would report it. */
    public static Sense of(int senseKey, int asc, int ascq) {
        return new Sense(0x70, senseKey, asc, ascq, -1);
    }

    /**
     * Parses sense bytes {@code [index, index+length)} of {@code buf} without moving its indexes.
     *
     * @throws IllegalArgumentException naming the field when the bytes are not sense data
     */
    public static Sense parse(ByteBuf buf, int index, int length) {
        if (length < 1)
            throw new IllegalArgumentException("sense length: " + length + " (expected: >= 1)");
        int responseCode = buf.getUnsignedByte(index) & 0x7f;
        switch (responseCode) {
            case 0x70, 0x71 -> {
                // SPC-4 §4.5.3: key at byte 2, ASC/ASCQ at 12/13 when the additional length covers them
                int key = length > 2 ? buf.getUnsignedByte(index + 2) & 0x0f : 0;
                int asc = length > 12 ? buf.getUnsignedByte(index + 12) : 0;
                int ascq = length > 13 ? buf.getUnsignedByte(index + 13) : 0;
                boolean valid = (buf.getUnsignedByte(index) & 0x80) != 0;
                long info = valid && length >= 7 ? buf.getUnsignedInt(index + 3) : -1;
                return new Sense(responseCode, key, asc, ascq, info);
            }
            case 0x72, 0x73 -> {
                // SPC-4 §4.5.2: key/ASC/ASCQ at 1/2/3, descriptors from byte 8
                int key = length > 1 ? buf.getUnsignedByte(index + 1) & 0x0f : 0;
                int asc = length > 2 ? buf.getUnsignedByte(index + 2) : 0;
                int ascq = length > 3 ? buf.getUnsignedByte(index + 3) : 0;
                return new Sense(responseCode, key, asc, ascq, descriptorInformation(buf, index, length));
            }
            default -> throw new IllegalArgumentException(String.format(
                    "sense response code: 0x%02x (expected: 0x70..0x73)", responseCode));
        }
    }

    public static Sense parse(byte[] bytes) {
        return parse(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    private static long descriptorInformation(ByteBuf buf, int index, int length) {
        if (length < 8) return -1;
        int end = Math.min(length, 8 + buf.getUnsignedByte(index + 7));
        for (int at = 8; at + 2 <= end; ) {
            int type = buf.getUnsignedByte(index + at);
            int len = buf.getUnsignedByte(index + at + 1);
            // Information descriptor (type 0x00): 8-byte INFORMATION at offset 4 when VALID is set
            if (type == 0x00 && len >= 0x0a && at + 12 <= end && (buf.getUnsignedByte(index + at + 2) & 0x80) != 0)
                return buf.getLong(index + at + 4);
            at += 2 + len;
        }
        return -1;
    }

    public boolean isDeferred() {
        return responseCode == 0x71 || responseCode == 0x73;
    }

    public boolean isDescriptorFormat() {
        return responseCode >= 0x72;
    }

    public boolean is(int key, int asc, int ascq) {
        return senseKey == key && this.asc == asc && this.ascq == ascq;
    }

    public static String keyName(int key) {
        return KEY_NAMES[key & 0x0f];
    }

    @Override
    public String toString() {
        return String.format("%s %02x/%02x", keyName(senseKey), asc, ascq);
    }
}
