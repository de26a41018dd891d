package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.VpdPage;

/**
 * {@code hp_sw} (HP active/standby arrays: MSA1000, HSG80, old EVA firmware; spec §7.1): INQUIRY of the serial number
 * page 0x80, then TEST UNIT READY, as multipath-tools' {@code hp_sw.c}. An INQUIRY refused as ILLEGAL REQUEST means
 * the checker does not fit (wild), any other INQUIRY failure is down; then a TEST UNIT READY that fails in any way —
 * the passive controller's NOT READY 04/02 — makes the path a ghost; GOOD is up.
 */
final class HpSwChecker extends AsyncChecker {

    static final String NAME = "hp_sw";
    /** hp_sw.c MX_ALLOC_LEN. */
    static final int LENGTH = 255;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<CheckResult> run) {
        run.send(ScsiCommand.read(Cdb.inquiryVpd(VpdPage.UNIT_SERIAL_NUMBER, LENGTH), LENGTH), (r, e) -> {
            if (e != null) run.complete(transportFailure(e, CheckResult.DOWN));
            else if (senseKey(r) == Sense.ILLEGAL_REQUEST) run.complete(result(PathState.WILD, CheckResult.UNSUPPORTED));
            else if (r.isGood() || senseKey(r) == Sense.RECOVERED_ERROR) tur(run);
            else run.complete(result(PathState.DOWN, CheckResult.DOWN));
        });
    }

    /** hp_sw.c do_tur(): any failure is a ghost; our own timeout and back-pressure stay what they are. */
    private void tur(CommandRun<CheckResult> run) {
        run.send(ScsiCommand.none(Cdb.testUnitReady()), (r, e) -> {
            if (e == null) {
                run.complete(r.isGood() ? result(PathState.UP, CheckResult.UP)
                        : result(PathState.GHOST, CheckResult.GHOST));
                return;
            }
            CheckResult t = transportFailure(e, CheckResult.GHOST);
            run.complete(t.state() == PathState.DOWN ? result(PathState.GHOST, CheckResult.GHOST) : t);
        });
    }
}
