package io.mpathgw.dm.engine;

/**
 * multipath.conf's {@code no_path_retry} (spec §4.10), the userspace half of queueing that multipathd runs on top of
 * the kernel's queue_if_no_path: {@link #FAIL} never queues, {@link #QUEUE} queues for ever, a number N queues for N
 * checker intervals after the last path is lost and then fails the queued I/O; {@link #UNDEF} leaves the table's
 * features alone. Values as multipath-tools keeps them: -1 fail, -2 queue, 0 undefined, N &gt; 0.
 */
public record NoPathRetry(int value) {

    public static final NoPathRetry UNDEF = new NoPathRetry(0);
    public static final NoPathRetry FAIL = new NoPathRetry(-1);
    public static final NoPathRetry QUEUE = new NoPathRetry(-2);

    public NoPathRetry {
        if (value < -2)
            throw new IllegalArgumentException("no_path_retry: " + value + " (expected: -2 queue, -1 fail, 0 undef or N > 0)");
    }

    /** Queue for {@code checks} checker intervals, then fail. */
    public static NoPathRetry checks(int checks) {
        if (checks < 1) throw new IllegalArgumentException("no_path_retry: " + checks + " (expected: >= 1 checks)");
        return new NoPathRetry(checks);
    }

    /** multipath.conf's words: {@code fail} (or {@code 0}), {@code queue}, or a number of checks. */
    public static NoPathRetry parse(String word) {
        if (word.equals("fail") || word.equals("0")) return FAIL;
        if (word.equals("queue")) return QUEUE;
        try {
            int n = Integer.parseInt(word);
            if (n > 0) return new NoPathRetry(n);
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("invalid value for no_path_retry: \"" + word
                + "\" (expected: queue, fail or a number)");
    }

    /** N &gt; 0: queue for a number of checks. */
    public boolean counts() {
        return value > 0;
    }

    /** Whether the kernel table gets queue_if_no_path: {@code queue} or N &gt; 0. */
    public boolean queues() {
        return value == QUEUE.value || value > 0;
    }

    @Override
    public String toString() {
        return switch (value) {
            case -2 -> "queue";
            case -1 -> "fail";
            case 0 -> "undef";
            default -> Integer.toString(value);
        };
    }
}
