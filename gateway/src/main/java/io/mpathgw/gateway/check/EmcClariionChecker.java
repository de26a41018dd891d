package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.VpdPage;

import java.util.Arrays;
import java.util.function.BiConsumer;

import static io.mpathgw.gateway.check.VendorPage.u8;

/**
 * {@code emc_clariion} (EMC CLARiiON/VNX, spec §7.1): INQUIRY of the unit report page 0xC0, checked as
 * multipath-tools' {@code emc_clariion.c} does — page format, failover configuration (initiator type 3, failover
 * mode 1/4 i.e. byte 28 low bits 4 or 6, arraycommpath), an NDU in progress (shaky), an unbound LUN or LUNZ, and the
 * LUN WWN (bytes 10..25) remembered from the first check: a path whose WWN changes is down. Through the SP that owns
 * the LUN (byte 4 == 2) it also reads 4 KiB at LBA 0; a read failing with 05/25/01 marks the whole map as an inactive
 * snapshot ({@link CheckerMapContext}), which fails the passive paths too. A passive path is otherwise up, never
 * ghost.
 */
final class EmcClariionChecker extends AsyncChecker {

    static final String NAME = "emc_clariion";
    static final int TRIES = 5;
    static final int READ_TRIES = 3;
    static final int LENGTH = 128;
    static final int LUN_OWNED = 2;
    static final int READ_BYTES = 4096;

    // emc_clariion.c libcheck_msgtable
    static final String QUERY_FAILED = ": sending query command failed";
    static final String QUERY_ERROR = ": query command indicates error";
    static final String PATH_CONFIG = ": Path not correctly configured for failover";
    static final String UNIT_REPORT = ": Path unit report page in unknown format";
    static final String PATH_NOT_AVAIL = ": Path not available for normal operations";
    static final String LUN_UNBOUND = ": Logical Unit is unbound or LUNZ";
    static final String WWN_CHANGED = ": Logical Unit WWN has changed";
    static final String READ_ERROR = ": Read error";
    static final String PASSIVE_GOOD = ": Active path is healthy";

    /** 05/25/01: the LU is an inactive snapshot. */
    static final Sense INACTIVE_SNAPSHOT = Sense.of(Sense.ILLEGAL_REQUEST, 0x25, 0x01);

    private final CheckerMapContext map;
    private final BlockSizeProbe probe = new BlockSizeProbe();
    private volatile byte[] wwn;            // the LUN WWN of the first good page

    EmcClariionChecker(CheckerMapContext map) {
        this.map = map;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<CheckResult> run) {
        attempt(run, TRIES);
    }

    private void attempt(CommandRun<CheckResult> run, int tries) {
        run.send(ScsiCommand.read(Cdb.inquiryVpd(VpdPage.EMC_C0, LENGTH), LENGTH),
                retrying(run, Retry.TRANSPORT, tries, QUERY_FAILED, () -> attempt(run, tries - 1), r -> {
                    if (senseKey(r) == Sense.ILLEGAL_REQUEST) {
                        run.complete(result(PathState.WILD, CheckResult.UNSUPPORTED));
                    } else if (!r.isGood() && senseKey(r) != Sense.RECOVERED_ERROR) {
                        run.complete(result(PathState.DOWN, QUERY_ERROR));
                    } else {
                        CheckResult page = decode(VendorPage.of(r, LENGTH));
                        if (page != null) run.complete(page);
                        else owner(run, VendorPage.of(r, LENGTH));
                    }
                }));
    }

    /** The verdict the page alone gives, or null when it is good and the path's role decides. */
    CheckResult decode(byte[] c0) {
        EmcUnitReport.Fault fault = EmcUnitReport.fault(c0);
        if (fault != null) return switch (fault) {
            case UNKNOWN_FORMAT -> result(PathState.DOWN, UNIT_REPORT);
            case NOT_CONFIGURED_FOR_FAILOVER -> result(PathState.DOWN, PATH_CONFIG);
            case NOT_AVAILABLE -> result(PathState.SHAKY, PATH_NOT_AVAIL);
        };
        if (u8(c0, 4) == 0)
            return result(PathState.DOWN, LUN_UNBOUND);
        byte[] now = Arrays.copyOfRange(c0, 10, 26);
        byte[] first = wwn;
        if (first == null) wwn = now;
        else if (!Arrays.equals(first, now)) return result(PathState.DOWN, WWN_CHANGED);
        return null;
    }

    /** Owner: a read decides. Passive: up, unless the map is an inactive snapshot. */
    private void owner(CommandRun<CheckResult> run, byte[] c0) {
        if (u8(c0, 4) != LUN_OWNED) {
            run.complete(map.inactiveSnapshot() ? result(PathState.DOWN, CheckResult.DOWN)
                    : result(PathState.UP, PASSIVE_GOOD));
            return;
        }
        read(run, READ_TRIES);
    }

    private void read(CommandRun<CheckResult> run, int tries) {
        BiConsumer<ScsiResponse, Throwable> step = retrying(run, Retry.UNIT_ATTENTION, tries, READ_ERROR,
                () -> read(run, tries - 1), r -> readAnswer(run, r));
        probe.withBlockSize(run, bs -> {
            int blocks = Math.max(1, READ_BYTES / Math.min(bs, READ_BYTES));
            run.send(ScsiCommand.read(Cdb.read10(0, blocks), blocks * bs), step);
        }, step);
    }

    private void readAnswer(CommandRun<CheckResult> run, ScsiResponse r) {
        if (r.isGood()) {
            map.inactiveSnapshot(false);
            run.complete(result(PathState.UP, PASSIVE_GOOD));
        } else if (r.sense() != null && r.sense().matches(INACTIVE_SNAPSHOT)) {
            map.inactiveSnapshot(true);
            run.complete(result(PathState.DOWN, CheckResult.DOWN));
        } else {
            run.complete(result(PathState.DOWN, READ_ERROR));
        }
    }
}
