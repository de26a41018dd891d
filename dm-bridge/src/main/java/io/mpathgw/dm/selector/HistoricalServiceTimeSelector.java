package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code historical-service-time} (dm-historical-service-time 0.1.1, spec §5.4): an exponential moving average of
 * each path's service time in 10-bit fixed point, weighted by how long the last I/O took, and a choice that prefers
 * paths with fewer outstanding I/Os unless the averages differ by more than the threshold multiplier.
 * <p>
 * All arithmetic is the kernel's unsigned 64-bit arithmetic: Java's wrapping {@code long} with unsigned compares
 * and shifts. Times come from one monotonic nanosecond clock: {@code endIo}'s {@code startNanos} must be read from
 * the clock this selector was created with ({@link System#nanoTime()} for {@link Selectors#REGISTRY}).
 */
public final class HistoricalServiceTimeSelector extends ListSelector<HistoricalServiceTimeSelector.Info> {

    public static final String NAME = "historical-service-time";
    static final int FIXED_SHIFT = 10;
    static final long FIXED_1 = 1L << FIXED_SHIFT;
    static final long FIXED_HALF = 1L << (FIXED_SHIFT - 1);
    /** ULLONG_MAX >> 10: the largest service time the average takes in, in fixed point. */
    static final long FIXED_MAX = -1L >>> FIXED_SHIFT;
    static final int WEIGHT_COUNT = 64;
    /** A bucket is 2^24 ns, about 16.8 ms. */
    static final int BUCKET_SHIFT = 24;
    static final long DEFAULT_BASE_WEIGHT = 972;   // ≈ 0.95

    static final class Info extends PathInfo<Info> {
        final long repeatCount;   // stored, never used: TABLE prints 0
        long hst = FIXED_1;       // 1 ns in fixed point
        long outstanding;
        long lastFinish;
        long staleAfter;

        Info(SelectorPath path, long repeatCount) {
            super(path);
            this.repeatCount = repeatCount;
        }
    }

    private final long[] weights;
    private final long thresholdMultiplier;
    private final LongSupplier nanoTime;

    HistoricalServiceTimeSelector(long baseWeight, long thresholdMultiplier, LongSupplier nanoTime) {
        this.weights = weights(baseWeight);
        this.thresholdMultiplier = thresholdMultiplier;
        this.nanoTime = nanoTime;
    }

    /**
     * weight[n] = base^(n+1) in fixed point, by square-and-multiply with each product rounded to 10 bits, and
     * weight[63] = 0 so that an I/O slower than ~1 s replaces the average outright.
     */
    static long[] weights(long base) {
        long[] w = new long[WEIGHT_COUNT];
        for (int n = 0; n < WEIGHT_COUNT; n++) w[n] = fixedPower(base, n + 1);
        w[WEIGHT_COUNT - 1] = 0;
        return w;
    }

    /** x^e in 10-bit fixed point: the bits of e from the lowest, squaring x (rounded) at every step. */
    static long fixedPower(long x, int e) {
        long result = FIXED_1;
        while (e != 0) {
            if ((e & 1) != 0) result = (result * x + FIXED_HALF) >>> FIXED_SHIFT;
            e >>>= 1;
            if (e != 0) x = (x * x + FIXED_HALF) >>> FIXED_SHIFT;
        }
        return result;
    }

    /** The weight for a service time of {@code serviceNs}: bucket min(ns >> 24, 63). */
    long weight(long serviceNs) {
        long bucket = serviceNs >>> BUCKET_SHIFT;
        return weights[bucket >= WEIGHT_COUNT ? WEIGHT_COUNT - 1 : (int) bucket];
    }

    @Override
    Info newInfo(SelectorPath p, List<String> args) throws TableException {
        RepeatCount.checkCount(NAME, p, args, 1, "[repeat_count]");
        return new Info(p, RepeatCount.parse(NAME, p, args, false));
    }

    @Override
    public SelectorPath selectPath(long nrBytes) {
        long now = nanoTime.getAsLong();
        Info best = null;
        for (Info i = valid.first(); i != null; i = i.next)
            if (best == null || compare(i.hst, i.outstanding, i.staleAfter,
                    best.hst, best.outstanding, best.staleAfter, now, thresholdMultiplier) < 0)
                best = i;
        if (best == null) return null;
        valid.moveTail(best);
        return best.path;
    }

    /**
     * Negative when path 1 is the better choice at {@code now} (spec §5.4, the four steps). {@code hst}, stale
     * times and {@code now} are unsigned; outstanding counts are non-negative.
     */
    static long compare(long hst1, long out1, long stale1, long hst2, long out2, long stale2, long now,
                        long thresholdMultiplier) {
        long max = Long.compareUnsigned(hst1, hst2) >= 0 ? hst1 : hst2;
        long min = max == hst1 ? hst2 : hst1;
        if (Long.compareUnsigned(max, thresholdMultiplier * min) <= 0) return out1 - out2;   // 1: within threshold
        boolean idle1 = out1 == 0;
        boolean idle2 = out2 == 0;
        boolean stale1Passed = Long.compareUnsigned(stale1, now) < 0;
        boolean stale2Passed = Long.compareUnsigned(stale2, now) < 0;
        if ((idle1 && stale1Passed) || (idle2 && stale2Passed) || (idle1 && idle2))
            return (idle2 ? stale1 : 0) - (idle1 ? stale2 : 0);   // 2: the idle path stale the longest
        boolean p2Better;                                         // 3: expected wait, (1 + outstanding) · hst
        if (out1 == out2) {
            p2Better = Long.compareUnsigned(hst1, hst2) > 0;
        } else {
            if (out1 >= FIXED_1 || out2 >= FIXED_1) {
                hst1 >>>= FIXED_SHIFT;
                hst2 >>>= FIXED_SHIFT;
            }
            p2Better = Long.compareUnsigned((1 + out1) * hst1, (1 + out2) * hst2) > 0;
        }
        if (p2Better ? stale2Passed : stale1Passed) return out1 - out2;   // 4: a stale winner only gets its share
        return p2Better ? 1 : -1;
    }

    @Override
    public void startIo(SelectorPath p, long nrBytes) {
        info(p).outstanding++;
    }

    /** Folds this I/O's service time, counted from {@code startNanos} or the path's last finish, into the EMA. */
    @Override
    public void endIo(SelectorPath p, long nrBytes, long startNanos) {
        Info i = info(p);
        long now = nanoTime.getAsLong();
        long start = Long.compareUnsigned(startNanos, i.lastFinish) >= 0 ? startNanos : i.lastFinish;
        long service = Long.compareUnsigned(now, start) > 0 ? now - start : 0;
        i.hst = ema(i.hst, service, weight(service));
        i.lastFinish = now;
        i.staleAfter = now + valid.size() * (i.hst >>> FIXED_SHIFT);
        i.outstanding--;
    }

    /** round((last · w + min(service · 1024, ULLONG_MAX >> 10) · (1024 − w)) / 1024), wrapping as u64. */
    static long ema(long last, long serviceNs, long w) {
        long next = serviceNs << FIXED_SHIFT;
        if (Long.compareUnsigned(next, FIXED_MAX) > 0) next = FIXED_MAX;
        return (last * w + next * (FIXED_1 - w) + FIXED_HALF) >>> FIXED_SHIFT;
    }

    @Override
    public String groupStatus(StatusType type) {
        return "2 " + weights[0] + " " + thresholdMultiplier;   // weight[0] is base_weight; same in INFO and TABLE
    }

    @Override
    String infoStatus(Info i) {
        return Long.toUnsignedString(i.hst) + " " + Long.toUnsignedString(i.outstanding) + " "
                + Long.toUnsignedString(i.staleAfter);
    }

    @Override
    String tableStatus(Info i) {
        return "0";
    }

    /**
     * Selector args {@code [base_weight [threshold_multiplier]]}: base_weight 0..1023 (default 972), multiplier a u32
     * (default 0). Anything else fails as the kernel's "path selector constructor failed".
     */
    public static final class Type implements PathSelectorType {
        private final LongSupplier nanoTime;

        public Type() {
            this(System::nanoTime);
        }

        /** With an injected monotonic clock in ns, e.g. a test's. */
        public Type(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int tableArgs() {
            return 1;
        }

        @Override
        public int infoArgs() {
            return 3;
        }

        @Override
        public PathSelector create(List<String> args) throws TableException {
            if (args.size() > 2)
                throw constructorFailed(String.format("%d args %s (expected: 0..2: [base_weight [threshold_multiplier]])",
                        args.size(), args));
            long base = args.isEmpty() ? DEFAULT_BASE_WEIGHT : UnsignedArg.parse(args.get(0));
            if (base == UnsignedArg.INVALID || base >= FIXED_1)
                throw constructorFailed("base_weight: '" + args.get(0) + "' (expected: 0..1023)");
            long threshold = args.size() < 2 ? 0 : UnsignedArg.parse(args.get(1));
            if (threshold == UnsignedArg.INVALID)
                throw constructorFailed("threshold_multiplier: '" + args.get(1) + "' (expected: 0..4294967295)");
            return new HistoricalServiceTimeSelector(base, threshold, nanoTime);
        }

        private static TableException constructorFailed(String why) {
            return new TableException(Selectors.CONSTRUCTOR_FAILED, NAME + " selector args: " + why);
        }
    }
}
