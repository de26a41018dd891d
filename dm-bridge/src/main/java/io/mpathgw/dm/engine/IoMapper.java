package io.mpathgw.dm.engine;

import java.util.ArrayDeque;

/**
 * Maps requests onto paths as request-based dm-mpath does (spec §4.2, §4.4): selection, pg_init before the first I/O
 * of a group, the delayed requeue (re-dispatched every {@value #DELAY_REQUEUE_MS} ms, or at once when kicked) while
 * no path is usable, start_io/end_io accounting, and failing a path on a path error. Map thread only.
 * <p>
 * Order: requests wait in one FIFO requeue list, and a request that arrives while a re-dispatch of that list is
 * pending goes behind it, so held I/O is drained in the order it came. The list is not bounded here: whoever
 * submits bounds it ({@link MultipathBlockDevice} admits a fixed number of outstanding requests).
 */
final class IoMapper {

    /** dm-rq's DM_MAPIO_DELAY_REQUEUE delay. */
    static final long DELAY_REQUEUE_MS = 100;
    /** blk-mq's BLK_MQ_RESOURCE_DELAY: a dispatch the path refused (queue full) is retried this soon. */
    static final long RESOURCE_DELAY_MS = 3;

    private final MultipathDevice m;
    private final PathIo pathIo;
    /** Requests waiting for a path or for pg_init (the blk-mq requeue list). */
    private final ArrayDeque<MappedIo> requeue = new ArrayDeque<>();
    /** Requests that arrived while the map was suspended(ing): dm core holds them until resume. */
    private final ArrayDeque<MapRequest> held = new ArrayDeque<>();
    private MapThread.Cancellable requeueTimer;
    private MapThread.Cancellable resourceTimer;
    private boolean kickPending;
    /** Requests are held because no path is usable (for the noPathQueueing event). */
    private boolean holdingForPath;
    int inFlight;

    IoMapper(MultipathDevice m, PathIo pathIo) {
        this.m = m;
        this.pathIo = pathIo;
    }

    /**
     * One request in flight through the map: struct dm_mpath_io. It is also the attempt's completion: the path's
     * {@link PathIo.Done} keeps the outcome and hands the request back to the map thread, where {@link #run()} ends
     * the attempt, so that mapping a request allocates this object and nothing else.
     */
    final class MappedIo implements PathIo.Done, Runnable {
        final MapRequest request;
        final long nrBytes;
        Path path;
        long startNanos;
        // the attempt's outcome: written on the path's thread before execute(this), read on the map thread after
        private BlkStatus status;
        private String cause;

        MappedIo(MapRequest request) {
            this.request = request;
            this.nrBytes = request.nrBytes();
        }

        /** Any thread, once per attempt. */
        @Override
        public void complete(BlkStatus status, String cause) {
            this.status = status;
            this.cause = cause;
            m.thread.execute(this);
        }

        /** Map thread. */
        @Override
        public void run() {
            BlkStatus s = status;
            String c = cause;
            status = null;
            cause = null;
            endIo(this, s, c);
        }
    }

    void submit(MapRequest request) {
        if (!m.isRunning()) {
            held.add(request);
        } else if (kickPending && !requeue.isEmpty()) {
            requeue.add(new MappedIo(request));     // behind the held requests the pending kick re-dispatches
        } else {
            map(new MappedIo(request));
        }
    }

    /** multipath_clone_and_map. */
    private void map(MappedIo io) {
        Path p = m.currentPath;
        if (p == null || !m.queueIo) p = m.choice.choose(io.nrBytes);   // steady state: a choice per request
        if (p == null) {
            noPath(io);
            return;
        }
        if (holdingForPath) holding(false, "path " + p.name() + " usable");
        if (m.queueIo || m.pgInitRequired) {
            m.pgInit.initAllPaths();
            delayRequeue(io);
            return;
        }
        io.path = p;
        io.startNanos = m.thread.nanoTime();
        p.stats().chosen(io.startNanos);
        inFlight++;
        p.inFlight++;
        p.refusedFull = false;              // trying again: full only if this one is refused too
        p.group().selector.startIo(p, io.nrBytes);
        pathIo.submit(p, io.request, io);
    }

    /** No path: held while queue_if_no_path (or a noflush suspend) says so, else failed. */
    private void noPath(MappedIo io) {
        if (m.mustPushBack()) {
            delayRequeue(io);
            if (!holdingForPath) holding(true, "no usable path");
        } else {
            if (holdingForPath) holding(false, "queue_if_no_path off: failing held I/O");
            complete(io, BlkStatus.IOERR);
        }
    }

    /** While mapping one of the held requests: the count includes it (it is off the list until requeued). */
    private void holding(boolean on, String cause) {
        holdingForPath = on;
        m.counters.holding(on, m.thread.nanoTime());
        m.events().noPathQueueing(on, on ? queued() : queued() + 1, cause);
    }

    /**
     * multipath_end_io: a path error fails the path and requeues, unless nothing could take the request. A dispatch
     * the path refused ({@link BlkStatus#DEV_RESOURCE}) is requeued without failing anything, as dm-rq does when the
     * clone cannot be dispatched (multipath_release_clone still ends the selector's accounting).
     */
    private void endIo(MappedIo io, BlkStatus status, String cause) {
        inFlight--;
        Path p = io.path;
        p.inFlight--;
        p.refusedFull = status == BlkStatus.DEV_RESOURCE;
        if (status != BlkStatus.DEV_RESOURCE) p.stats().ended(status, io.nrBytes, m.thread.nanoTime() - io.startNanos);
        if (status == BlkStatus.DEV_RESOURCE) {
            p.group().selector.endIo(p, io.nrBytes, io.startNanos);
            resourceRequeue(io);
            m.checkSuspended();
            m.updateBusy();
            return;
        }
        boolean again = false;
        if (status.isPathError()) {
            m.failPath(p, "I/O error " + status + (cause != null ? ": " + cause : ""));
            again = m.nrValidPaths > 0 || m.mustPushBack();
        }
        p.group().selector.endIo(p, io.nrBytes, io.startNanos);
        if (!again) {
            complete(io, status);
        } else if (status == BlkStatus.RESOURCE) {
            delayRequeue(io);
        } else {
            io.path = null;
            requeue.add(io);
            kick();
        }
        m.checkSuspended();
        m.updateBusy();
    }

    /** The map's verdict on a request, counted in the map's totals. */
    private void complete(MappedIo io, BlkStatus status) {
        m.counters.completed(io.request, status);
        io.request.complete(status);
    }

    private void delayRequeue(MappedIo io) {
        io.path = null;
        requeue.add(io);
        if (requeueTimer == null) requeueTimer = m.thread.schedule(this::requeueTimerFired, DELAY_REQUEUE_MS);
    }

    private void requeueTimerFired() {
        requeueTimer = null;
        dispatchRequeued();
        m.updateBusy();
    }

    private void resourceRequeue(MappedIo io) {
        io.path = null;
        requeue.add(io);
        if (resourceTimer == null) resourceTimer = m.thread.schedule(() -> {
            resourceTimer = null;
            dispatchRequeued();
            m.updateBusy();
        }, RESOURCE_DELAY_MS);
    }

    /** process_queued_io_list: re-dispatch the requeued requests soon, without waiting for the delay. */
    void kick() {
        if (kickPending) return;
        kickPending = true;
        m.thread.execute(() -> {
            kickPending = false;
            dispatchRequeued();
            m.updateBusy();
        });
    }

    private void dispatchRequeued() {
        if (!m.dispatchesRequeued()) return;    // a stopped queue keeps them until resume
        for (int n = requeue.size(); n > 0; n--) map(requeue.poll());
        m.checkSuspended();
    }

    /** After resume: the held requests in arrival order, then the requeued ones. */
    void resumed() {
        while (!held.isEmpty()) submit(held.poll());
        kick();
    }

    /** Requests the map holds: waiting for a path or pg_init, or held by a suspend. */
    int queued() {
        return requeue.size() + held.size();
    }

    /** Requests waiting for a path or pg_init. */
    int requeued() {
        return requeue.size();
    }
}
