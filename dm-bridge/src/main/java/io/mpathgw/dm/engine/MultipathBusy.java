package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.QueueMode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * multipath_busy (spec §4.9): whether dm should hold back new requests for a while rather than map them — the
 * block layer's BLK_STS_RESOURCE for a request-based target. {@link #compute()} is the kernel's function on the
 * map's state; {@link #update()} publishes it after every map-thread event that may change it (a request mapped or
 * ended, an activation done, a message, a timer), and tells the listeners when it flips. {@link
 * MultipathBlockDevice} turns a busy map unwritable, so exports stop reading from their clients meanwhile.
 */
final class MultipathBusy {

    private final MultipathDevice m;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean published;

    MultipathBusy(MultipathDevice m) {
        this.m = m;
    }

    /**
     * multipath_busy on the map's state: busy while pg_init is in progress; with no valid path and
     * queue_if_no_path, busy only for a bio map (dm-rq relies on its delayed requeue instead); otherwise guess the
     * group of the next mapping (current_pg, or next_pg when no path is current) and report busy only when every
     * active path in it is busy (a group without an active path will not be used: not busy). Map thread only.
     */
    boolean compute() {
        if (m.pgInitInProgress > 0) return true;
        if (m.nrValidPaths == 0 && m.queueIfNoPath) return m.features.queueMode() == QueueMode.BIO;
        PriorityGroup pg = m.currentPg;
        if (m.currentPath == null && m.nextPg != null) pg = m.nextPg;
        if (pg == null) return false;       // unknown until choose_pgpath, which busy must not trigger: just map
        boolean hasActive = false;
        for (int i = 0, n = pg.paths.size(); i < n; i++) {      // indexed: no iterator per request
            Path p = pg.paths.get(i);
            if (!p.active) continue;
            if (!p.busy()) return false;    // the selector can choose this one
            hasActive = true;
        }
        return hasActive;
    }

    /** Map thread: recomputes, and runs the listeners (on this thread) if the answer changed. */
    void update() {
        boolean now = compute();
        if (now == published) return;
        published = now;
        for (Runnable l : listeners) l.run();
    }

    /** The last published answer; any thread. */
    boolean published() {
        return published;
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }
}
