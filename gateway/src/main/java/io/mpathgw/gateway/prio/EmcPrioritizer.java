package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.gateway.check.VendorPage;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.VpdPage;

import static io.mpathgw.gateway.check.VendorPage.u8;

/**
 * {@code emc} (spec §7.2; multipath-tools' {@code prioritizers/emc.c}): INQUIRY of the unit report page 0xC0 with the
 * emc_clariion checker's validity checks, then the LUN state through this SP (byte 4: 0 unbound, 1 bound, 2 owned)
 * plus 2 when this SP (byte 8) is the LUN's default SP (byte 5): 0..4. Every failure is PRIO_UNDEF.
 */
final class EmcPrioritizer extends ScsiPrioritizer {

    static final String NAME = "emc";
    static final int LENGTH = 128;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<PrioResult> run, PathIdentity id) {
        run.send(ScsiCommand.read(Cdb.inquiryVpd(VpdPage.EMC_C0, LENGTH), LENGTH), (r, e) -> {
            if (e != null) run.complete(noAnswer(e));
            else if (!r.isGood()) run.complete(undef("query command indicates error: " + r));
            else run.complete(decode(VendorPage.of(r, LENGTH)));
        });
    }

    PrioResult decode(byte[] c0) {
        if (u8(c0, 1) != VpdPage.EMC_C0 || u8(c0, 9) != 0)
            return undef("path unit report page in unknown format");
        int mode = u8(c0, 28) & 0x07;
        if (u8(c0, 27) != 0x03 || mode != 0x04 && mode != 0x06 || (u8(c0, 30) & 0x04) == 0)
            return undef("path not correctly configured for failover");
        if (u8(c0, 48) != 0)
            return undef("path not available for normal operations");
        int p = u8(c0, 4) + (u8(c0, 5) == u8(c0, 8) ? 2 : 0);
        return prio(p, String.valueOf(p));
    }
}
