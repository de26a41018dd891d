package io.mpathgw.iscsi.target.sbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Holds on LBA ranges that make COMPARE AND WRITE and ORWRITE atomic (SBC-3 §5.2: the compare and the write are one
 * operation with respect to other commands). Writes take shared holds, which never wait for one another; the
 * read-modify-write commands take exclusive holds, which wait for every earlier overlapping hold and make later
 * overlapping ones wait. Grants are first come, first served, so an exclusive hold is not starved by a stream of
 * writes.
 *
 * <p>Thread-safe. The hot path (a write while no exclusive hold exists) appends to a list and returns a completed
 * future. Futures are completed outside the monitor, so continuations never run under it.
 */
final class LbaRangeLock {

    /** One hold; release it exactly once. */
    final class Hold {
        final long lba;
        final long end;
        final boolean exclusive;
        private final CompletableFuture<Hold> granted = new CompletableFuture<>();
        private Hold prev;
        private Hold next;
        private boolean isGranted;

        private Hold(long lba, long blocks, boolean exclusive) {
            this.lba = lba;
            this.end = lba + Math.max(blocks, 1);
            this.exclusive = exclusive;
        }

        boolean conflicts(Hold o) {
            return (exclusive || o.exclusive) && lba < o.end && o.lba < end;
        }

        void release() {
            LbaRangeLock.this.release(this);
        }
    }

    private Hold head;
    private Hold tail;
    private int exclusiveCount;
    private int size;

    /** Asks for a hold on {@code [lba, lba + blocks)}; the future completes when it is granted. */
    CompletableFuture<Hold> acquire(long lba, long blocks, boolean exclusive) {
        Hold h = new Hold(lba, blocks, exclusive);
        boolean now;
        synchronized (this) {
            link(h);
            if (exclusive) exclusiveCount++;
            now = exclusiveCount == 0 || !blockedByEarlier(h);
            h.isGranted = now;
        }
        if (now) h.granted.complete(h);
        return h.granted;
    }

    private void release(Hold h) {
        List<Hold> grant = new ArrayList<>(2);
        synchronized (this) {
            if (h.prev == null && head != h) return;     // released twice
            unlink(h);
            if (h.exclusive) exclusiveCount--;
            for (Hold w = head; w != null; w = w.next) {
                if (!w.isGranted && !blockedByEarlier(w)) {
                    w.isGranted = true;
                    grant.add(w);
                }
            }
        }
        for (Hold w : grant) w.granted.complete(w);
    }

    /** Holds in the table, granted or waiting (for tests). */
    synchronized int size() {
        return size;
    }

    private boolean blockedByEarlier(Hold h) {
        for (Hold e = head; e != h; e = e.next)
            if (e.conflicts(h)) return true;
        return false;
    }

    private void link(Hold h) {
        h.prev = tail;
        if (tail == null) head = h;
        else tail.next = h;
        tail = h;
        size++;
    }

    private void unlink(Hold h) {
        if (h.prev == null) head = h.next;
        else h.prev.next = h.next;
        if (h.next == null) tail = h.prev;
        else h.next.prev = h.prev;
        h.prev = null;
        h.next = null;
        size--;
    }
}
