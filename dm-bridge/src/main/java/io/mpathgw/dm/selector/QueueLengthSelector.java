package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.List;

/**
 * {@code queue-length} (dm-queue-length 0.2.0, spec §5.2): the first valid path with the strictly smallest
 * number of in-flight I/Os, the walk stopping at the first idle one; the winner moves to the tail.
 */
public final class QueueLengthSelector extends ListSelector<QueueLengthSelector.Info> {

    public static final String NAME = "queue-length";

    static final class Info extends PathInfo<Info> {
        final long repeatCount;
        int qlen;   // atomic_t in the kernel, printed with %d

        Info(SelectorPath path, long repeatCount) {
            super(path);
            this.repeatCount = repeatCount;
        }
    }

    @Override
    Info newInfo(SelectorPath p, List<String> args) throws TableException {
        RepeatCount.checkCount(NAME, p, args, 1, "[repeat_count]");
        return new Info(p, RepeatCount.parse(NAME, p, args, true));
    }

    @Override
    public SelectorPath selectPath(long nrBytes) {
        Info best = null;
        for (Info i = valid.first(); i != null; i = i.next) {
            if (best == null || i.qlen < best.qlen) best = i;
            if (best.qlen == 0) break;   // nothing beats an idle path
        }
        if (best == null) return null;
        valid.moveTail(best);
        return best.path;
    }

    @Override
    public void startIo(SelectorPath p, long nrBytes) {
        info(p).qlen++;
    }

    @Override
    public void endIo(SelectorPath p, long nrBytes, long startNanos) {
        info(p).qlen--;
    }

    @Override
    String infoStatus(Info i) {
        return Integer.toString(i.qlen);
    }

    @Override
    String tableStatus(Info i) {
        return Long.toString(i.repeatCount);
    }

    /** Per path: the in-flight count in status, the repeat count in the table. */
    public static final class Type extends FixedArgsType {
        public Type() {
            super(NAME, 1, 1, QueueLengthSelector::new);
        }
    }
}
