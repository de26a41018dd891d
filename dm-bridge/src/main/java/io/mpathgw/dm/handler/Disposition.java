package io.mpathgw.dm.handler;

/**
 * What a handler's {@code check_sense} tells the SCSI mid-layer to do with a command that ended in CHECK CONDITION
 * on normal I/O (enum scsi_disposition, spec §6.0). The path binding acts on it: retry on the same path, or complete
 * the request now with an error that dm treats as a path error, or fall back to the default classification of
 * spec §4.4.
 */
public enum Disposition {
    /** Retry the command on the same path; counts against the command's retries. */
    NEEDS_RETRY,
    /** Requeue the command on the same path without counting a retry. */
    ADD_TO_MLQUEUE,
    /** Complete the command now with its error: an I/O error, so dm fails the path and requeues the request. */
    SUCCESS,
    /** The handler has no opinion: SCSI_RETURN_NOT_HANDLED, the default sense classification applies. */
    NOT_HANDLED;

    /** The command goes to the same path again. */
    public boolean retries() {
        return this == NEEDS_RETRY || this == ADD_TO_MLQUEUE;
    }
}
