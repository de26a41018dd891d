package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.Sense;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What the LU keeps per I_T nexus: its pending unit attention conditions (SPC-4 §5.14). Any thread may add or take;
 * the queue is guarded by this object, and a volatile flag lets the hot path skip the lock when nothing is pending.
 *
 * <p>Order: the reset conditions (ASC 29h) come first, the others in the order they were established; a condition
 * already pending is not queued twice. The queue is bounded: when full, the oldest non-reset condition is dropped.
 */
final class ItNexus {

    private static final int CAPACITY = 16;

    final Nexus nexus;
    private final ArrayDeque<Sense> pending = new ArrayDeque<>(4);
    private volatile boolean any;

    ItNexus(Nexus nexus) {
        this.nexus = nexus;
    }

    synchronized void add(Sense ua) {
        for (Sense s : pending)
            if (s.matches(ua)) return;
        if (pending.size() == CAPACITY) dropOldestNonReset();
        if (isReset(ua)) {
            // after the other reset conditions, before everything else
            ArrayDeque<Sense> resets = new ArrayDeque<>();
            while (!pending.isEmpty() && isReset(pending.peekFirst())) resets.addLast(pending.pollFirst());
            resets.addLast(ua);
            while (!resets.isEmpty()) pending.addFirst(resets.pollLast());
        } else {
            pending.addLast(ua);
        }
        any = true;
    }

    /** Takes the condition to report next, or null when none is pending. */
    Sense take() {
        if (!any) return null;
        synchronized (this) {
            Sense s = pending.pollFirst();
            any = !pending.isEmpty();
            return s;
        }
    }

    boolean hasPending() {
        return any;
    }

    /** Clears every pending condition matching {@code ua} (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED). */
    synchronized void clear(Sense ua) {
        pending.removeIf(s -> s.matches(ua));
        any = !pending.isEmpty();
    }

    private void dropOldestNonReset() {
        for (Iterator<Sense> it = pending.iterator(); it.hasNext(); ) {
            if (!isReset(it.next())) {
                it.remove();
                return;
            }
        }
        pending.pollLast();
    }

    private static boolean isReset(Sense s) {
        return s.asc() == 0x29;
    }
}
