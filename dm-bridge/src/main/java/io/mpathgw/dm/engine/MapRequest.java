package io.mpathgw.dm.engine;

/** One request to a map, as dm-rq sees it: a size, and a completion the map calls exactly once. */
public interface MapRequest {

    long nrBytes();

    /** Called once, on the map thread: OK, the path's non-path error, or IOERR when no path is left. */
    void complete(BlkStatus status);

    /** What the request does, for the map's read/write counters ({@link MapStats}); a read unless told. */
    default ReqOp op() {
        return ReqOp.READ;
    }
}
