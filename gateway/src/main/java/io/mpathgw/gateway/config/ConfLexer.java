package io.mpathgw.gateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a multipath.conf-style file into words, by libmultipath's {@code alloc_strvec} rules: blanks separate words;
 * {@code #} or {@code !} outside quotes start a comment to the end of the line; {@code {} and {@code }} are words of
 * their own even without blanks around them; a double-quoted string is one word in which {@code #}, {@code !},
 * braces and blanks are literal and {@code ""} stands for one quote. gateway.conf uses the same rules.
 */
final class ConfLexer {

    private ConfLexer() {
    }

    /** The words of each line, in order; a string left open at the end of its line is an error. */
    static List<List<ConfToken>> lines(String text, String file) throws ConfException {
        List<List<ConfToken>> lines = new ArrayList<>();
        String[] raw = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < raw.length; i++) {
            List<ConfToken> words = words(raw[i], i + 1, file);
            if (!words.isEmpty()) lines.add(words);
        }
        return lines;
    }

    private static List<ConfToken> words(String s, int line, String file) throws ConfException {
        List<ConfToken> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || c == '!') {
                break;                                           // comment to the end of the line
            } else if (c == '{' || c == '}') {
                out.add(new ConfToken(String.valueOf(c), false, line));
                i++;
            } else if (c == '"') {
                i = quoted(s, i + 1, line, file, out);
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && "#!{}\"".indexOf(s.charAt(i)) < 0) i++;
                out.add(new ConfToken(s.substring(start, i), false, line));
            }
        }
        return out;
    }

    /** Reads a quoted word starting after its opening quote; returns the index after the closing quote. */
    private static int quoted(String s, int i, int line, String file, List<ConfToken> out) throws ConfException {
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '"') {   // "" inside a string is one quote
                    b.append('"');
                    i += 2;
                    continue;
                }
                out.add(new ConfToken(b.toString(), true, line));
                return i + 1;
            }
            b.append(c);
            i++;
        }
        String key = out.isEmpty() ? "\"" + b : out.get(0).text();
        throw new ConfException(file, line, key, "missing closing quote (expected: a '\"' before the end of the line)");
    }
}
