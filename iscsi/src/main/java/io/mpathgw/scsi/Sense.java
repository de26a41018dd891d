package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.util.HashMap;
import java.util.Map;

/**
 * Sense data (SPC-4 §4.5), fixed (response code 0x70/0x71) or descriptor format (0x72/0x73), reduced to what
 * callers decide on: sense key, ASC, ASCQ, and the INFORMATION field when valid.
 *
 * <p>The named constants below are the conditions this project's handlers, checkers and target act on, in the
 * spirit of libiscsi's test expectations: compare with {@link #matches(Sense)}, which ignores format and
 * INFORMATION ({@code sense.matches(Sense.NOT_READY_TRANSITIONING)}).
 *
 * @param responseCode 0x70..0x73
 * @param senseKey     0x0..0xF
 * @param asc          additional sense code
 * @param ascq         additional sense code qualifier
 * @param information  INFORMATION field, or -1 when the VALID bit / descriptor 0x00 is absent
 * @param senseKeySpecific the three SENSE KEY SPECIFIC bytes (SPC-4 §4.5.2.4, e.g. a field pointer) as one 24-bit
 *                     value with {@link #SKSV} set, or -1 when absent
 */
public record Sense(int responseCode, int senseKey, int asc, int ascq, long information, int senseKeySpecific) {

    /** SKSV (SPC-4 §4.5.2.4.1): the SENSE KEY SPECIFIC field is valid; set in {@link #senseKeySpecific()} when present. */
    public static final int SKSV = 0x80_0000;

    /** Sense without a SENSE KEY SPECIFIC field. */
    public Sense(int responseCode, int senseKey, int asc, int ascq, long information) {
        this(responseCode, senseKey, asc, ascq, information, -1);
    }


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

    /** ASC/ASCQ descriptions of the named conditions (SPC-4 Annex D), keyed by {@code asc << 8 | ascq}. */
    private static final Map<Integer, String> DESCRIPTIONS = new HashMap<>();

    // ILLEGAL REQUEST: the target's SBC emulation answers these; a path never fails on them
    public static final Sense INVALID_OPERATION_CODE = named(ILLEGAL_REQUEST, 0x20, 0x00,
            "invalid command operation code");
    public static final Sense LBA_OUT_OF_RANGE = named(ILLEGAL_REQUEST, 0x21, 0x00,
            "logical block address out of range");
    public static final Sense INVALID_FIELD_IN_CDB = named(ILLEGAL_REQUEST, 0x24, 0x00, "invalid field in cdb");
    public static final Sense LOGICAL_UNIT_NOT_SUPPORTED = named(ILLEGAL_REQUEST, 0x25, 0x00,
            "logical unit not supported");
    public static final Sense INVALID_FIELD_IN_PARAMETER_LIST = named(ILLEGAL_REQUEST, 0x26, 0x00,
            "invalid field in parameter list");
    public static final Sense PARAMETER_LIST_LENGTH_ERROR = named(ILLEGAL_REQUEST, 0x1A, 0x00,
            "parameter list length error");

    // NOT READY: 04/xx are the ALUA and hp_sw path states
    public static final Sense NOT_READY_BECOMING_READY = named(NOT_READY, 0x04, 0x01,
            "logical unit is in process of becoming ready");
    /** hp_sw: the passive controller's answer to TEST UNIT READY; START STOP UNIT activates it. */
    public static final Sense NOT_READY_INITIALIZING_COMMAND_REQUIRED = named(NOT_READY, 0x04, 0x02,
            "logical unit not ready, initializing command required");
    public static final Sense NOT_READY_MANUAL_INTERVENTION = named(NOT_READY, 0x04, 0x03,
            "logical unit not ready, manual intervention required");
    /** scsi_dh_alua: the group is transitioning; retry, do not fail the path. */
    public static final Sense NOT_READY_TRANSITIONING = named(NOT_READY, 0x04, 0x0A,
            "logical unit not accessible, asymmetric access state transition");
    /** The port is in standby: the path is a ghost (multipath-tools). */
    public static final Sense NOT_READY_STANDBY = named(NOT_READY, 0x04, 0x0B,
            "logical unit not accessible, target port in standby state");
    public static final Sense NOT_READY_UNAVAILABLE = named(NOT_READY, 0x04, 0x0C,
            "logical unit not accessible, target port in unavailable state");
    public static final Sense MEDIUM_NOT_PRESENT = named(NOT_READY, 0x3A, 0x00, "medium not present");

    // UNIT ATTENTION: scsi_dh_alua check_sense() retries these (some after forcing an RTPG)
    /** Added to scsi_dh_alua's check_sense() in 2024: some arrays report the transition as a unit attention. */
    public static final Sense UNIT_ATTENTION_TRANSITIONING = of(UNIT_ATTENTION, 0x04, 0x0A);
    public static final Sense POWER_ON_RESET = named(UNIT_ATTENTION, 0x29, 0x00,
            "power on, reset, or bus device reset occurred");
    public static final Sense DEVICE_INTERNAL_RESET = named(UNIT_ATTENTION, 0x29, 0x04, "device internal reset");
    public static final Sense MODE_PARAMETERS_CHANGED = named(UNIT_ATTENTION, 0x2A, 0x01, "mode parameters changed");
    public static final Sense RESERVATIONS_PREEMPTED = named(UNIT_ATTENTION, 0x2A, 0x03, "reservations preempted");
    public static final Sense RESERVATIONS_RELEASED = named(UNIT_ATTENTION, 0x2A, 0x04, "reservations released");
    public static final Sense REGISTRATIONS_PREEMPTED = named(UNIT_ATTENTION, 0x2A, 0x05, "registrations preempted");
    public static final Sense ASYMMETRIC_ACCESS_STATE_CHANGED = named(UNIT_ATTENTION, 0x2A, 0x06,
            "asymmetric access state changed");
    public static final Sense IMPLICIT_TRANSITION_FAILED = named(UNIT_ATTENTION, 0x2A, 0x07,
            "implicit asymmetric access state transition failed");
    public static final Sense CAPACITY_DATA_CHANGED = named(UNIT_ATTENTION, 0x2A, 0x09, "capacity data has changed");
    public static final Sense COMMANDS_CLEARED_BY_ANOTHER_INITIATOR = named(UNIT_ATTENTION, 0x2F, 0x00,
            "commands cleared by another initiator");
    public static final Sense INQUIRY_DATA_CHANGED = named(UNIT_ATTENTION, 0x3F, 0x03, "inquiry data has changed");
    public static final Sense REPORTED_LUNS_DATA_CHANGED = named(UNIT_ATTENTION, 0x3F, 0x0E,
            "reported luns data has changed");

    // errors of the medium and the device
    public static final Sense WRITE_ERROR = named(MEDIUM_ERROR, 0x0C, 0x00, "write error");
    public static final Sense UNRECOVERED_READ_ERROR = named(MEDIUM_ERROR, 0x11, 0x00, "unrecovered read error");
    public static final Sense INTERNAL_TARGET_FAILURE = named(HARDWARE_ERROR, 0x44, 0x00, "internal target failure");
    public static final Sense WRITE_PROTECTED = named(DATA_PROTECT, 0x27, 0x00, "write protected");
    /** A thin LU ran out of space (SBC-3 thin provisioning). */
    public static final Sense SPACE_ALLOCATION_FAILED = named(DATA_PROTECT, 0x27, 0x07,
            "space allocation failed write protect");
    public static final Sense MISCOMPARE_DURING_VERIFY = named(MISCOMPARE, 0x1D, 0x00,
            "miscompare during verify operation");

    private static Sense named(int key, int asc, int ascq, String description) {
        DESCRIPTIONS.put(asc << 8 | ascq, description);
        return new Sense(0x70, key, asc, ascq, -1);
    }

    /** Builds a fixed-format current sense, as a target would report it. */
    public static Sense of(int senseKey, int asc, int ascq) {
        return new Sense(0x70, senseKey, asc, ascq, -1);
    }

    /** The same condition with an INFORMATION field (the failing LBA of a medium error). */
    public Sense withInformation(long information) {
        return new Sense(responseCode, senseKey, asc, ascq, information, senseKeySpecific);
    }

    /** The same condition with a SENSE KEY SPECIFIC field ({@code sks} with {@link #SKSV} set, or -1 for none). */
    public Sense withSenseKeySpecific(int sks) {
        if (sks != -1 && (sks & ~0xFF_FFFF) != 0 || sks != -1 && (sks & SKSV) == 0)
            throw new IllegalArgumentException(String.format("sense key specific: 0x%x (expected: 24 bits with SKSV set, or -1)", sks));
        return new Sense(responseCode, senseKey, asc, ascq, information, sks);
    }

    /** The same condition in descriptor format (0x72/0x73), as for an LBA beyond 32 bits. */
    public Sense descriptorFormat() {
        return new Sense(isDeferred() ? 0x73 : 0x72, senseKey, asc, ascq, information, senseKeySpecific);
    }

    /**
     * Parses sense bytes {@code [index, index+length)} of {@code buf} without moving its indexes.
     *
     * @throws ScsiDataException naming the field when the bytes are not sense data
     */
    public static Sense parse(ByteBuf buf, int index, int length) {
        if (length < 1)
            throw new ScsiDataException("sense length: " + length + " (expected: >= 1)");
        int responseCode = buf.getUnsignedByte(index) & 0x7f;
        switch (responseCode) {
            case 0x70, 0x71 -> {
                // SPC-4 §4.5.3: fields past 8 + ADDITIONAL SENSE LENGTH are not valid, even when more bytes came
                // (as the kernel's scsi_normalize_sense() reads it)
                int valid = length > 7 ? Math.min(length, 8 + buf.getUnsignedByte(index + 7)) : length;
                int key = valid > 2 ? buf.getUnsignedByte(index + 2) & 0x0f : 0;
                int asc = valid > 12 ? buf.getUnsignedByte(index + 12) : 0;
                int ascq = valid > 13 ? buf.getUnsignedByte(index + 13) : 0;
                boolean infoValid = (buf.getUnsignedByte(index) & 0x80) != 0;
                long info = infoValid && valid >= 7 ? buf.getUnsignedInt(index + 3) : -1;
                int sks = valid > 17 && (buf.getUnsignedByte(index + 15) & 0x80) != 0
                        ? buf.getUnsignedMedium(index + 15) : -1;
                return new Sense(responseCode, key, asc, ascq, info, sks);
            }
            case 0x72, 0x73 -> {
                // SPC-4 §4.5.2: key/ASC/ASCQ at 1/2/3, descriptors from byte 8
                int key = length > 1 ? buf.getUnsignedByte(index + 1) & 0x0f : 0;
                int asc = length > 2 ? buf.getUnsignedByte(index + 2) : 0;
                int ascq = length > 3 ? buf.getUnsignedByte(index + 3) : 0;
                return new Sense(responseCode, key, asc, ascq, descriptorInformation(buf, index, length),
                        descriptorSenseKeySpecific(buf, index, length));
            }
            default -> throw new ScsiDataException(String.format(
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
            // Information descriptor (SPC-4 §4.5.2.2, type 0x00): 8-byte INFORMATION at offset 4 when VALID is set
            if (type == 0x00 && len >= 0x0a && at + 12 <= end && (buf.getUnsignedByte(index + at + 2) & 0x80) != 0)
                return buf.getLong(index + at + 4);
            at += 2 + len;
        }
        return -1;
    }

    /** Sense key specific descriptor (SPC-4 §4.5.2.4, type 0x02): three SKS bytes at offset 4 when SKSV is set. */
    private static int descriptorSenseKeySpecific(ByteBuf buf, int index, int length) {
        if (length < 8) return -1;
        int end = Math.min(length, 8 + buf.getUnsignedByte(index + 7));
        for (int at = 8; at + 2 <= end; ) {
            int type = buf.getUnsignedByte(index + at);
            int len = buf.getUnsignedByte(index + at + 1);
            if (type == 0x02 && len >= 0x06 && at + 7 <= end && (buf.getUnsignedByte(index + at + 4) & 0x80) != 0)
                return buf.getUnsignedMedium(index + at + 4);
            at += 2 + len;
        }
        return -1;
    }

    /**
     * Encodes this sense as a target sends it: 18 bytes of fixed format (INFORMATION valid only when it fits 32
     * bits), or an 8-byte descriptor-format header plus an information descriptor when INFORMATION is set.
     */
    public byte[] toBytes() {
        if (isDescriptorFormat()) {
            int sksAt = information >= 0 ? 20 : 8;
            byte[] b = new byte[sksAt + (senseKeySpecific >= 0 ? 8 : 0)];
            b[0] = (byte) responseCode;
            b[1] = (byte) senseKey;
            b[2] = (byte) asc;
            b[3] = (byte) ascq;
            if (information >= 0) {
                b[9] = 0x0A;
                b[10] = (byte) 0x80;
                Wire.putLong(b, 12, information);
            }
            if (senseKeySpecific >= 0) {
                b[sksAt] = 0x02;
                b[sksAt + 1] = 0x06;
                b[sksAt + 4] = (byte) (senseKeySpecific >> 16);
                b[sksAt + 5] = (byte) (senseKeySpecific >> 8);
                b[sksAt + 6] = (byte) senseKeySpecific;
            }
            b[7] = (byte) (b.length - 8);
            return b;
        }
        byte[] b = new byte[18];
        boolean valid = information >= 0 && information <= 0xFFFF_FFFFL;
        b[0] = (byte) (responseCode | (valid ? 0x80 : 0));
        b[2] = (byte) senseKey;
        if (valid) Wire.putInt(b, 3, information);
        b[7] = 10;
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        if (senseKeySpecific >= 0) {
            b[15] = (byte) (senseKeySpecific >> 16);
            b[16] = (byte) (senseKeySpecific >> 8);
            b[17] = (byte) senseKeySpecific;
        }
        return b;
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

    /** Same sense key, ASC and ASCQ as {@code expected}, whatever the format, deferral and INFORMATION. */
    public boolean matches(Sense expected) {
        return is(expected.senseKey, expected.asc, expected.ascq);
    }

    public static String keyName(int key) {
        return KEY_NAMES[key & 0x0f];
    }

    /** The ASC/ASCQ text of the named conditions ({@code "asymmetric access state changed"}), else "". */
    public String description() {
        return DESCRIPTIONS.getOrDefault(asc << 8 | ascq, "");
    }

    @Override
    public String toString() {
        return String.format("%s %02x/%02x", keyName(senseKey), asc, ascq);
    }
}
