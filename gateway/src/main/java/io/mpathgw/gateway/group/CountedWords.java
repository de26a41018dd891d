package io.mpathgw.gateway.group;

import java.util.ArrayList;
import java.util.List;

/**
 * A counted word list as multipath.conf gives {@code features}, {@code hardware_handler} and {@code path_selector}:
 * {@code "<n> <word>…"} for the first two, {@code "<name> <n> <arg>…"} for the selector. Parsed and re-counted here
 * so that removing or appending a feature keeps the count right, as multipath-tools' {@code add_feature} and
 * {@code remove_feature} do.
 */
final class CountedWords {

    private CountedWords() {
    }

    /** The words after the count of {@code "<n> <word>…"}; the count must match. */
    static List<String> parse(String field, String value) {
        List<String> words = split(field, value);
        if (words.isEmpty() || !isCount(words.get(0)) || Integer.parseInt(words.get(0)) != words.size() - 1)
            throw new IllegalArgumentException(field + ": \"" + value + "\" (expected: a count followed by that many"
                    + " words, e.g. \"0\" or \"2 pg_init_retries 50\")");
        return new ArrayList<>(words.subList(1, words.size()));
    }

    /** {@code "<n> <word>…"} with n recomputed. */
    static String format(List<String> words) {
        StringBuilder sb = new StringBuilder().append(words.size());
        for (String w : words) sb.append(' ').append(w);
        return sb.toString();
    }

    /** A selector {@code "<name> <n> <arg>…"} with its count checked, normalised to single blanks. */
    static String selector(String value) {
        List<String> words = split("path_selector", value);
        if (words.size() < 2 || !isCount(words.get(1)) || Integer.parseInt(words.get(1)) != words.size() - 2)
            throw new IllegalArgumentException("path_selector: \"" + value + "\" (expected: a selector name, a count"
                    + " and that many args, e.g. \"service-time 0\")");
        return String.join(" ", words);
    }

    private static List<String> split(String field, String value) {
        if (value == null) throw new IllegalArgumentException(field + ": null (expected: a counted word list)");
        String trimmed = value.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static boolean isCount(String word) {
        return word.length() <= 4 && word.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
