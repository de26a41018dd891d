package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * The device's answer to a {@link ScsiCommand}: SCSI status, sense and Data-In. Transport failures never
 * arrive here; they complete the future exceptionally with a {@link TransportException}.
 *
 * <p>The caller owns {@link #data()} and must {@link #release()} the response once done with it.
 *
 * @param status   SCSI status byte (SAM-5 Table 37): 0x00 GOOD, 0x02 CHECK CONDITION, 0x08 BUSY…
 * @param sense    parsed sense data, or {@code null} when the target sent none
 * @param data     Data-In received (possibly empty, never null); owned by the caller
 * @param residual residual count from the SCSI Response (bytes not transferred, or in excess)
 * @param underflow U bit: fewer bytes transferred than Expected Data Transfer Length
 * @param overflow  O bit: the target had more bytes than Expected Data Transfer Length
 */
public record ScsiResponse(int status, Sense sense, ByteBuf data, int residual, boolean underflow, boolean overflow)
        implements ReferenceCounted {

    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int CONDITION_MET = 0x04;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;
    public static final int ACA_ACTIVE = 0x30;
    public static final int TASK_ABORTED = 0x40;

    public static ScsiResponse good(ByteBuf data) {
        return new ScsiResponse(GOOD, null, data, 0, false, false);
    }

    public boolean isGood() {
        return status == GOOD || status == CONDITION_MET;
    }

    /** Name of the status byte, for logs and errors. */
    public static String statusName(int status) {
        return switch (status) {
            case GOOD -> "GOOD";
            case CHECK_CONDITION -> "CHECK CONDITION";
            case CONDITION_MET -> "CONDITION MET";
            case BUSY -> "BUSY";
            case RESERVATION_CONFLICT -> "RESERVATION CONFLICT";
            case TASK_SET_FULL -> "TASK SET FULL";
            case ACA_ACTIVE -> "ACA ACTIVE";
            case TASK_ABORTED -> "TASK ABORTED";
            default -> String.format("0x%02x", status);
        };
    }

    @Override
    public String toString() {
        return statusName(status) + (sense != null ? " " + sense : "") + ", " + data.readableBytes() + " bytes"
                + (underflow ? ", underflow " + residual : "") + (overflow ? ", overflow " + residual : "");
    }

    @Override public int refCnt() { return data.refCnt(); }
    @Override public ScsiResponse retain() { data.retain(); return this; }
    @Override public ScsiResponse retain(int increment) { data.retain(increment); return this; }
    @Override public ScsiResponse touch() { data.touch(); return this; }
    @Override public ScsiResponse touch(Object hint) { data.touch(hint); return this; }
    @Override public boolean release() { return data.release(); }
    @Override public boolean release(int decrement) { return data.release(decrement); }

    static ByteBuf empty() { return Unpooled.EMPTY_BUFFER; }
}
