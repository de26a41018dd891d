package io.mpathgw.iscsi.pdu;

/**
 * RFC 1982 serial number arithmetic with SERIAL_BITS = 32, as RFC 7143 §4.2.2.1 requires for CmdSN, StatSN,
 * DataSN and R2TSN. Values are the raw 32-bit fields held in an {@code int}.
 */
public final class SerialNumber {

    private SerialNumber() {
    }

    /** {@code a < b} in serial arithmetic. Undefined (false) when the two are exactly 2^31 apart. */
    public static boolean lt(int a, int b) {
        int d = a - b;
        return d < 0 && d != Integer.MIN_VALUE;
    }

    public static boolean gt(int a, int b) {
        return lt(b, a);
    }

    public static boolean le(int a, int b) {
        return a == b || lt(a, b);
    }

    public static boolean ge(int a, int b) {
        return a == b || gt(a, b);
    }

    /** Serial addition (RFC 1982 §3.1): {@code n} must be in 0..2^31-1. */
    public static int add(int s, int n) {
        if (n < 0) throw new IllegalArgumentException("serial addend: " + n + " (expected: 0..2147483647)");
        return s + n;
    }

    /** Number of serial steps from {@code a} up to {@code b}, assuming {@code b} is not behind {@code a}. */
    public static long distance(int a, int b) {
        return Integer.toUnsignedLong(b - a);
    }

    /** The larger of two serial numbers. */
    public static int max(int a, int b) {
        return lt(a, b) ? b : a;
    }
}
