package io.mpathgw.dm.engine;

/**
 * Counters of one path device (multipathd's per-path view, kept by the engine): attempts that ended on it, their
 * bytes and latency, the errors they ended with, and when the path was last chosen. Written on the map thread only,
 * in plain fields, where the attempt is mapped and ended (no lock, no allocation per I/O); read them, or take a
 * {@link #snapshot()} to hand to another thread, on the map thread too. A reload keeps the counters of a device that
 * stays in the table (its entries share them).
 */
public final class PathStats {

    long completed;
    long bytes;
    long pathErrors;
    long transportErrors;
    long deviceErrors;
    long latencyNanos;
    long lastChosenNanos;

    PathStats() {
    }

    /** An attempt left for this path at {@code nanos} (the map thread's clock). */
    void chosen(long nanos) {
        lastChosenNanos = nanos;
    }

    /**
     * An attempt ended here after {@code nanos}: OK, a path error (it failed the path) or the device's own error.
     * Refusals for a full queue (DEV_RESOURCE) were never sent and are not counted.
     */
    void ended(BlkStatus status, long nrBytes, long nanos) {
        completed++;
        latencyNanos += nanos;
        if (status == BlkStatus.OK) bytes += nrBytes;
        else if (status.isPathError()) {
            pathErrors++;
            if (status == BlkStatus.TRANSPORT || status == BlkStatus.TIMEOUT || status == BlkStatus.OFFLINE)
                transportErrors++;
        } else {
            deviceErrors++;
        }
    }

    /** Attempts that ended on this path (OK or not). */
    public long completed() {
        return completed;
    }

    /** Bytes of the attempts that ended OK. */
    public long bytes() {
        return bytes;
    }

    /**
     * Attempts that ended with a path error (blk_path_error: transport loss, timeouts, and the CHECK CONDITIONs the
     * kernel counts as path errors); each failed the path and was requeued or failed.
     */
    public long pathErrors() {
        return pathErrors;
    }

    /**
     * The path errors where the device gave no answer: the connection was lost, the command timed out or the session
     * is gone (TRANSPORT, TIMEOUT, OFFLINE, as {@link ScsiOutcome#ofTransport} maps them). Not included: an iSCSI
     * protocol error or an abort, which the mid-layer reports as IOERR like most CHECK CONDITIONs.
     */
    public long transportErrors() {
        return transportErrors;
    }

    /** Attempts that ended with the LU's own error (MEDIUM, TARGET, RESV_CONFLICT…), returned to the client. */
    public long deviceErrors() {
        return deviceErrors;
    }

    /** Sum over the ended attempts of the time from dispatch to completion on the map thread, in ns. */
    public long latencyNanos() {
        return latencyNanos;
    }

    /** The map thread's nanoTime when an attempt was last sent down this path; 0 if never. */
    public long lastChosenNanos() {
        return lastChosenNanos;
    }

    public Snapshot snapshot() {
        return new Snapshot(completed, bytes, pathErrors, transportErrors, deviceErrors, latencyNanos,
                lastChosenNanos);
    }

    /** The counters at one moment, for any thread. */
    public record Snapshot(long completed, long bytes, long pathErrors, long transportErrors, long deviceErrors,
                           long latencyNanos, long lastChosenNanos) {

        /** Mean latency of the ended attempts in ns; 0 without any. */
        public long meanLatencyNanos() {
            return completed == 0 ? 0 : latencyNanos / completed;
        }
    }
}
