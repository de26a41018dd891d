package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.List;

/**
 * {@code service-time} (dm-service-time 0.3.0, spec §5.3): the valid path with the smallest estimated service
 * time, (in-flight bytes + incoming bytes) / relative throughput, compared exactly as the kernel compares; the
 * winner moves to the tail, so ties rotate.
 */
public final class ServiceTimeSelector extends ListSelector<ServiceTimeSelector.Info> {

    public static final String NAME = "service-time";
    static final int MAX_RELATIVE_THROUGHPUT = 100;
    static final int DEFAULT_RELATIVE_THROUGHPUT = 1;
    /** SIZE_MAX >> 7: at or above it both sizes are shifted right by 7, so that size · 100 cannot wrap. */
    static final long MAX_INFLIGHT_SIZE = -1L >>> 7;

    static final class Info extends PathInfo<Info> {
        final long repeatCount;
        final int relativeThroughput;
        long inFlightSize;

        Info(SelectorPath path, long repeatCount, int relativeThroughput) {
            super(path);
            this.repeatCount = repeatCount;
            this.relativeThroughput = relativeThroughput;
        }
    }

    /** Per-path args {@code [repeat_count [relative_throughput]]}, checked in the kernel's order. */
    @Override
    Info newInfo(SelectorPath p, List<String> args) throws TableException {
        RepeatCount.checkCount(NAME, p, args, 2, "[repeat_count [relative_throughput]]");
        long repeatCount = RepeatCount.parse(NAME, p, args, true);
        int throughput = DEFAULT_RELATIVE_THROUGHPUT;
        if (args.size() == 2) {
            long t = UnsignedArg.parse(args.get(1));
            if (t == UnsignedArg.INVALID || t > MAX_RELATIVE_THROUGHPUT) throw badThroughput(p, args.get(1));
            throughput = (int) t;
        }
        return new Info(p, repeatCount, throughput);
    }

    private static TableException badThroughput(SelectorPath p, String arg) {
        return new TableException(NAME + " ps: invalid relative_throughput value", String.format(
                "path %s: relative_throughput: '%s' (expected: 0..%d)", p.name(), arg, MAX_RELATIVE_THROUGHPUT));
    }

    @Override
    public SelectorPath selectPath(long nrBytes) {
        Info best = null;
        for (Info i = valid.first(); i != null; i = i.next)
            if (best == null || compareLoad(i.inFlightSize, i.relativeThroughput,
                    best.inFlightSize, best.relativeThroughput, nrBytes) < 0)
                best = i;
        if (best == null) return null;
        valid.moveTail(best);
        return best.path;
    }

    /**
     * Negative when path 1 is the better choice for {@code incoming} bytes (spec §5.3, st_compare_load). Sizes are
     * the kernel's size_t (compared unsigned); each difference is returned as C's {@code int} return does: the
     * 64-bit wrapped difference truncated to its low 32 bits [Q].
     */
    static int compareLoad(long sz1, int tp1, long sz2, int tp2, long incoming) {
        if (tp1 == tp2) return (int) (sz1 - sz2);                    // 1: same throughput, less loaded wins
        if (sz1 == sz2 || tp1 == 0 || tp2 == 0) return tp2 - tp1;    // 2: same load, or a zero throughput
        if (Long.compareUnsigned(sz1, MAX_INFLIGHT_SIZE) >= 0 || Long.compareUnsigned(sz2, MAX_INFLIGHT_SIZE) >= 0) {
            sz1 >>>= 7;
            sz2 >>>= 7;
        }
        long st1 = (sz1 + incoming) * tp2;                           // 3: (sz1 + in) / tp1 vs (sz2 + in) / tp2
        long st2 = (sz2 + incoming) * tp1;
        if (st1 != st2) return (int) (st1 - st2);
        return tp2 - tp1;                                            // 4: same service time, faster path wins
    }

    @Override
    public void startIo(SelectorPath p, long nrBytes) {
        info(p).inFlightSize += nrBytes;
    }

    @Override
    public void endIo(SelectorPath p, long nrBytes, long startNanos) {
        info(p).inFlightSize -= nrBytes;
    }

    @Override
    String infoStatus(Info i) {
        return i.inFlightSize + " " + i.relativeThroughput;
    }

    @Override
    String tableStatus(Info i) {
        return i.repeatCount + " " + i.relativeThroughput;
    }

    /** Per path: in-flight bytes and relative throughput in status; repeat count and throughput in the table. */
    public static final class Type extends FixedArgsType {
        public Type() {
            super(NAME, 2, 2, ServiceTimeSelector::new);
        }
    }
}
