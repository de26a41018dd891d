package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.List;

/**
 * {@code round-robin} (dm-round-robin 1.2.0, spec §5.1): strict rotation over the valid paths in table order; a
 * reinstated path goes to the head, so it is the very next one used. Selector args are ignored.
 */
public final class RoundRobinSelector extends ListSelector<RoundRobinSelector.Info> {

    public static final String NAME = "round-robin";

    static final class Info extends PathInfo<Info> {
        final long repeatCount;

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

    /** Takes the head of the valid list and moves it to the tail. */
    @Override
    public SelectorPath selectPath(long nrBytes) {
        Info i = valid.first();
        if (i == null) return null;
        valid.moveTail(i);
        return i.path;
    }

    @Override
    void reinstated(Info i) {
        valid.addHead(i);   // as rr_reinstate_path: unlike ql/st/hst, first in line
    }

    @Override
    String infoStatus(Info i) {
        return "";
    }

    @Override
    String tableStatus(Info i) {
        return Long.toString(i.repeatCount);
    }

    /** Per path: nothing in status, the repeat count (0 or 1) in the table. */
    public static final class Type extends FixedArgsType {
        public Type() {
            super(NAME, 1, 0, RoundRobinSelector::new);
        }
    }
}
