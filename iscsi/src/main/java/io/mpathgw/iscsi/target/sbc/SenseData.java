package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.Sense;


/**
 * Sense as this LU sends it: a {@link Sense} plus the SENSE-KEY SPECIFIC field (SPC-4 §4.5.2.4.2, field pointer),
 * which {@code Sense} does not carry. Encoded as fixed format (bytes 15..17) or, when the control mode page asks for
 * D_SENSE, as descriptor format with a sense-key specific descriptor (type 02h).
 *
 * @param sense             key, ASC, ASCQ, INFORMATION and format
 * @param senseKeySpecific  the three SKS bytes as one 24-bit value with SKSV set, or -1 when none
 */
public record SenseData(Sense sense, int senseKeySpecific) {

    /** SKSV: the sense-key specific field is valid. */
    static final int SKSV = 0x80_0000;
    /** C/D: the field pointer names a CDB byte (1) or a parameter list byte (0). */
    static final int CD = 0x40_0000;
    /** BPV: the bit pointer is valid. */
    static final int BPV = 0x08_0000;

    public static SenseData of(Sense sense) {
        return new SenseData(sense, -1);
    }

    /**
     * A field pointer (SPC-4 Table 48): {@code byteIndex} of the CDB ({@code inCdb}) or of the parameter list, and
     * {@code bit} 0..7 (the most significant bit of a multi-bit field), or -1 when the whole byte is meant.
     */
    public static int fieldPointer(boolean inCdb, int byteIndex, int bit) {
        if (byteIndex < 0 || byteIndex > 0xFFFF)
            throw new IllegalArgumentException("field pointer byte: " + byteIndex + " (expected: 0..65535)");
        if (bit < -1 || bit > 7)
            throw new IllegalArgumentException("field pointer bit: " + bit + " (expected: -1..7)");
        return SKSV | (inCdb ? CD : 0) | (bit >= 0 ? BPV | bit << 16 : 0) | byteIndex;
    }

    /** Whether a field pointer is present. */
    public boolean hasFieldPointer() {
        return senseKeySpecific >= 0;
    }

    /** FIELD POINTER (the byte named); -1 without one. */
    public int fieldByte() {
        return hasFieldPointer() ? senseKeySpecific & 0xFFFF : -1;
    }

    /** BIT POINTER, or -1 when BPV is clear or there is no field pointer. */
    public int fieldBit() {
        return hasFieldPointer() && (senseKeySpecific & BPV) != 0 ? (senseKeySpecific >> 16) & 0x07 : -1;
    }

    /** C/D: the pointer names a CDB byte rather than a parameter list byte. */
    public boolean inCdb() {
        return hasFieldPointer() && (senseKeySpecific & CD) != 0;
    }

    /** The same sense in descriptor format (D_SENSE in the control mode page). */
    SenseData descriptorFormat() {
        return sense.isDescriptorFormat() ? this : new SenseData(sense.descriptorFormat(), senseKeySpecific);
    }

    /**
     * The bytes a target puts in the SCSI Response: {@link Sense#toBytes()} with the SKS field added — bytes 15..17
     * of fixed format, or a sense-key specific descriptor (02h, length 6) after the others in descriptor format.
     */
    public byte[] toBytes() {
        return asSense().toBytes();
    }

    /** The {@link Sense} carrying the field pointer, as the ScsiResponse and the wire have it. */
    public Sense asSense() {
        return sense.withSenseKeySpecific(senseKeySpecific);
    }

    @Override
    public String toString() {
        if (!hasFieldPointer()) return sense.toString();
        return sense + String.format(" (%s byte %d%s)", inCdb() ? "cdb" : "parameter", fieldByte(),
                fieldBit() >= 0 ? " bit " + fieldBit() : "");
    }
}
