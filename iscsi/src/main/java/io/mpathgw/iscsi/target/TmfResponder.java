package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.Lun;

import java.util.logging.Logger;

/**
 * Task Management Function requests (RFC 7143 §11.5) and their responses (§11.6). Aborted tasks get no
 * response of their own (§4.2.3.3, TaskReporting=RFC3720). LOGICAL UNIT RESET and the target resets call
 * {@link LogicalUnit#reset}, which aborts what the LU itself still runs and raises its unit attentions.
 */
final class TmfResponder {

    private static final Logger LOG = Logger.getLogger(TmfResponder.class.getName());

    static final int ABORT_TASK = 1, ABORT_TASK_SET = 2, CLEAR_ACA = 3, CLEAR_TASK_SET = 4, LOGICAL_UNIT_RESET = 5,
            TARGET_WARM_RESET = 6, TARGET_COLD_RESET = 7, TASK_REASSIGN = 8;
    static final int FUNCTION_COMPLETE = 0, TASK_DOES_NOT_EXIST = 1, LUN_DOES_NOT_EXIST = 2,
            REASSIGNMENT_NOT_SUPPORTED = 4, FUNCTION_NOT_SUPPORTED = 5, FUNCTION_REJECTED = 255;

    private TmfResponder() {
    }

    static void onRequest(TargetConnection conn, Pdu pdu) {
        Bhs b = pdu.bhs();
        int function = b.function();
        TargetNode node = conn.session().target();
        Lun lunField = new Lun(b.lun());
        int lun = lunField.decodable() ? lunField.number() : -1;
        LogicalUnit lu = lun >= 0 ? node.luns().get(lun) : null;
        int response = switch (function) {
            case ABORT_TASK -> abortTask(conn, b);
            case ABORT_TASK_SET, CLEAR_TASK_SET -> {
                if (lu == null) yield LUN_DOES_NOT_EXIST;
                conn.commands().abort(t -> t.lun == lun);
                yield FUNCTION_COMPLETE;
            }
            case LOGICAL_UNIT_RESET -> {
                if (lu == null) yield LUN_DOES_NOT_EXIST;
                conn.commands().abort(t -> t.lun == lun);
                lu.reset(conn.session().nexus());
                yield FUNCTION_COMPLETE;
            }
            case TARGET_WARM_RESET, TARGET_COLD_RESET -> {
                conn.commands().abort(t -> true);
                for (LogicalUnit each : node.luns().values()) each.reset(conn.session().nexus());
                yield FUNCTION_COMPLETE;
            }
            case CLEAR_ACA -> lu == null ? LUN_DOES_NOT_EXIST : FUNCTION_COMPLETE;     // we never establish ACA
            case TASK_REASSIGN -> REASSIGNMENT_NOT_SUPPORTED;                           // ERL 0: §11.5.1
            default -> FUNCTION_REJECTED;
        };
        LOG.fine(() -> String.format("%s: TMF %d for LUN %d answered %d", conn.describe(), function, lun, response));
        Pdu rsp = Pdu.create(conn.alloc(), Opcode.TASK_MGMT_RESPONSE, null);
        rsp.bhs().flags(Bhs.F_BIT).response(response).itt(b.itt());
        conn.stamp(rsp.bhs(), true);
        conn.writeAndFlush(rsp);
        if (function == TARGET_COLD_RESET && response == FUNCTION_COMPLETE) {
            // RFC 7143 §11.5.1: after a cold reset the target drops every connection of every session of the target
            for (TargetSession s : conn.target.sessions(node.name()))
                if (s != conn.session()) s.drop("TARGET COLD RESET");
            conn.closeAfterFlush("TARGET COLD RESET");
        }
    }

    /**
     * ABORT TASK: the task by its ITT; a command not received yet whose RefCmdSN is in the window is recorded as
     * aborted (RFC 7143 §11.5.1, "the target MUST ... respond Function complete").
     */
    private static int abortTask(TargetConnection conn, Bhs b) {
        int rtt = b.referencedTaskTag();
        TargetTask t = conn.commands().task(rtt);
        if (t != null) {
            conn.commands().abort(x -> x == t);
            return FUNCTION_COMPLETE;
        }
        return conn.window().abortAhead(b.refCmdSn()) ? FUNCTION_COMPLETE : TASK_DOES_NOT_EXIST;
    }
}
