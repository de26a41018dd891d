package io.mpathgw.dm.engine;

import java.util.ArrayDeque;

/**
 * Maps requests onto paths as request-based dm-mpath does (spec §4.2, §4.4): selection, pg_init before the first I/O
 * of a group, the delayed requeue (re-dispatched every {@value #DELAY_REQUEUE_MS} ms, or at once when kicked) while
 * no path is usable, start_io/end_io accounting, and failing a path on a path error. Map thread only.
 * <p>
 * Not yet here (next step of issue 8): bounds and back-pressure on the queues, the no-path timeout.
 */
final class IoMapper {

    /** dm-rq's DM_MAPIO_DELAY_REQUEUE delay. */
    static final long DELAY_REQUEUE_MS = 100;

    private final MultipathDevice m;
    private final PathIo pathIo;
    /** Requests waiting for a path or for pg_init (the blk-mq requeue list). */
    private final ArrayDeque<MappedIo> requeue = new ArrayDeque<>();
    /** Requests that arrived while the map was suspended(ing): dm core holds them until resume. */
    private final ArrayDeque<MapRequest> held = new ArrayDeque<>();
    private MapThread.Cancellable requeueTimer;
    private boolean kickPending;
    int inFlight;

    IoMapper(MultipathDevice m, PathIo pathIo) {
        this.m = m;
        this.pathIo = pathIo;
    }

    /** One request in flight through the map: struct dm_mpath_io. */
    static final class MappedIo {
        final MapRequest request;
        final long nrBytes;
        Path path;
        long startNanos;

        MappedIo(MapRequest request) {
            this.request = request;
            this.nrBytes = request.nrBytes();
        }
    }

    void submit(MapRequest request) {
        if (m.isRunning()) map(new MappedIo(request));
        else held.add(request);
    }

    /** multipath_clone_and_map. */
    private void map(MappedIo io) {
        Path p = m.currentPath;
        if (p == null || !m.queueIo) p = m.choice.choose(io.nrBytes);   // steady state: a choice per request
        if (p == null) {
            if (m.mustPushBack()) delayRequeue(io);
            else io.request.complete(BlkStatus.IOERR);
            return;
        }
        if (m.queueIo || m.pgInitRequired) {
            m.pgInit.initAllPaths();
            delayRequeue(io);
            return;
        }
        io.path = p;
        io.startNanos = m.thread.nanoTime();
        inFlight++;
        p.group().selector.startIo(p, io.nrBytes);
        pathIo.submit(p, io.request, status -> m.thread.execute(() -> endIo(io, status)));
    }

    /** multipath_end_io: a path error fails the path and requeues, unless nothing could take the request. */
    private void endIo(MappedIo io, BlkStatus status) {
        inFlight--;
        Path p = io.path;
        boolean again = false;
        if (status.isPathError()) {
            m.failPath(p);
            again = m.nrValidPaths > 0 || m.mustPushBack();
        }
        p.group().selector.endIo(p, io.nrBytes, io.startNanos);
        if (!again) {
            io.request.complete(status);
        } else if (status == BlkStatus.RESOURCE) {
            delayRequeue(io);
        } else {
            requeue.add(io);
            kick();
        }
        m.checkSuspended();
    }

    private void delayRequeue(MappedIo io) {
        io.path = null;
        requeue.add(io);
        if (requeueTimer == null) requeueTimer = m.thread.schedule(this::requeueTimerFired, DELAY_REQUEUE_MS);
    }

    private void requeueTimerFired() {
        requeueTimer = null;
        dispatchRequeued();
    }

    /** process_queued_io_list: re-dispatch the requeued requests soon, without waiting for the delay. */
    void kick() {
        if (kickPending) return;
        kickPending = true;
        m.thread.execute(() -> {
            kickPending = false;
            dispatchRequeued();
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
