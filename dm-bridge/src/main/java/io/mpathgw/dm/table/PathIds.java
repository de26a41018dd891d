package io.mpathgw.dm.table;

/**
 * How a path word of a table or of a fail_path/reinstate_path message names a path (spec §1.6, §9). mpathgw names
 * paths by a stable path id in place of the kernel's {@code major:minor}; the kernel's own spellings keep their
 * meaning so that kernel tables read the same here:
 * <ul>
 *   <li>{@code major:minor} in decimal ({@code sscanf("%u:%u%c") == 2}) is printed canonically: "08:016" → "8:16";
 *       a major above 4095 or a minor above 1048575 does not fit a dev_t and names nothing;</li>
 *   <li>a word of hex digits only is an encoded dev_t, as {@code name_to_dev_t} reads it (kernel-golden: "701" is
 *       printed "7:1"), and 0 names nothing. Path ids should therefore hold a character outside [0-9a-fA-F];</li>
 *   <li>any other word without blanks is a path id, printed as given.</li>
 * </ul>
 */
public final class PathIds {

    private static final long MAX_MAJOR = 0xfff;
    private static final long MAX_MINOR = 0xfffff;

    private PathIds() {
    }

    /** The name tables print for {@code word}, or null when the word names no device ("error getting device"). */
    public static String canonical(String word) {
        if (word.isEmpty()) return null;
        int colon = word.indexOf(':');
        if (colon >= 0 && isDecimalDevT(word, colon)) return decimalDevT(word, colon);
        if (isHex(word)) return encodedDevT(word);
        for (int k = 0; k < word.length(); k++)
            if (DmArgs.isSpace(word.charAt(k))) return null;
        return word;
    }

    /** True for a word of the {@code major:minor} shape, whether or not it fits a dev_t. */
    public static boolean isDevTShape(String word) {
        int colon = word.indexOf(':');
        return colon >= 0 && isDecimalDevT(word, colon);
    }

    private static boolean isDecimalDevT(String word, int colon) {
        return KernelNumbers.scanUnsigned(word.substring(0, colon)) != KernelNumbers.INVALID
                && KernelNumbers.scanUnsigned(word.substring(colon + 1)) != KernelNumbers.INVALID;
    }

    private static String decimalDevT(String word, int colon) {
        long major = KernelNumbers.scanUnsigned(word.substring(0, colon));
        long minor = KernelNumbers.scanUnsigned(word.substring(colon + 1));
        if (major > MAX_MAJOR || minor > MAX_MINOR) return null;    // MKDEV would not round-trip: -EOVERFLOW
        return major + ":" + minor;
    }

    private static boolean isHex(String word) {
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) return false;
        }
        return true;
    }

    /** new_decode_dev() of the low 32 bits: major in bits 8..19, minor in bits 0..7 and 20..31. */
    private static String encodedDevT(String word) {
        long v = 0;
        for (int k = 0; k < word.length(); k++) v = (v << 4 | Character.digit(word.charAt(k), 16)) & 0xffff_ffffL;
        if (v == 0) return null;
        long major = (v & 0xfff00) >> 8;
        long minor = (v & 0xff) | ((v >> 12) & 0xfff00);
        return major + ":" + minor;
    }
}
