package io.mpathgw.dm.table;

/**
 * Unsigned numbers read exactly as the kernel reads them where the difference shows (spec §1.1, §3): table counts
 * with {@code sscanf("%u%c") == 1}, message PG numbers with {@code kstrtouint(s, 10)}.
 */
public final class KernelNumbers {

    /** Not a number by the rule in question. */
    public static final long INVALID = -1;

    private static final long U32_MAX = 0xffff_ffffL;

    private KernelNumbers() {
    }

    /**
     * {@code sscanf(s, "%u%c") == 1}: optional leading blanks, then decimal digits up to the end of the word; no
     * sign ("+1", "-1" refused). Overflow is not an error: the value wraps and keeps its low 32 bits, so
     * "4294967297" reads as 1 (spec §1.1 quirk).
     */
    public static long scanUnsigned(String s) {
        int k = 0;
        while (k < s.length() && DmArgs.isSpace(s.charAt(k))) k++;
        if (k == s.length()) return INVALID;
        long v = 0;
        for (; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') return INVALID;
            v = (v * 10 + (c - '0')) & U32_MAX;
        }
        return v;
    }

    /**
     * {@code kstrtouint(s, 10)}: an optional '+', decimal digits, at most one trailing newline; a value above
     * 4294967295 is an error (-ERANGE), so is anything else after the digits ("1x").
     */
    public static long kstrtouint(String s) {
        int end = s.endsWith("\n") ? s.length() - 1 : s.length();
        int k = s.startsWith("+") ? 1 : 0;
        if (k >= end) return INVALID;
        long v = 0;
        for (; k < end; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') return INVALID;
            v = v * 10 + (c - '0');
            if (v > U32_MAX) return INVALID;
        }
        return v;
    }
}
