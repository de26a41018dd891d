package io.mpathgw.iscsi.text;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The value encodings of RFC 7143 §6.1: booleans, lists, numbers (decimal or hex constants) and binary values
 * (hex or base64 constants). Parsers return empty for a malformed value, so each caller can name its own field.
 */
public final class TextValues {

    public static final String YES = "Yes";
    public static final String NO = "No";
    public static final String NONE = "None";
    /** Reserved answers (RFC 7143 §6.2): never an offer, only a response to a key. */
    public static final String REJECT = "Reject";
    public static final String IRRELEVANT = "Irrelevant";
    public static final String NOT_UNDERSTOOD = "NotUnderstood";

    /** RFC 7143 §12.1.3: CHAP_C and CHAP_R "MUST NOT exceed 1024 bytes" before encoding. */
    public static final int MAX_LARGE_BINARY_LENGTH = 1024;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TextValues() {
    }

    public static boolean isReserved(String value) {
        return REJECT.equals(value) || IRRELEVANT.equals(value) || NOT_UNDERSTOOD.equals(value);
    }

    public static String bool(boolean b) {
        return b ? YES : NO;
    }

    /** Yes or No, case-sensitive as every value is (RFC 7143 §6.1). */
    public static Optional<Boolean> parseBoolean(String value) {
        if (YES.equals(value)) return Optional.of(true);
        if (NO.equals(value)) return Optional.of(false);
        return Optional.empty();
    }

    /** A list-of-values: comma-separated, order of preference kept. */
    public static List<String> parseList(String value) {
        return Arrays.asList(value.split(",", -1));
    }

    /**
     * A numerical-value: a decimal constant or a hex constant ({@code 0x}/{@code 0X}). Values of more than 18
     * decimal or 15 hex digits (legal up to 2^64 - 1, but far beyond every range in §13) are returned as empty.
     */
    public static OptionalLong parseNumber(String value) {
        try {
            if (value.length() > 2 && (value.startsWith("0x") || value.startsWith("0X"))) {
                String digits = value.substring(2);
                return digits.length() <= 15 && digits.chars().allMatch(TextValues::isHexDigit)
                        ? OptionalLong.of(Long.parseLong(digits, 16)) : OptionalLong.empty();
            }
            return !value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? OptionalLong.of(Long.parseLong(value)) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * A binary value: {@code 0x} hex (an odd digit count has an implied leading zero: n digits are (n + 1) / 2
     * bytes) or {@code 0b} base64 (RFC 4648), either prefix in either case.
     */
    public static Optional<byte[]> parseBinary(String value) {
        if (value.length() < 3 || value.charAt(0) != '0') return Optional.empty();
        char p = value.charAt(1);
        String body = value.substring(2);
        if (p == 'x' || p == 'X') return parseHex(body);
        if (p == 'b' || p == 'B') {
            try {
                return Optional.of(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Encodes as a hex constant, lower case: {@code 0x00ff}. */
    public static String hex(byte[] data) {
        char[] out = new char[2 + data.length * 2];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < data.length; i++) {
            out[2 + 2 * i] = HEX[(data[i] >> 4) & 0xf];
            out[3 + 2 * i] = HEX[data[i] & 0xf];
        }
        return new String(out);
    }

    /** Encodes as a base64 constant: {@code 0b...}. */
    public static String base64(byte[] data) {
        return "0b" + Base64.getEncoder().encodeToString(data);
    }

    private static Optional<byte[]> parseHex(String digits) {
        if (!digits.chars().allMatch(TextValues::isHexDigit)) return Optional.empty();
        int n = digits.length();
        byte[] out = new byte[(n + 1) / 2];
        for (int i = n - 1, j = out.length - 1; i >= 0; i -= 2, j--) {
            int lo = Character.digit(digits.charAt(i), 16);
            int hi = i > 0 ? Character.digit(digits.charAt(i - 1), 16) : 0;
            out[j] = (byte) (hi << 4 | lo);
        }
        return Optional.of(out);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
