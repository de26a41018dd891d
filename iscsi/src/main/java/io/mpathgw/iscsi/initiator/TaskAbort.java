package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.TransportException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What happens when a command's timeout expires (as the kernel's SCSI error handler escalates): ABORT TASK
 * first; if the target confirms, the command fails with TIMEOUT and the session carries on. If the abort itself
 * gets no answer within the abort timeout, the connection is dropped, failing everything outstanding — the
 * path is sick, and nothing the old connection holds may still be in flight when the caller retries elsewhere.
 */
final class TaskAbort {

    private TaskAbort() {
    }

    static void start(Connection conn, Task t) {
        t.aborting = true;
        CompletableFuture<Integer> f = tmf(conn, TaskManagement.ABORT_TASK, t.lun, t.itt, t.cmdSn);
        var guard = conn.channel.eventLoop().schedule(() -> {
            String why = String.format("ABORT TASK for timed-out ITT 0x%08x unanswered", t.itt);
            // the command itself timed out; the others fail with CONNECTION_LOST when the socket is closed
            conn.close(why);
            conn.failOnClose(t, new TransportException(TransportException.Kind.TIMEOUT, why));
        }, conn.session.config().abortTimeout().toNanos(), TimeUnit.NANOSECONDS);
        f.whenComplete((response, err) -> {
            guard.cancel(false);
            if (err != null || !conn.hasTask(t)) return;       // connection closed: already failed
            if (response == TaskManagement.FUNCTION_COMPLETE || response == TaskManagement.TASK_DOES_NOT_EXIST) {
                conn.finish(t, new TransportException(TransportException.Kind.TIMEOUT, String.format(
                        "command timed out and was aborted (ITT 0x%08x, CDB opcode 0x%02x)", t.itt, t.command.cdb()[0] & 0xff)));
            } else {
                conn.close(String.format("ABORT TASK for timed-out ITT 0x%08x answered '%s'",
                        t.itt, TaskManagement.responseName(response)));
            }
        });
    }

    /** Sends a TMF request (immediate, RFC 7143 §11.5) and completes with the TMF response code. */
    static CompletableFuture<Integer> tmf(Connection conn, TaskManagement fn, long lun, int rtt, int refCmdSn) {
        Pdu pdu = Pdu.create(conn.channel.alloc(), Opcode.TASK_MGMT_REQUEST, null);
        pdu.bhs().function(fn.function).lun(lun).referencedTaskTag(rtt)
                .refCmdSn(fn == TaskManagement.ABORT_TASK ? refCmdSn : 0);
        if (fn != TaskManagement.ABORT_TASK) pdu.bhs().referencedTaskTag(0xffffffff);
        return conn.request(pdu, true).thenApply(rsp -> {
            try {
                return rsp.bhs().response();
            } finally {
                rsp.release();
            }
        });
    }
}
