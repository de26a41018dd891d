package io.mpathgw.gateway.failover;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every write of a {@link StampStream}, indexed by its sequence number (1, 2, …): the block it went to, when it was
 * sent and when its reply came (0: none yet), and how it ended. Chunks are made by the sending thread before the
 * sequence is used; each slot has one writer at a time (sender, then receiver).
 */
final class OpLog {

    static final byte PENDING = 0, OK = 1, ERROR = 2;
    private static final int CHUNK = 1 << 16;

    private static final class Chunk {
        final long[] issued = new long[CHUNK];
        final long[] completed = new long[CHUNK];
        final int[] block = new int[CHUNK];
        final byte[] status = new byte[CHUNK];
    }

    private final AtomicReferenceArray<Chunk> chunks = new AtomicReferenceArray<>(1 << 14);
    private volatile long last;                                        // highest sequence issued

    private Chunk chunk(long seq) {
        return chunks.get((int) (seq / CHUNK));
    }

    void issued(long seq, int block, long nanos) {
        int c = (int) (seq / CHUNK);
        if (c >= chunks.length()) throw new IllegalStateException("op log full at " + seq + " writes");
        if (chunks.get(c) == null) chunks.set(c, new Chunk());
        Chunk k = chunks.get(c);
        int i = (int) (seq % CHUNK);
        k.block[i] = block;
        k.issued[i] = nanos;
        last = seq;
    }

    void completed(long seq, boolean ok, long nanos) {
        Chunk k = chunk(seq);
        int i = (int) (seq % CHUNK);
        k.completed[i] = nanos;
        k.status[i] = ok ? OK : ERROR;
    }

    long last() {
        return last;
    }

    int block(long seq) {
        return chunk(seq).block[(int) (seq % CHUNK)];
    }

    long issuedAt(long seq) {
        return chunk(seq).issued[(int) (seq % CHUNK)];
    }

    long completedAt(long seq) {
        return chunk(seq).completed[(int) (seq % CHUNK)];
    }

    byte status(long seq) {
        return chunk(seq).status[(int) (seq % CHUNK)];
    }

    /** Sorted completion times (OK or error) in [from, to]. */
    long[] completions(long from, long to) {
        long n = last();
        long[] t = new long[16];
        int k = 0;
        for (long s = 1; s <= n; s++) {
            long c = completedAt(s);
            if (c == 0 || c < from || c > to) continue;
            if (k == t.length) t = Arrays.copyOf(t, k * 2);
            t[k++] = c;
        }
        t = Arrays.copyOf(t, k);
        Arrays.sort(t);
        return t;
    }

    /**
     * The stall of the stream around {@code [from, to]}: the longest gap between consecutive completions (the
     * window's ends count as completions only when the stream had one before/after them), in nanoseconds.
     */
    long longestGap(long from, long to) {
        long[] t = completions(from, to);
        if (t.length == 0) return to - from;
        long worst = 0;
        for (int i = 1; i < t.length; i++) worst = Math.max(worst, t[i] - t[i - 1]);
        return worst;
    }

    /** The slowest write sent in [from, to] (still pending ones count until {@code now}), in nanoseconds. */
    long slowest(long from, long to, long now) {
        long n = last(), worst = 0;
        for (long s = 1; s <= n; s++) {
            long i = issuedAt(s);
            if (i < from || i > to) continue;
            long c = completedAt(s);
            worst = Math.max(worst, (c == 0 ? now : c) - i);
        }
        return worst;
    }

    /** Writes that ended in an error and were sent in [from, to]. */
    int errors(long from, long to) {
        long n = last();
        int e = 0;
        for (long s = 1; s <= n; s++)
            if (status(s) == ERROR && issuedAt(s) >= from && issuedAt(s) <= to) e++;
        return e;
    }

    /** The first error's completion time, or 0. */
    long firstError() {
        long n = last(), first = Long.MAX_VALUE;
        for (long s = 1; s <= n; s++)
            if (status(s) == ERROR) first = Math.min(first, completedAt(s));
        return first == Long.MAX_VALUE ? 0 : first;
    }
}
