package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;

import java.util.function.BiConsumer;

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
        probe.withBlockSize(run, bs -> run.send(ScsiCommand.read(Cdb.read10(0, 1), bs), answer(run, bs)),
                answer(run, 0));
    }

    /** Up when the whole block came back; a failed READ CAPACITY (block size 0) is down. */
    private BiConsumer<ScsiResponse, Throwable> answer(CommandRun<CheckResult> run, int blockSize) {
        return retrying(run, Retry.NONE, 1, CheckResult.DOWN, null, r -> run.complete(
                r.isGood() && blockSize > 0 && r.data().readableBytes() == blockSize
                        ? result(PathState.UP, CheckResult.UP) : result(PathState.DOWN, CheckResult.DOWN)));
    }
}
