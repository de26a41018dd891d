package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;

import java.util.function.BiConsumer;

/**
 * {@code readsector0} (deprecated in multipath-tools, kept for old configurations): READ(10) of LBA 0, 4096 bytes
 * worth of blocks ({@code libsg.c sg_read}: 4096 / block size, the block size capped at 4096). GOOD is up; UNIT
 * ATTENTION is read again, three tries in all; anything else is down.
 */
final class ReadSector0Checker extends AsyncChecker {

    static final String NAME = "readsector0";
    /** libsg.c retry_count. */
    static final int TRIES = 3;
    static final int BUFFER = 4096;

    private final BlockSizeProbe probe = new BlockSizeProbe();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<CheckResult> run) {
        attempt(run, TRIES);
    }

    private void attempt(CommandRun<CheckResult> run, int tries) {
        BiConsumer<ScsiResponse, Throwable> step = retrying(run, Retry.UNIT_ATTENTION, tries, CheckResult.DOWN,
                () -> attempt(run, tries - 1), r -> run.complete(r.isGood() ? result(PathState.UP, CheckResult.UP)
                        : result(PathState.DOWN, CheckResult.DOWN)));
        probe.withBlockSize(run, bs -> read(run, bs, step), step);
    }

    private void read(CommandRun<CheckResult> run, int blockSize, BiConsumer<ScsiResponse, Throwable> step) {
        int bs = Math.min(blockSize, BUFFER);
        int blocks = Math.max(1, BUFFER / bs);
        run.send(ScsiCommand.read(Cdb.read10(0, blocks), blocks * blockSize), step);
    }
}
