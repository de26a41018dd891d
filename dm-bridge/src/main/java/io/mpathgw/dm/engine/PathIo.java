package io.mpathgw.dm.engine;

import java.util.function.Consumer;

/**
 * Sends a mapped request down one path: {@link ScsiPathIo} binds it to {@code io.mpathgw.scsi.ScsiTransport} (one
 * session per path); tests bind it to a script.
 */
@FunctionalInterface
public interface PathIo {

    /**
     * Called on the map thread. {@code done} is called exactly once, from any thread, with the request's outcome on
     * this path; the map hops back onto its own thread.
     */
    void submit(Path path, MapRequest request, Done done);

    /**
     * The outcome of one attempt on one path (multipath_end_io's {@code error}). Besides the statuses of a completed
     * request, {@link BlkStatus#DEV_RESOURCE} means "not dispatched": the path's queue is full (blk-mq's
     * BLK_STS_DEV_RESOURCE from queue_rq); the map requeues the request without failing the path.
     */
    interface Done extends Consumer<BlkStatus> {

        /** {@code cause}: what went wrong, in words for the path-failed event and the client's error; may be null. */
        void complete(BlkStatus status, String cause);

        @Override
        default void accept(BlkStatus status) {
            complete(status, null);
        }
    }
}
