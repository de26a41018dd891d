package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.Sense;

/**
 * A command ends in CHECK CONDITION (or RESERVATION CONFLICT) with this sense. Thrown by the parsers and handlers
 * of this package, caught by {@link SbcLogicalUnit} and turned into a response; it never leaves the package's
 * public methods. No stack trace: it is a normal outcome, not a bug.
 */
final class CheckCondition extends RuntimeException {

    /** 0E/03: the Data-Out does not match what the CDB asks for (SAM-5 / FCP-4 over- and underrun). */
    static final Sense INVALID_FIELD_IN_INFORMATION_UNIT = Sense.of(Sense.ILLEGAL_REQUEST, 0x0E, 0x03);
    static final Sense SAVING_PARAMETERS_NOT_SUPPORTED = Sense.of(Sense.ILLEGAL_REQUEST, 0x39, 0x00);
    static final Sense INVALID_RELEASE_OF_PERSISTENT_RESERVATION = Sense.of(Sense.ILLEGAL_REQUEST, 0x26, 0x04);
    static final Sense MEDIUM_REMOVAL_PREVENTED = Sense.of(Sense.ILLEGAL_REQUEST, 0x53, 0x02);
    static final Sense SOFTWARE_WRITE_PROTECTED = Sense.of(Sense.DATA_PROTECT, 0x27, 0x02);
    static final Sense BUS_DEVICE_RESET_FUNCTION_OCCURRED = Sense.of(Sense.UNIT_ATTENTION, 0x29, 0x03);
    static final Sense NO_SENSE = Sense.of(Sense.NO_SENSE, 0x00, 0x00);

    private final transient SenseData senseData;
    private final boolean reservationConflict;

    private CheckCondition(SenseData senseData, boolean reservationConflict) {
        super(reservationConflict ? "RESERVATION CONFLICT" : senseData.toString(), null, false, false);
        this.senseData = senseData;
        this.reservationConflict = reservationConflict;
    }

    static CheckCondition of(Sense sense) {
        return new CheckCondition(SenseData.of(sense), false);
    }

    static CheckCondition of(SenseData sense) {
        return new CheckCondition(sense, false);
    }

    /** RESERVATION CONFLICT status (SPC-4 §5.9.1): no sense data. */
    static CheckCondition reservationConflict() {
        return new CheckCondition(null, true);
    }

    /** 24/00 INVALID FIELD IN CDB naming CDB byte {@code byteIndex}, bit {@code bit} (-1: the whole byte). */
    static CheckCondition invalidField(int byteIndex, int bit) {
        return of(new SenseData(Sense.INVALID_FIELD_IN_CDB, SenseData.fieldPointer(true, byteIndex, bit)));
    }

    /** 26/00 INVALID FIELD IN PARAMETER LIST naming parameter byte {@code byteIndex}, bit {@code bit}. */
    static CheckCondition invalidParameter(int byteIndex, int bit) {
        return of(new SenseData(Sense.INVALID_FIELD_IN_PARAMETER_LIST,
                SenseData.fieldPointer(false, byteIndex, bit)));
    }

    /** 1A/00 PARAMETER LIST LENGTH ERROR naming the CDB's PARAMETER LIST LENGTH field. */
    static CheckCondition parameterListLength(int cdbByte) {
        return of(new SenseData(Sense.PARAMETER_LIST_LENGTH_ERROR, SenseData.fieldPointer(true, cdbByte, -1)));
    }

    static CheckCondition lbaOutOfRange() {
        return of(Sense.LBA_OUT_OF_RANGE);
    }

    static CheckCondition invalidOperationCode() {
        return of(Sense.INVALID_OPERATION_CODE);
    }

    /** 1D/00 MISCOMPARE DURING VERIFY OPERATION; INFORMATION is the offset of the first differing Data-Out byte. */
    static CheckCondition miscompare(long offset) {
        return of(Sense.MISCOMPARE_DURING_VERIFY.withInformation(offset));
    }

    /** The sense; null for RESERVATION CONFLICT. */
    SenseData senseData() {
        return senseData;
    }

    boolean isReservationConflict() {
        return reservationConflict;
    }

    /** The most significant set bit of {@code bits} (a non-zero byte), for a bit pointer. */
    static int highestBit(int bits) {
        return 31 - Integer.numberOfLeadingZeros(bits & 0xFF);
    }
}
