package io.mpathgw.dm.selector;

/**
 * A selector argument read as the kernel's {@code sscanf(arg, "%u%c", …) == 1} reads it: decimal digits only (no
 * sign, no blank, nothing after), the value kept modulo 2^32 as vsscanf's unchecked parse and the store into an
 * {@code unsigned int} leave it. So "+1" and "-1" are refused and "4294967295" is the u32 maximum (both in
 * kernel-golden/tables.golden); "4294967296" reads as 0, which no golden line shows: it follows from vsscanf
 * ignoring overflow for %u.
 */
final class UnsignedArg {

    /** Not an unsigned number. */
    static final long INVALID = -1;

    private UnsignedArg() {
    }

    /** 0..4294967295, or {@link #INVALID}. */
    static long parse(String arg) {
        if (arg.isEmpty()) return INVALID;
        long v = 0;
        for (int k = 0; k < arg.length(); k++) {
            char c = arg.charAt(k);
            if (c < '0' || c > '9') return INVALID;
            v = (v * 10 + (c - '0')) & 0xffff_ffffL;   // the low 32 bits of the wrapped 64-bit value
        }
        return v;
    }
}
