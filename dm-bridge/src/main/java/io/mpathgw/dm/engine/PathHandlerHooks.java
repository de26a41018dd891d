package io.mpathgw.dm.engine;

import io.mpathgw.scsi.Sense;

/**
 * A hardware handler's say on the normal I/O of a path (struct scsi_device_handler's {@code prep_fn} and
 * {@code check_sense}, spec §6.0), as {@link ScsiPathIo} asks it. The handler package's attached handlers answer
 * these per path, through its {@code HandlerActivator} (which is the map's {@link PathActivator} too); {@link #NONE}
 * is a map without a handler. Called from any thread (the transports' I/O threads, the map thread);
 * implementations are thread-safe and never block, and use only {@link Path#name()} of the path.
 */
public interface PathHandlerHooks {

    /** enum scsi_disposition, as a handler's check_sense returns it. */
    enum SenseDisposition {
        /** Retry on the same path, counting a retry. */
        NEEDS_RETRY,
        /** Retry on the same path without counting one (bounded by the retry time). */
        ADD_TO_MLQUEUE,
        /** Complete the command now with its error: an I/O error, so dm fails the path and requeues the request. */
        SUCCESS,
        /** No opinion: the mid-layer's own classification ({@link ScsiOutcome#ofSense}) applies. */
        NOT_HANDLED
    }

    PathHandlerHooks NONE = new PathHandlerHooks() {
    };

    /** prep_fn: may a request go down {@code path} now? False completes it at once with a (quiet) path error. */
    default boolean admits(Path path) {
        return true;
    }

    /** check_sense for a CHECK CONDITION on normal I/O through {@code path}. */
    default SenseDisposition checkSense(Path path, Sense sense) {
        return SenseDisposition.NOT_HANDLED;
    }
}
