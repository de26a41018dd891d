package io.mpathgw.dm.table;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a table's params or a target message into words as dm core's {@code dm_split_args} does (spec §1.1):
 * blank separated; a backslash makes the next character literal (so a word can hold a blank); a lone backslash at
 * the very end stays a backslash.
 */
public final class DmArgs {

    private DmArgs() {
    }

    public static List<String> split(String input) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int k = 0;
        int n = input.length();
        while (true) {
            while (k < n && isSpace(input.charAt(k))) k++;
            if (k == n) return words;
            word.setLength(0);
            while (k < n && !isSpace(input.charAt(k))) {
                char c = input.charAt(k);
                if (c == '\\' && k + 1 < n) {
                    word.append(input.charAt(k + 1));
                    k += 2;
                } else {
                    word.append(c);
                    k++;
                }
            }
            words.add(word.toString());
        }
    }

    /** The kernel's isspace() on ASCII: blank, \t, \n, \v, \f, \r. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** strcasecmp() == 0: ASCII letters fold, nothing else does (Java's equalsIgnoreCase folds beyond ASCII). */
    public static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) return false;
        for (int k = 0; k < a.length(); k++)
            if (lower(a.charAt(k)) != lower(b.charAt(k))) return false;
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
