package io.mpathgw.gateway.check;

import io.mpathgw.scsi.VpdPage;

import static io.mpathgw.gateway.check.VendorPage.u8;

/**
 * The validity checks on an EMC unit report page 0xC0 that multipath-tools' emc_clariion checker and emc
 * prioritizer both make before trusting the page; each side words and grades the fault its own way.
 */
public final class EmcUnitReport {

    public enum Fault {
        /** Wrong page code, or byte 9 not 0. */
        UNKNOWN_FORMAT,
        /** Not failover mode 1 or 4 (initiator type 3, byte 28 low bits 4 or 6), or arraycommpath (byte 30) off. */
        NOT_CONFIGURED_FOR_FAILOVER,
        /** An NDU in progress (byte 48). */
        NOT_AVAILABLE
    }

    private EmcUnitReport() {
    }

    /** What is wrong with the page, or null when it may be used. */
    public static Fault fault(byte[] c0) {
        if (u8(c0, 1) != VpdPage.EMC_C0 || u8(c0, 9) != 0)
            return Fault.UNKNOWN_FORMAT;
        int mode = u8(c0, 28) & 0x07;
        if (u8(c0, 27) != 0x03 || mode != 0x04 && mode != 0x06 || (u8(c0, 30) & 0x04) == 0)
            return Fault.NOT_CONFIGURED_FOR_FAILOVER;
        if (u8(c0, 48) != 0)
            return Fault.NOT_AVAILABLE;
        return null;
    }
}
