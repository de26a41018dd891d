package io.mpathgw.gateway.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of format wildcards and the three things multipath-tools does with a format string: column widths over a
 * set of items, the header line and one line per item. The rules, as libmultipath's print.c applies them: text
 * between wildcards is copied; '%' and an unknown letter after it print nothing; every known field is padded with
 * spaces to its column's width (the last one too); each line ends with '\n'. A width is the longest value (and, for a
 * pretty table, the header), at most 255.
 */
public final class Wildcards<T> {

    static final int MAX_FIELD_WIDTH = 255;

    private final Map<Character, Field<T>> byLetter = new LinkedHashMap<>();

    @SafeVarargs
    Wildcards(Field<T>... fields) {
        for (Field<T> f : fields)
            if (byLetter.putIfAbsent(f.wildcard(), f) != null)
                throw new IllegalStateException("duplicate wildcard %" + f.wildcard());
    }

    /** The same wildcards with every value passed through {@code escape} (JSON strings). */
    Wildcards<T> mapped(java.util.function.UnaryOperator<String> escape) {
        Wildcards<T> w = new Wildcards<>();
        byLetter.values().forEach(f -> w.byLetter.put(f.wildcard(),
                new Field<>(f.wildcard(), f.header(), f.value().andThen(escape))));
        return w;
    }

    /** The fields in multipath-tools' order (what {@code show wildcards} lists). */
    public List<Field<T>> fields() {
        return List.copyOf(byLetter.values());
    }

    /** Column widths over {@code items}; with {@code header}, at least each header's length. */
    public Widths widths(List<T> items, boolean header) {
        Widths w = new Widths();
        for (Field<T> f : byLetter.values()) {
            int width = header ? f.header().length() : 0;
            for (T item : items)
                width = Math.max(width, Math.min(f.value().apply(item).length(), MAX_FIELD_WIDTH));
            w.put(f.wildcard(), width);
        }
        return w;
    }

    /** The header line of {@code format}: each wildcard replaced by its padded column header. */
    public String header(String format, Widths widths) {
        return render(format, widths, Field::header);
    }

    /** One item's line; {@code widths} null means no padding (multipathd's "raw" format). */
    public String line(T item, String format, Widths widths) {
        return render(format, widths, f -> f.value().apply(item));
    }

    private String render(String format, Widths widths, java.util.function.Function<Field<T>, String> text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            Field<T> f = i + 1 < format.length() ? byLetter.get(format.charAt(i + 1)) : null;
            i += 2;
            if (f == null) continue;                            // unknown wildcard: prints nothing
            String value = text.apply(f);
            out.append(value);
            if (widths != null) pad(out, widths.of(f.wildcard()) - value.length());
        }
        return out.append('\n').toString();
    }

    private static void pad(StringBuilder out, int n) {
        for (int k = 0; k < n; k++) out.append(' ');
    }

    /** Column widths by wildcard letter. */
    public static final class Widths {
        private final Map<Character, Integer> byLetter = new LinkedHashMap<>();

        void put(char wildcard, int width) {
            byLetter.put(wildcard, width);
        }

        /** The wider of both, column by column (a layout built over several sets of items). */
        Widths max(Widths other) {
            Widths w = new Widths();
            byLetter.forEach((k, v) -> w.put(k, Math.max(v, other.of(k))));
            return w;
        }

        int of(char wildcard) {
            return byLetter.getOrDefault(wildcard, 0);
        }
    }
}
