package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The logical block size of a path's LU, read once with READ CAPACITY(10) and kept (what BLKBSZGET gives the
 * checkers that read). A failed READ CAPACITY is not kept: the next check asks again.
 */
final class BlockSizeProbe {

    private volatile int blockSize;         // 0: not known yet

    /**
     * Runs {@code then} with the block size, asking the device first if it is not known; a READ CAPACITY that fails
     * goes to {@code failed} with its answer or failure, as the read would have.
     */
    void withBlockSize(CommandRun<CheckResult> run, IntConsumer then, BiConsumer<ScsiResponse, Throwable> failed) {
        int known = blockSize;
        if (known > 0) {
            then.accept(known);
            return;
        }
        run.send(ScsiCommand.read(Cdb.readCapacity10(), ReadCapacity.LENGTH_10), (r, e) -> {
            if (e != null || !r.isGood()) {
                failed.accept(r, e);
                return;
            }
            long length = ReadCapacity.parse10(r.data()).blockLength();
            if (length > Integer.MAX_VALUE)
                throw new IllegalStateException("READ CAPACITY(10) block length: " + length + " (expected: < 2^31)");
            blockSize = (int) length;
            then.accept(blockSize);
        });
    }

    int known() {
        return blockSize;
    }
}
