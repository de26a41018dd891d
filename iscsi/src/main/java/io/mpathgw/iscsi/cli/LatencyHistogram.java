package io.mpathgw.iscsi.cli;

/**
 * Latencies in nanoseconds, log-linear buckets: exact below 128 ns, then 64 buckets per power of two, so that a
 * percentile is within 1/64 (1.6 %) of the recorded value. Fixed size (about 30 KiB), nothing allocated per
 * record. Not thread-safe: one perf run records on its event loop only.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int LINEAR = 1 << SUB_BITS;             // 128 exact buckets
    private static final int HALF = LINEAR >> 1;                 // 64 buckets per power of two above
    private static final int BUCKETS = LINEAR + (64 - SUB_BITS) * HALF;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long sum;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v > max) max = v;
    }

    static int index(long v) {
        if (v < LINEAR) return (int) v;
        int shift = 63 - Long.numberOfLeadingZeros(v) - (SUB_BITS - 1);   // >= 1
        int top = (int) (v >>> shift);                                     // HALF..LINEAR-1
        return LINEAR + (shift - 1) * HALF + (top - HALF);
    }

    /** The middle of bucket {@code i}'s range. */
    static long value(int i) {
        if (i < LINEAR) return i;
        int shift = (i - LINEAR) / HALF + 1;
        long top = HALF + (i - LINEAR) % HALF;
        return (top << shift) + (1L << (shift - 1));
    }

    long count() {
        return count;
    }

    double meanNanos() {
        return count == 0 ? 0 : (double) sum / count;
    }

    long maxNanos() {
        return max;
    }

    /** The value at quantile {@code q} (0 < q <= 1), nearest-rank; 0 when empty. */
    long percentileNanos(double q) {
        if (count == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(value(i), max);
        }
        return max;
    }
}
