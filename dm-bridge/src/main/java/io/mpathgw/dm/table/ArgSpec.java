package io.mpathgw.dm.table;

/**
 * struct dm_arg: one count the kernel reads with {@code dm_read_arg} / {@code dm_read_arg_group}, its range and the
 * single ti->error string that a missing word, a non-number and an out-of-range value all produce (spec §1.1).
 */
public record ArgSpec(long min, long max, String error) {

    /** dm_read_arg. */
    long read(ArgCursor as) throws TableException {
        return read(as, false);
    }

    /** dm_read_arg_group: additionally, the count may not exceed the words left after it. */
    long readGroup(ArgCursor as) throws TableException {
        return read(as, true);
    }

    private long read(ArgCursor as, boolean grouped) throws TableException {
        int at = as.position();
        String word = as.shift();
        if (word == null) throw fail(at, "missing", "");
        long v = KernelNumbers.scanUnsigned(word);
        if (v == KernelNumbers.INVALID || v < min || v > max) throw fail(at, "'" + word + "'", "");
        if (grouped && v > as.remaining())
            throw fail(at, "'" + word + "'", ", and at most " + as.remaining() + " words left");
        return v;
    }

    private TableException fail(int at, String value, String more) {
        return new TableException(error, "token " + at + ": " + value + " (expected: " + min + ".." + max + more + ")");
    }
}
