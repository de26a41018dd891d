package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;

/**
 * {@code directio}: one read of one logical block at offset 0, as multipath-tools reads the device with O_DIRECT
 * (spec §7.1); over iSCSI that is READ(10) of one block. Up when the whole block came back, down otherwise; no
 * retries (an O_DIRECT read that failed is not repeated either).
 */
final class DirectioChecker extends AsyncChecker {

    static final String NAME = "directio";

    private final BlockSizeProbe probe = new BlockSizeProbe();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<CheckResult> run) {
        probe.withBlockSize(run, bs -> read(run, bs), (r, e) -> run.complete(e != null
                ? transportFailure(e, CheckResult.DOWN) : result(PathState.DOWN, CheckResult.DOWN)));
    }

    private void read(CommandRun<CheckResult> run, int blockSize) {
        run.send(ScsiCommand.read(Cdb.read10(0, 1), blockSize), (r, e) -> {
            if (e != null) run.complete(transportFailure(e, CheckResult.DOWN));
            else if (r.isGood() && r.data().readableBytes() == blockSize)
                run.complete(result(PathState.UP, CheckResult.UP));
            else run.complete(result(PathState.DOWN, CheckResult.DOWN));
        });
    }
}
