package io.mpathgw.dm.engine;

/**
 * How a request ended on a path, as the block layer's blk_status_t (spec §4.4). {@link #isPathError()} is
 * blk_path_error(): a path error fails the path and requeues the request on another; any other error goes back to
 * the caller and leaves the path alone.
 */
public enum BlkStatus {
    OK(false),
    /** Not path errors: the command itself failed (spec §4.4, §9 "target error"). */
    NOTSUPP(false), NOSPC(false), TARGET(false), RESV_CONFLICT(false), MEDIUM(false), PROTECTION(false),
    /** Path errors: connection or session loss, timeouts, transport failures, most CHECK CONDITIONs. */
    IOERR(true), TRANSPORT(true), TIMEOUT(true), AGAIN(true), RESOURCE(true), DEV_RESOURCE(true), OFFLINE(true);

    private final boolean pathError;

    BlkStatus(boolean pathError) {
        this.pathError = pathError;
    }

    public boolean isPathError() {
        return pathError;
    }
}
