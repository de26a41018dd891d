package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * Answers a personality or a fault gives instead of the LU. Each takes the task, because whoever answers a task
 * owns its Data-Out and releases it exactly once ({@link io.mpathgw.iscsi.target.sbc.Interceptor}'s contract).
 */
final class Answers {

    /** 04/12: LOGICAL UNIT NOT READY, OFFLINE — a port group in the offline state (SPC-4 Table D.1, LIO's choice). */
    static final Sense NOT_READY_OFFLINE = Sense.of(Sense.NOT_READY, 0x04, 0x12);
    /** 94/01: not the current owner of the LUN; scsi_dh_rdac fails the path on it (spec §6.2). */
    static final Sense RDAC_NOT_OWNER = Sense.of(Sense.ILLEGAL_REQUEST, 0x94, 0x01);

    private Answers() {
    }

    /** CHECK CONDITION with {@code sense}; the task's Data-Out is released. */
    static CompletableFuture<ScsiResponse> check(ScsiTask task, Sense sense) {
        release(task);
        return CompletableFuture.completedFuture(checkCondition(sense));
    }

    static ScsiResponse checkCondition(Sense sense) {
        return new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense, Unpooled.EMPTY_BUFFER, 0, false, false);
    }

    /** GOOD with {@code data} (the target trims it to the allocation length); the Data-Out is released. */
    static CompletableFuture<ScsiResponse> good(ScsiTask task, byte[] data) {
        release(task);
        return CompletableFuture.completedFuture(ScsiResponse.good(Unpooled.wrappedBuffer(data)));
    }

    static CompletableFuture<ScsiResponse> good(ScsiTask task) {
        return good(task, new byte[0]);
    }

    static void release(ScsiTask task) {
        ReferenceCountUtil.release(task.dataOut());
    }

    /** The task's Data-Out as bytes (empty when none); does not release it. */
    static byte[] dataOut(ScsiTask task) {
        if (task.dataOut() == null) return new byte[0];
        byte[] b = new byte[task.dataOut().readableBytes()];
        task.dataOut().getBytes(task.dataOut().readerIndex(), b);
        return b;
    }
}
