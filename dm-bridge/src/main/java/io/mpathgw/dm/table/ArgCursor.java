package io.mpathgw.dm.table;

import java.util.List;

/** struct dm_arg_set: the words of a table, read front to back. */
final class ArgCursor {

    private final List<String> words;
    private int next;

    ArgCursor(List<String> words) {
        this.words = words;
    }

    /** The next word, or null when none is left (dm_shift_arg). */
    String shift() {
        return next < words.size() ? words.get(next++) : null;
    }

    int remaining() {
        return words.size() - next;
    }

    /** The next {@code n} words, consumed (the caller has checked that they exist). */
    List<String> take(int n) {
        List<String> taken = List.copyOf(words.subList(next, next + n));
        next += n;
        return taken;
    }

    /** 1-based number of the word {@link #shift()} returns next, for error details. */
    int position() {
        return next + 1;
    }
}
