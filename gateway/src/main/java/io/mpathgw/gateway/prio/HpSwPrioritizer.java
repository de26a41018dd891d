package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

/**
 * {@code hp_sw} (spec §7.2; multipath-tools' {@code prioritizers/hp_sw.c}): TEST UNIT READY. GOOD or RECOVERED ERROR:
 * the active path, 4; NOT READY 04/02 (initializing command required): the standby path, 2; anything else 0. A UNIT
 * ATTENTION with ASC 29h (a reset) is sent again — without limit there, here at most {@link #TRIES} times and never
 * past the deadline.
 */
final class HpSwPrioritizer extends ScsiPrioritizer {

    static final String NAME = "hp_sw";
    static final int ACTIVE = 4;
    static final int STANDBY = 2;
    static final int FAILED = 0;
    static final int TRIES = 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<PrioResult> run, PathIdentity id) {
        attempt(run, TRIES);
    }

    private void attempt(CommandRun<PrioResult> run, int tries) {
        run.send(ScsiCommand.none(Cdb.testUnitReady()), (r, e) -> {
            if (e != null) run.complete(noAnswer(e));
            else if (resetAttention(r) && tries > 1) attempt(run, tries - 1);
            else run.complete(verdict(r));
        });
    }

    /** UNIT ATTENTION with ASC 29h, any ASCQ: power on, reset or bus device reset occurred. */
    private static boolean resetAttention(ScsiResponse r) {
        return r.sense() != null && r.sense().senseKey() == Sense.UNIT_ATTENTION && r.sense().asc() == 0x29;
    }

    PrioResult verdict(ScsiResponse r) {
        if (good(r)) return prio(ACTIVE, "path active");
        if (r.sense() != null && r.sense().matches(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED))
            return prio(STANDBY, "path standby");
        return prio(FAILED, "path failed: " + r);
    }
}
