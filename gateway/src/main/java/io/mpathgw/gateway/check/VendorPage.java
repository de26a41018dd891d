package io.mpathgw.gateway.check;

import io.mpathgw.scsi.ScsiResponse;

/**
 * A vendor VPD page as the C checkers read it: into a zeroed buffer of fixed size, so that bytes the device did not
 * send read as 0 (a short page fails the checks that follow instead of throwing). Control-path data, a few dozen
 * bytes per check: copied out of the response, which is released right after the step.
 */
public final class VendorPage {

    private VendorPage() {
    }

    /** The first {@code size} bytes of the Data-In, zero-filled past what arrived. */
    public static byte[] of(ScsiResponse r, int size) {
        byte[] b = new byte[size];
        int n = Math.min(size, r.data().readableBytes());
        r.data().getBytes(r.data().readerIndex(), b, 0, n);
        return b;
    }

    public static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }
}
