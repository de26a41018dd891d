package io.mpathgw.iscsi.initiator;

import io.mpathgw.scsi.DataDirection;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.util.concurrent.CompletableFuture;

/**
 * One SCSI command from submission to completion, touched only on the session's event loop. Collects Data-In
 * segments as components of a composite buffer (no copy) and keeps the Data-Out buffer until completion, so
 * that R2Ts can slice it.
 */
final class Task {

    /** Data-In composites never consolidate: a 1 MiB read in 8 KiB segments is 128 components. */
    private static final int MAX_COMPONENTS = 4096;

    final ScsiCommand command;
    final long lun;
    final CompletableFuture<ScsiResponse> future;
    int itt;
    int cmdSn;
    boolean sent;
    /** Bytes of Data-Out already sent unsolicited (immediate + unsolicited Data-Out). */
    int unsolicitedSent;
    int outstandingR2ts;
    /** System.nanoTime() after which the connection's ticker times the command out. */
    long deadline;
    boolean aborting;
    /** What the task fails with when its connection closes (its own timeout), instead of CONNECTION_LOST. */
    TransportException closeFailure;
    private CompositeByteBuf dataIn;
    private int nextDataSn;
    private boolean dataOutReleased;

    Task(ScsiCommand command, long lun, CompletableFuture<ScsiResponse> future) {
        this.command = command;
        this.lun = lun;
        this.future = future;
    }

    boolean isWrite() {
        return command.direction() == DataDirection.WRITE;
    }

    boolean isRead() {
        return command.direction() == DataDirection.READ;
    }

    /** The Data-Out buffer, or null. Owned by the task until {@link #finish}. */
    ByteBuf dataOut() {
        return command.dataOut();
    }

    /**
     * Appends one Data-In segment. DataPDUInOrder=Yes and DataSequenceInOrder=Yes (what we negotiate), so each
     * segment must start where the previous one ended.
     *
     * @param data a segment the caller owns; retained here when kept
     */
    void addDataIn(ByteBufAllocator alloc, int dataSn, int bufferOffset, ByteBuf data) {
        int have = dataIn == null ? 0 : dataIn.readableBytes();
        if (dataSn != nextDataSn)
            throw new IscsiProtocolException(String.format("DataSN: %d (expected: %d); ITT 0x%08x",
                    dataSn, nextDataSn, itt));
        if (bufferOffset != have)
            throw new IscsiProtocolException(String.format("Buffer Offset: %d (expected: %d, DataPDUInOrder=Yes); ITT 0x%08x",
                    bufferOffset, have, itt));
        if ((long) have + data.readableBytes() > command.expectedLength())
            throw new IscsiProtocolException(String.format(
                    "Data-In length: %d (expected: <= Expected Data Transfer Length %d); ITT 0x%08x",
                    have + data.readableBytes(), command.expectedLength(), itt));
        nextDataSn++;
        if (!data.isReadable()) return;
        if (dataIn == null) dataIn = alloc.compositeBuffer(MAX_COMPONENTS);
        dataIn.addComponent(true, data.retain());
    }

    /** Completes with the device's answer; releases the Data-Out buffer. */
    void complete(ByteBufAllocator alloc, int status, Sense sense, int residual, boolean underflow, boolean overflow) {
        releaseDataOut();
        ByteBuf data = dataIn != null ? dataIn : Unpooled.EMPTY_BUFFER;
        dataIn = null;
        ScsiResponse response = new ScsiResponse(status, sense, data, residual, underflow, overflow);
        if (!future.complete(response)) response.release();
    }

    /** Completes with a transport failure; releases everything the task holds. */
    void fail(Throwable e) {
        releaseDataOut();
        if (dataIn != null) {
            dataIn.release();
            dataIn = null;
        }
        future.completeExceptionally(e);
    }

    private void releaseDataOut() {
        ByteBuf out = command.dataOut();
        if (out != null && !dataOutReleased) {
            dataOutReleased = true;
            out.release();
        }
    }

}
