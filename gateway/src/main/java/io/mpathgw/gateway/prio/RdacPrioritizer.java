package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.VpdPage;

import static io.mpathgw.gateway.check.VendorPage.u8;

/**
 * {@code rdac} (spec §7.2; multipath-tools' {@code prioritizers/rdac.c}): INQUIRY of the Volume Access Control page
 * 0xC9, checked for its page code, length 0x2C and "vac" signature, then the sum of: 2 when this controller owns the
 * volume (CVP, byte 8 bit 0), 4 when this is the preferred path (byte 9 low nibble 1) or 1 when it is the secondary
 * (2), 8 in I/O shipping mode (byte 8 bit 5). An error answer or a page in another format gives 0, as there.
 */
final class RdacPrioritizer extends ScsiPrioritizer {

    static final String NAME = "rdac";
    static final int LENGTH = 128;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<PrioResult> run, PathIdentity id) {
        inquireVendorPage(run, VpdPage.RDAC_C9, LENGTH, r -> prio(0, "inquiry command indicates error: " + r),
                this::decode);
    }

    PrioResult decode(byte[] c9) {
        if (u8(c9, 1) != VpdPage.RDAC_C9 || u8(c9, 3) != 0x2C || c9[4] != 'v' || c9[5] != 'a' || c9[6] != 'c')
            return prio(0, "volume access control page in unknown format");
        int p = 0;
        if ((u8(c9, 8) & 0x01) != 0) p |= 0x02;                // owned through this controller
        switch (u8(c9, 9) & 0x0F) {
            case 0x01 -> p |= 0x04;                               // preferred path
            case 0x02 -> p |= 0x01;                               // secondary path
            default -> { }
        }
        if ((u8(c9, 8) & 0x20) != 0) p |= 0x08;                // I/O shipping
        return prio(p, String.valueOf(p));
    }
}
