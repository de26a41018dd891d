package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

/**
 * {@code tur}, multipathd's default checker (spec §7.1): TEST UNIT READY, answer mapped as {@code tur.c} maps it.
 * RESERVATION CONFLICT is up (a SCSI-3 reservation holder elsewhere does not make the path bad); UNIT ATTENTION and
 * retryable transport errors are sent again, five tries in all; NOT READY 04/0B (port in standby) is ghost, 04/0A
 * (ALUA transition) pending "reports path is transitioning"; ILLEGAL REQUEST 25/00 (the LU is gone) disconnected;
 * everything else down.
 */
final class TurChecker extends AsyncChecker {

    static final String NAME = "tur";
    /** tur.c retry_tur. */
    static final int TRIES = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<CheckResult> run) {
        attempt(run, TRIES);
    }

    private void attempt(CommandRun<CheckResult> run, int tries) {
        run.send(ScsiCommand.none(Cdb.testUnitReady()), retrying(run, Retry.BOTH, tries, CheckResult.DOWN,
                () -> attempt(run, tries - 1), r -> run.complete(verdict(r))));
    }

    /** The verdict on one answer, UNIT ATTENTION retries aside. */
    CheckResult verdict(ScsiResponse r) {
        if (r.status() == ScsiResponse.RESERVATION_CONFLICT || r.isGood())
            return result(PathState.UP, CheckResult.UP);
        Sense s = r.sense();
        if (s != null && s.matches(Sense.NOT_READY_STANDBY))
            return result(PathState.GHOST, CheckResult.GHOST);
        if (s != null && s.matches(Sense.NOT_READY_TRANSITIONING))
            return result(PathState.PENDING, CheckResult.TRANSITIONING);
        if (s != null && s.matches(Sense.LOGICAL_UNIT_NOT_SUPPORTED))
            return result(PathState.DISCONNECTED, CheckResult.DISCONNECTED);
        return result(PathState.DOWN, CheckResult.DOWN);
    }
}
