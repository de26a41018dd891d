package io.mpathgw.iscsi.sim;

/**
 * How an RDAC array treats I/O through the controller that does not own the LUN (VPD 0xC9 byte 8, spec §6.2).
 */
public enum RdacMode {
    /** Classic RDAC: the non-owner refuses media access with ILLEGAL REQUEST 94/01; only MODE SELECT moves the LUN. */
    RDAC(0x00),
    /** Auto Volume Transfer (byte 8 bit 7): I/O through the non-owner moves the LUN to it. */
    AVT(0x80),
    /** I/O shipping (byte 8 bit 5): the non-owner serves I/O by shipping it to the owner; nothing moves. */
    IOSHIP(0x20);

    private final int bits;

    RdacMode(int bits) {
        this.bits = bits;
    }

    /** The mode bits of VPD 0xC9 byte 8. */
    int bits() {
        return bits;
    }
}
