package io.mpathgw.dm.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HST's fixed point: the weight table, the EMA (against kernel-golden values) and the comparison. */
class HistoricalServiceTimeArithmeticTest {

    private static final BigInteger ONE = BigInteger.valueOf(1024);

    /**
     * weight[n] = base^(n+1), computed here independently in BigInteger: the squares base^(2^k), each rounded half
     * up to 10 fractional bits, multiplied into the result (also rounded) for every set bit of n+1, lowest first.
     */
    @ParameterizedTest(name = "base {0}")
    @ValueSource(ints = {972, 0, 1, 2, 500, 512, 900, 1000, 1023})
    void weightTableIsBasePowersByRoundedSquaring(int base) {
        long[] w = HistoricalServiceTimeSelector.weights(base);
        assertThat(w).hasSize(64);
        assertThat(w[0]).isEqualTo(base);
        assertThat(w[63]).isZero();
        for (int n = 0; n < 63; n++) {
            assertThat(w[n]).as("weight[%d] of %d", n, base).isEqualTo(roundedPower(base, n + 1));
            // and close to the exact power: each of at most 11 roundings is off by at most half a unit, compounding
            BigDecimal exact = BigDecimal.valueOf(base).divide(BigDecimal.valueOf(1024))
                    .pow(n + 1, MathContext.DECIMAL128).multiply(BigDecimal.valueOf(1024));
            assertThat(BigDecimal.valueOf(w[n]).subtract(exact).abs()).as("weight[%d] of %d vs %s", n, base, exact)
                    .isLessThanOrEqualTo(BigDecimal.valueOf(6));
        }
        for (int n = 1; n < 63; n++) assertThat(w[n]).isLessThanOrEqualTo(w[n - 1]);
    }

    @Test
    void weightsOfTheDefaultBase() {
        long[] w = HistoricalServiceTimeSelector.weights(972);
        assertThat(new long[] {w[0], w[1], w[2], w[3], w[4]}).containsExactly(972, 923, 876, 832, 790);
    }

    private static long roundedPower(long base, int e) {
        BigInteger result = ONE;
        BigInteger square = BigInteger.valueOf(base);
        for (int bit = 0; (e >> bit) != 0; bit++) {
            if (((e >> bit) & 1) != 0) result = roundFixed(result.multiply(square));
            square = roundFixed(square.multiply(square));
        }
        return result.longValueExact();
    }

    private static BigInteger roundFixed(BigInteger product) {
        return new BigDecimal(product).divide(new BigDecimal(ONE), 0, RoundingMode.HALF_UP).toBigInteger();
    }

    @ParameterizedTest(name = "{0} + {1} ns -> {2}")
    @CsvFileSource(resources = "/dm/selector/hst-ema.cases", delimiter = '|')
    void emaReproducesTheKernelsValues(long before, long serviceNs, long after) {
        HistoricalServiceTimeSelector s = new HistoricalServiceTimeSelector(972, 0, () -> 0);
        assertThat(HistoricalServiceTimeSelector.ema(before, serviceNs, s.weight(serviceNs))).isEqualTo(after);
        // the same in BigInteger: round((last * w + service * 1024 * (1024 - w)) / 1024)
        BigInteger w = BigInteger.valueOf(s.weight(serviceNs));
        BigInteger sum = BigInteger.valueOf(before).multiply(w)
                .add(BigInteger.valueOf(serviceNs).multiply(ONE).multiply(ONE.subtract(w)));
        assertThat(roundFixed(sum).longValueExact()).isEqualTo(after);
    }

    @ParameterizedTest(name = "bucket of {0} ns has weight[{1}]")
    @CsvFileSource(resources = "/dm/selector/hst-buckets.cases", delimiter = '|')
    void bucketsAre2To24Ns(String serviceNs, int bucket) {
        HistoricalServiceTimeSelector s = new HistoricalServiceTimeSelector(1000, 0, () -> 0);
        long[] w = HistoricalServiceTimeSelector.weights(1000);
        assertThat(s.weight(Long.parseUnsignedLong(serviceNs))).isEqualTo(w[bucket]);
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvFileSource(resources = "/dm/selector/hst-ema-limits.cases", delimiter = '|')
    void emaTakesInAtMostUllongMaxShifted(String serviceNs, String after) {
        assertThat(Long.toUnsignedString(HistoricalServiceTimeSelector.ema(1024, Long.parseUnsignedLong(serviceNs), 0)))
                .isEqualTo(after);
    }

    @ParameterizedTest(name = "{0}/{1}/{2} vs {3}/{4}/{5} at {6}, x{7} -> {8}")
    @CsvFileSource(resources = "/dm/selector/hst-compare.cases", delimiter = '|')
    void comparesAsTheKernel(long hst1, long out1, long stale1, long hst2, long out2, long stale2, long now,
                             long threshold, long expected) {
        assertThat(HistoricalServiceTimeSelector.compare(hst1, out1, stale1, hst2, out2, stale2, now, threshold))
                .isEqualTo(expected);
    }
}
