package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.TransportException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * What happens when a command's timeout expires: a bounded escalation, as the kernel's SCSI error handler does
 * (abort, LU reset, target reset, then session recovery) but with fewer steps.
 *
 * <ol>
 * <li>ABORT TASK. If the target confirms (Function complete, or Task does not exist), the command fails with
 *     TIMEOUT and the session carries on: one slow command on a healthy path costs that command only.</li>
 * <li>Session recovery: the connection is dropped, and the session's normal reconnect logs in again (same ISID, so
 *     the target reinstates the session and ends every task the old one held, RFC 7143 §6.3.5). This happens when
 *     <ul>
 *     <li>the connection's {@link InitiatorConfig#maxConsecutiveTimeouts()}-th command timeout in a
 *         row (default 2) comes with no command completing on the connection in between (any SCSI Response or
 *         final Data-In counts, whatever its status: the target answered a command); the command that hits the
 *         limit is not aborted first;</li>
 *     <li>the ABORT TASK is answered with anything else;</li>
 *     <li>the ABORT TASK, or a task set function such as LOGICAL UNIT RESET ({@link Session#taskManagement}), is
 *         not answered within {@link InitiatorConfig#abortTimeout()}.</li>
 *     </ul></li>
 * </ol>
 *
 * <p>Why this rule: a target that answers TMFs and NOP-Outs but completes no SCSI command would otherwise keep a
 * "live" session for ever, every command failing only after its timeout while NOPs say the path is up — the
 * flapping of the spec's §8 item 2. The kernel finds it by sending TEST UNIT READY after the aborts and escalating
 * when that times out too; counting timeouts with no completion in between sees the same thing without an extra
 * command. No time window: the streak is broken only by the target completing a command, so two timeouts an hour
 * apart on an otherwise idle connection still mean the last two commands it got were never completed. Several
 * commands expiring in the same tick count one each: a target holding them all is the sick case. LU and target
 * resets are skipped: they would end other initiators' tasks and clear reservations on a shared LU (a multipath
 * gateway is rarely the LU's only user), and a target that ignores commands is better served by a new session;
 * the gateway's other paths carry the I/O meanwhile.
 *
 * <p>Every failure here happens after the socket is closed (the commands that timed out fail with TIMEOUT, the
 * others with CONNECTION_LOST), so nothing the old connection holds can still leave when the caller retries the
 * buffer on another path.
 */
final class TaskAbort {

    private static final Logger LOG = Logger.getLogger(TaskAbort.class.getName());

    private TaskAbort() {
    }

    /**
     * The {@code streak}-th consecutive timeout reached the limit: drop the connection; {@code t} fails with
     * TIMEOUT once the socket is closed.
     */
    static void recoverSession(Connection conn, Task t, int streak) {
        String why = String.format("%d command timeouts in a row with no command completed (limit %d, ITT 0x%08x, "
                        + "CDB opcode 0x%02x); dropping the connection to log in again",
                streak, conn.session.config().maxConsecutiveTimeouts(), t.itt, t.command.cdb()[0] & 0xff);
        LOG.warning(conn.session.describe() + ": " + why);
        conn.failOnClose(t, new TransportException(TransportException.Kind.TIMEOUT, why));
        conn.close(why);
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
