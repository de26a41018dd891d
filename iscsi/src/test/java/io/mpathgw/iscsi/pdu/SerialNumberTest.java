package io.mpathgw.iscsi.pdu;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 1982 serial number arithmetic with SERIAL_BITS = 32 (RFC 7143 §4.2.2.1: CmdSN, StatSN, DataSN, R2TSN),
 * checked against the RFC's own definition, transcribed below with unsigned longs.
 */
class SerialNumberTest {

    private static final long HALF = 1L << 31;

    /** RFC 1982 §3.2: i1 < i2 iff (i1 < i2 and i2 - i1 < 2^31) or (i1 > i2 and i1 - i2 > 2^31). */
    private static boolean rfcLessThan(int a, int b) {
        long i1 = Integer.toUnsignedLong(a), i2 = Integer.toUnsignedLong(b);
        return i1 < i2 && i2 - i1 < HALF || i1 > i2 && i1 - i2 > HALF;
    }

    /** Pairs whose distance clusters around 0, ±1 and ±2^31, where the definition changes. */
    @Provide
    Arbitrary<int[]> pairs() {
        Arbitrary<Integer> any = Arbitraries.integers();
        Arbitrary<Integer> distance = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 3),
                Arbitraries.integers().between(-3, 3).map(d -> Integer.MIN_VALUE + d),
                Arbitraries.integers());
        return any.flatMap(a -> distance.map(d -> new int[] {a, a + d}));
    }

    @Property
    void lessThanIsTheRfc1982Definition(@ForAll("pairs") int[] p) {
        assertThat(SerialNumber.lt(p[0], p[1])).as("lt(0x%08x, 0x%08x)", p[0], p[1]).isEqualTo(rfcLessThan(p[0], p[1]));
    }

    @Property
    void lessThanAndGreaterThanAreAntisymmetricMirrors(@ForAll("pairs") int[] p) {
        int a = p[0], b = p[1];
        assertThat(SerialNumber.lt(a, b) && SerialNumber.lt(b, a)).isFalse();
        assertThat(SerialNumber.gt(a, b)).isEqualTo(SerialNumber.lt(b, a));
        assertThat(SerialNumber.le(a, b)).isEqualTo(a == b || SerialNumber.lt(a, b));
        assertThat(SerialNumber.ge(a, b)).isEqualTo(a == b || SerialNumber.gt(a, b));
    }

    @Property
    void exactlyOneOrderingHoldsUnlessEqualOrHalfTheSpaceApart(@ForAll("pairs") int[] p) {
        int a = p[0], b = p[1];
        int holding = (a == b ? 1 : 0) + (SerialNumber.lt(a, b) ? 1 : 0) + (SerialNumber.gt(a, b) ? 1 : 0);
        // RFC 1982 §3.2: for i2 = i1 + 2^31 the comparison is undefined; SerialNumber answers false both ways
        assertThat(holding).as("0x%08x vs 0x%08x", a, b).isEqualTo(b - a == Integer.MIN_VALUE ? 0 : 1);
    }

    @Property
    void addingUpToHalfTheSpaceMovesForwardAcrossTheWrap(@ForAll int s,
                                                         @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int n) {
        int t = SerialNumber.add(s, n);
        // RFC 1982 §3.1: s + n = (s + n) modulo 2^SERIAL_BITS
        assertThat(Integer.toUnsignedLong(t)).isEqualTo((Integer.toUnsignedLong(s) + n) % (1L << 32));
        assertThat(SerialNumber.lt(s, t)).as("s < s + %d", n).isTrue();
        assertThat(SerialNumber.gt(t, s)).isTrue();
        assertThat(SerialNumber.distance(s, t)).isEqualTo(n);
        assertThat(SerialNumber.max(s, t)).isEqualTo(t);
        assertThat(SerialNumber.max(t, s)).isEqualTo(t);
    }

    @Property
    void addingZeroIsIdentity(@ForAll int s) {
        assertThat(SerialNumber.add(s, 0)).isEqualTo(s);
        assertThat(SerialNumber.lt(s, s)).isFalse();
    }

    @Property
    void addingMoreThanHalfTheSpaceIsRefused(@ForAll int s,
                                             @ForAll @IntRange(min = Integer.MIN_VALUE, max = -1) int n) {
        // RFC 1982 §3.1: addition of n > 2^31 - 1 is undefined
        assertThatThrownBy(() -> SerialNumber.add(s, n)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("serial addend: " + n);
    }

    @Example
    void wraparoundAt2To32() {
        assertThat(SerialNumber.lt(0xffffffff, 0)).isTrue();
        assertThat(SerialNumber.gt(0, 0xffffffff)).isTrue();
        assertThat(SerialNumber.lt(0x7fffffff, 0x80000000)).isTrue();
        assertThat(SerialNumber.lt(0xfffffff0, 0x0000000f)).isTrue();
        assertThat(SerialNumber.add(0xffffffff, 1)).isZero();
        assertThat(SerialNumber.add(0xfffffffe, 0x7fffffff)).isEqualTo(0x7ffffffd);
    }

    @Example
    void undefinedAtDistance2To31() {
        for (int a : new int[] {0, 1, 0x7fffffff, 0x80000000, 0xffffffff}) {
            int b = a + Integer.MIN_VALUE;
            assertThat(SerialNumber.lt(a, b)).isFalse();
            assertThat(SerialNumber.gt(a, b)).isFalse();
            assertThat(SerialNumber.lt(b, a)).isFalse();
        }
        assertThat(SerialNumber.lt(0, 0x7fffffff)).as("2^31 - 1 ahead is still 'greater'").isTrue();
        assertThat(SerialNumber.lt(0, 0x80000001)).as("2^31 + 1 ahead is 'behind'").isFalse();
        assertThat(SerialNumber.gt(0, 0x80000001)).isTrue();
    }
}
