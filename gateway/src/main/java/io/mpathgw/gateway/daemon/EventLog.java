package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.model.EventView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway's event timeline: a ring of the last {@code capacity} events with increasing sequence numbers, and
 * listeners called for each new one. Events come from map threads, session event loops and API threads; the ring is
 * guarded by its own monitor, which is held only to copy a few references (never on the I/O path).
 */
final class EventLog {

    private static final Logger LOG = Logger.getLogger(EventLog.class.getName());

    private final EventView[] ring;
    private final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();
    private long seq;

    EventLog(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("event capacity: " + capacity + " (expected: >= 1)");
        ring = new EventView[capacity];
    }

    void add(String kind, String map, String path, String message) {
        EventView e;
        synchronized (this) {
            e = new EventView(++seq, Instant.now().toString(), kind, map, path, message);
            ring[(int) (e.seq() % ring.length)] = e;
        }
        LOG.fine(() -> e.kind() + " " + e.map() + " " + e.path() + ": " + e.message());
        for (Consumer<EventView> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "event listener threw " + ex + "; ignored", ex);
            }
        }
    }

    /** Events with seq &gt; {@code afterSeq} still in the ring, oldest first, at most {@code limit}. */
    synchronized List<EventView> after(long afterSeq, int limit) {
        List<EventView> out = new ArrayList<>();
        long first = Math.max(afterSeq + 1, seq - ring.length + 1);
        for (long s = Math.max(first, 1); s <= seq && out.size() < limit; s++) out.add(ring[(int) (s % ring.length)]);
        return out;
    }

    synchronized long lastSeq() {
        return seq;
    }

    AutoCloseable listen(Consumer<EventView> l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }
}
