package io.mpathgw.iscsi.cli;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinOneSixtyFourthOfTheExactValue() {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 20; round++) {
            int n = 1 + r.nextInt(5000);
            long[] v = new long[n];
            LatencyHistogram h = new LatencyHistogram();
            for (int i = 0; i < n; i++) {
                // log-uniform from 10 ns to 10 s, the range perf sees
                v[i] = (long) Math.pow(10, 1 + 8 * r.nextDouble());
                h.record(v[i]);
            }
            Arrays.sort(v);
            for (double q : new double[] {0.01, 0.5, 0.9, 0.99, 1.0}) {
                long exact = v[(int) Math.max(0, Math.ceil(q * n) - 1)];
                assertThat((double) h.percentileNanos(q)).as("q=%s of %d values", q, n)
                        .isCloseTo(exact, within(exact / 64.0 + 1));
            }
            assertThat(h.maxNanos()).isEqualTo(v[n - 1]);
            assertThat(h.meanNanos()).isCloseTo(Arrays.stream(v).average().orElseThrow(), within(1e-6 * v[n - 1]));
        }
    }

    @Test
    void bucketIndexIsMonotonicAndValuesLieInTheirBucket() {
        int last = -1;
        for (long v = 0; v < 1L << 40; v = v < 1000 ? v + 1 : v + v / 97) {
            int i = LatencyHistogram.index(v);
            assertThat(i).as("index(%d)", v).isGreaterThanOrEqualTo(last);
            assertThat(LatencyHistogram.index(LatencyHistogram.value(i))).as("value(index(%d))", v).isEqualTo(i);
            last = i;
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isLessThan(4000);
    }

    @Test
    void emptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileNanos(0.99)).isZero();
        assertThat(h.meanNanos()).isZero();
    }
}
