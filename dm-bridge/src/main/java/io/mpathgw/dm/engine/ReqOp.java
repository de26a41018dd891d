package io.mpathgw.dm.engine;

/** What a request does, as the block layer's req_op names it; the map counts reads and writes by it. */
public enum ReqOp {
    READ, WRITE, FLUSH, DISCARD, WRITE_SAME;

    /** Moves data to the device (WRITE and WRITE SAME). */
    public boolean isWrite() {
        return this == WRITE || this == WRITE_SAME;
    }
}
