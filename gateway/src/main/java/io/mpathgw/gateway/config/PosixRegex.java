package io.mpathgw.gateway.config;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A POSIX extended regular expression as multipath-tools compiles them ({@code regcomp(REG_EXTENDED|REG_NOSUB)},
 * matched with {@code regexec}: unanchored, so "LUN" matches "LUN C-Mode"), written out as a Java pattern. Outside
 * brackets ERE and Java agree for what multipath.conf files use; inside a bracket expression they do not: in ERE a
 * {@code [} is literal, a backslash is literal, {@code [:alpha:]} is a class and a leading {@code ]} is literal, so
 * bracket expressions are rewritten.
 */
record PosixRegex(String source, Pattern pattern) {

    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "0-9"), Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("upper", "\\p{Upper}"), Map.entry("lower", "\\p{Lower}"), Map.entry("space", "\\s"),
            Map.entry("blank", " \\t"), Map.entry("punct", "\\p{Punct}"), Map.entry("print", "\\p{Print}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("xdigit", "0-9A-Fa-f"));

    /** Compiles {@code ere}; the message of the exception says what is wrong with it. */
    static PosixRegex compile(String ere) throws PatternSyntaxException {
        return new PosixRegex(ere, Pattern.compile(toJava(ere)));
    }

    /** regexec() semantics: a match anywhere in {@code s}. */
    boolean find(String s) {
        return pattern.matcher(s).find();
    }

    static String toJava(String ere) {
        StringBuilder out = new StringBuilder(ere.length() + 8);
        int i = 0;
        while (i < ere.length()) {
            char c = ere.charAt(i);
            if (c == '[') {
                i = bracket(ere, i, out);
            } else {
                out.append(c);
                if (c == '\\' && i + 1 < ere.length()) out.append(ere.charAt(++i));
                i++;
            }
        }
        return out.toString();
    }

    /** Rewrites one bracket expression starting at {@code at}; returns the index after its closing ']'. */
    private static int bracket(String ere, int at, StringBuilder out) {
        int i = at + 1;
        StringBuilder b = new StringBuilder("[");
        if (i < ere.length() && ere.charAt(i) == '^') {
            b.append('^');
            i++;
        }
        boolean first = true;
        while (i < ere.length()) {
            char c = ere.charAt(i);
            if (c == ']' && !first) {
                out.append(b).append(']');
                return i + 1;
            }
            first = false;
            if (c == '[' && i + 1 < ere.length() && ere.charAt(i + 1) == ':') {
                int end = ere.indexOf(":]", i + 2);
                String cls = end < 0 ? null : CLASSES.get(ere.substring(i + 2, end));
                if (cls == null) throw new PatternSyntaxException("unknown character class", ere, i);
                b.append(cls);
                i = end + 2;
                continue;
            }
            if ("[]\\&^".indexOf(c) >= 0) b.append('\\');      // literal inside an ERE bracket, special in Java
            b.append(c);
            i++;
        }
        throw new PatternSyntaxException("unclosed bracket expression", ere, at);
    }
}
