package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A named expectation of a command's outcome, as libiscsi's test tool has them ({@code EXPECT_LBA_OOB}…): status,
 * sense key / ASC / ASCQ, and — stricter than libiscsi — the field pointer (or its absence) and INFORMATION.
 *
 * @param status    SCSI status
 * @param key       sense key, -1 when the status has no sense
 * @param pointer   the 24-bit sense-key specific value expected, or -1 for "no field pointer"
 * @param info      INFORMATION expected, or -1 for "not valid"
 */
record Expect(String name, int status, int key, int asc, int ascq, int pointer, long info) {

    static final Expect GOOD = new Expect("GOOD", ScsiResponse.GOOD, -1, 0, 0, -1, -1);
    static final Expect RESERVATION_CONFLICT = new Expect("RESERVATION CONFLICT", ScsiResponse.RESERVATION_CONFLICT,
            -1, 0, 0, -1, -1);
    static final Expect INVALID_OPERATION_CODE = check("INVALID OPERATION CODE", Sense.INVALID_OPERATION_CODE);
    static final Expect INVALID_FIELD_IN_CDB = check("INVALID FIELD IN CDB", Sense.INVALID_FIELD_IN_CDB);
    static final Expect INVALID_FIELD_IN_PARAMETER_LIST = check("INVALID FIELD IN PARAMETER LIST",
            Sense.INVALID_FIELD_IN_PARAMETER_LIST);
    static final Expect PARAMETER_LIST_LENGTH_ERROR = check("PARAMETER LIST LENGTH ERROR",
            Sense.PARAMETER_LIST_LENGTH_ERROR);
    static final Expect INVALID_FIELD_IN_INFORMATION_UNIT = check("INVALID FIELD IN INFORMATION UNIT",
            Sense.of(Sense.ILLEGAL_REQUEST, 0x0E, 0x03));
    static final Expect LBA_OUT_OF_RANGE = check("LBA OUT OF RANGE", Sense.LBA_OUT_OF_RANGE);
    static final Expect MISCOMPARE = check("MISCOMPARE", Sense.MISCOMPARE_DURING_VERIFY);
    static final Expect WRITE_PROTECTED = check("WRITE PROTECTED", Sense.WRITE_PROTECTED);
    static final Expect SOFTWARE_WRITE_PROTECTED = check("SOFTWARE WRITE PROTECTED",
            Sense.of(Sense.DATA_PROTECT, 0x27, 0x02));
    static final Expect MEDIUM_NOT_PRESENT = check("MEDIUM NOT PRESENT", Sense.MEDIUM_NOT_PRESENT);
    static final Expect SAVING_PARAMETERS_NOT_SUPPORTED = check("SAVING PARAMETERS NOT SUPPORTED",
            Sense.of(Sense.ILLEGAL_REQUEST, 0x39, 0x00));
    static final Expect INVALID_RELEASE = check("INVALID RELEASE OF PERSISTENT RESERVATION",
            Sense.of(Sense.ILLEGAL_REQUEST, 0x26, 0x04));
    static final Expect REMOVAL_PREVENTED = check("MEDIUM REMOVAL PREVENTED", Sense.of(Sense.ILLEGAL_REQUEST, 0x53, 2));
    static final Expect INTERNAL_TARGET_FAILURE = check("INTERNAL TARGET FAILURE", Sense.INTERNAL_TARGET_FAILURE);
    static final Expect POWER_ON_RESET = check("UA POWER ON, RESET", Sense.POWER_ON_RESET);
    static final Expect BUS_DEVICE_RESET = check("UA BUS DEVICE RESET", Sense.of(Sense.UNIT_ATTENTION, 0x29, 0x03));
    static final Expect CAPACITY_DATA_CHANGED = check("UA CAPACITY DATA CHANGED", Sense.CAPACITY_DATA_CHANGED);
    static final Expect INQUIRY_DATA_CHANGED = check("UA INQUIRY DATA CHANGED", Sense.INQUIRY_DATA_CHANGED);
    static final Expect ASYMMETRIC_ACCESS_STATE_CHANGED = check("UA ASYMMETRIC ACCESS STATE CHANGED",
            Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
    static final Expect MODE_PARAMETERS_CHANGED = check("UA MODE PARAMETERS CHANGED", Sense.MODE_PARAMETERS_CHANGED);
    static final Expect REPORTED_LUNS_DATA_CHANGED = check("UA REPORTED LUNS DATA CHANGED",
            Sense.REPORTED_LUNS_DATA_CHANGED);
    static final Expect RESERVATIONS_PREEMPTED = check("UA RESERVATIONS PREEMPTED", Sense.RESERVATIONS_PREEMPTED);
    static final Expect RESERVATIONS_RELEASED = check("UA RESERVATIONS RELEASED", Sense.RESERVATIONS_RELEASED);
    static final Expect REGISTRATIONS_PREEMPTED = check("UA REGISTRATIONS PREEMPTED", Sense.REGISTRATIONS_PREEMPTED);

    static Expect check(String name, Sense s) {
        return new Expect(name, ScsiResponse.CHECK_CONDITION, s.senseKey(), s.asc(), s.ascq(), -1, -1);
    }

    /** The same condition with a field pointer into the CDB at {@code byteIndex}, {@code bit} (-1: no bit). */
    Expect at(int byteIndex, int bit) {
        return new Expect(name, status, key, asc, ascq, SenseData.fieldPointer(true, byteIndex, bit), info);
    }

    /** The same condition with a field pointer into the parameter list. */
    Expect atParameter(int byteIndex, int bit) {
        return new Expect(name, status, key, asc, ascq, SenseData.fieldPointer(false, byteIndex, bit), info);
    }

    Expect info(long information) {
        return new Expect(name, status, key, asc, ascq, pointer, information);
    }

    /**
     * Parses the cases-file form: {@code GOOD}, {@code CONFLICT}, or {@code CHECK k/aa/qq} followed by
     * {@code cdb B[.b]}, {@code param B[.b]} or {@code info N}.
     */
    static Expect parse(String spec) {
        String[] t = spec.trim().split("\\s+");
        if (t[0].equals("GOOD")) return GOOD;
        if (t[0].equals("CONFLICT")) return RESERVATION_CONFLICT;
        if (!t[0].equals("CHECK")) throw new IllegalArgumentException("expectation: " + spec);
        String[] kaq = t[1].split("/");
        Expect e = check(t[1], Sense.of(Integer.parseInt(kaq[0], 16), Integer.parseInt(kaq[1], 16),
                Integer.parseInt(kaq[2], 16)));
        for (int i = 2; i + 1 < t.length; i += 2) {
            String[] bb = t[i + 1].split("\\.");
            int b = Integer.parseInt(bb[0]);
            int bit = bb.length > 1 ? Integer.parseInt(bb[1]) : -1;
            e = switch (t[i]) {
                case "cdb" -> e.at(b, bit);
                case "param" -> e.atParameter(b, bit);
                case "info" -> e.info(Long.parseLong(t[i + 1]));
                default -> throw new IllegalArgumentException("expectation token: " + t[i]);
            };
        }
        return e;
    }

    /** Asserts the reply is this outcome, byte for byte in the sense-key specific field. */
    void check(Reply reply) {
        ScsiResponse r = reply.response();
        String what = "expected " + this + ", got " + r + " sense bytes "
                + (reply.senseBytes() == null ? "none" : java.util.HexFormat.of().formatHex(reply.senseBytes()));
        assertThat(r.status()).as(what).isEqualTo(status);
        if (key < 0) {
            assertThat(r.sense()).as(what).isNull();
            assertThat(reply.senseBytes()).as(what).isNull();
            return;
        }
        assertThat(r.sense().is(key, asc, ascq)).as(what).isTrue();
        byte[] b = reply.senseBytes();
        assertThat(Sense.parse(b).is(key, asc, ascq)).as(what).isTrue();
        assertThat(senseKeySpecific(b)).as(what + " (sense-key specific)").isEqualTo(pointer);
        assertThat(r.sense().information()).as(what + " (information)").isEqualTo(info);
    }

    /** The SKS value with SKSV set, or -1: bytes 15..17 of fixed sense, descriptor 02h of descriptor sense. */
    static int senseKeySpecific(byte[] b) {
        if ((b[0] & 0x7F) < 0x72) {
            if (b.length < 18 || (b[15] & 0x80) == 0) return -1;
            return (b[15] & 0xFF) << 16 | (b[16] & 0xFF) << 8 | b[17] & 0xFF;
        }
        for (int at = 8; at + 1 < b.length; at += 2 + (b[at + 1] & 0xFF))
            if (b[at] == 0x02) return (b[at + 4] & 0xFF) << 16 | (b[at + 5] & 0xFF) << 8 | b[at + 6] & 0xFF;
        return -1;
    }

    @Override
    public String toString() {
        String s = name;
        if (pointer >= 0) {
            SenseData d = new SenseData(Sense.of(key, asc, ascq), pointer);
            s += String.format(" (%s byte %d%s)", d.inCdb() ? "cdb" : "parameter", d.fieldByte(),
                    d.fieldBit() >= 0 ? " bit " + d.fieldBit() : "");
        }
        return info >= 0 ? s + " info " + info : s;
    }
}
