package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.EmcUnitReport;
import io.mpathgw.gateway.check.PathIdentity;
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
        inquireVendorPage(run, VpdPage.EMC_C0, LENGTH, r -> undef("query command indicates error: " + r), this::decode);
    }

    PrioResult decode(byte[] c0) {
        EmcUnitReport.Fault fault = EmcUnitReport.fault(c0);
        if (fault != null) return undef(switch (fault) {
            case UNKNOWN_FORMAT -> "path unit report page in unknown format";
            case NOT_CONFIGURED_FOR_FAILOVER -> "path not correctly configured for failover";
            case NOT_AVAILABLE -> "path not available for normal operations";
        });
        int p = u8(c0, 4) + (u8(c0, 5) == u8(c0, 8) ? 2 : 0);
        return prio(p, String.valueOf(p));
    }
}
