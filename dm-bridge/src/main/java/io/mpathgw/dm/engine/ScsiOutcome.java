package io.mpathgw.dm.engine;

import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;

import java.util.List;

/**
 * What the SCSI mid-layer makes of one command's end, as the block status dm-mpath then sees (spec §4.4, §9): the
 * disposition of scsi_check_sense()/scsi_decide_disposition() and the action of scsi_io_completion_action(), with
 * the host bytes they set (DID_TARGET_FAILURE, DID_MEDIUM_ERROR, DID_ALLOC_FAILURE, DID_NEXUS_FAILURE) folded into
 * the resulting {@link BlkStatus}. {@link BlkStatus#isPathError()} then decides: a path error fails the path and
 * requeues the request elsewhere; any other error is the LU's and goes back to the client, the path untouched.
 *
 * @param action what to do with the command now
 * @param status the status the request ends with: now for {@link Action#COMPLETE}, once the retries or the retry
 *               time are spent for the others
 * @param reason in words, for events and the client's error
 */
public record ScsiOutcome(Action action, BlkStatus status, String reason) {

    /** How the mid-layer goes on with a command. */
    public enum Action {
        /** End the command with {@link #status}. */
        COMPLETE,
        /** Send it again on the same path at once, counting a retry (NEEDS_RETRY; 5 allowed). */
        RETRY,
        /** Send it again on the same path after a short delay without counting a retry (ADD_TO_MLQUEUE, BUSY). */
        RETRY_UNCOUNTED,
        /** Send it again on the same path after about a second (ACTION_DELAYED_RETRY / _REPREP: NOT READY 04/xx). */
        DELAYED_RETRY
    }

    private static final int ANY = -1;

    /** One row: sense key, ASC, ASCQ ({@link #ANY} matches all), what follows. First match wins. */
    private record Rule(int key, int asc, int ascq, Action action, BlkStatus status, String reason) {
        boolean matches(Sense s) {
            return s.senseKey() == key && (asc == ANY || s.asc() == asc) && (ascq == ANY || s.ascq() == ascq);
        }
    }

    /** NOT READY 04/xx "operation in progress" codes the mid-layer retries after a delay (SPC-4 Annex D). */
    private static final int[] IN_PROGRESS = {0x01, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x11, 0x14, 0x1A, 0x1B,
        0x1D, 0x24, 0x25};

    /** CHECK CONDITION, by sense: scsi_check_sense() then scsi_io_completion_action(), for a disk (not removable). */
    private static final List<Rule> SENSE_RULES = List.of(
            rule(Sense.RECOVERED_ERROR, ANY, ANY, Action.COMPLETE, BlkStatus.OK, "recovered error, data good"),
            // NOT READY 04/0A: ALUA transition, re-prepared and retried after 1 s since 2023, never a path failure
            rule(Sense.NOT_READY, 0x04, 0x0A, Action.DELAYED_RETRY, BlkStatus.IOERR, "asymmetric access state transition"),
            rule(Sense.NOT_READY, 0x04, ANY, Action.COMPLETE, BlkStatus.IOERR, "logical unit not ready"),
            rule(Sense.NOT_READY, ANY, ANY, Action.COMPLETE, BlkStatus.IOERR, "not ready"),
            // a disk that is not removable: every unit attention is retried on the same path
            rule(Sense.UNIT_ATTENTION, ANY, ANY, Action.RETRY, BlkStatus.IOERR, "unit attention"),
            rule(Sense.ABORTED_COMMAND, 0x10, ANY, Action.COMPLETE, BlkStatus.PROTECTION, "protection information error"),
            rule(Sense.ABORTED_COMMAND, ANY, ANY, Action.RETRY, BlkStatus.IOERR, "aborted command"),
            // spec §9: a medium error is the LU's, failing over would read the same medium
            rule(Sense.MEDIUM_ERROR, ANY, ANY, Action.COMPLETE, BlkStatus.MEDIUM, "medium error"),
            rule(Sense.HARDWARE_ERROR, ANY, ANY, Action.COMPLETE, BlkStatus.TARGET, "hardware error (DID_TARGET_FAILURE)"),
            rule(Sense.ILLEGAL_REQUEST, 0x10, ANY, Action.COMPLETE, BlkStatus.PROTECTION, "protection information error"),
            rule(Sense.ILLEGAL_REQUEST, 0x20, ANY, Action.COMPLETE, BlkStatus.TARGET, "invalid command operation code"),
            rule(Sense.ILLEGAL_REQUEST, 0x21, ANY, Action.COMPLETE, BlkStatus.TARGET, "logical block address out of range"),
            rule(Sense.ILLEGAL_REQUEST, 0x22, ANY, Action.COMPLETE, BlkStatus.TARGET, "invalid function"),
            rule(Sense.ILLEGAL_REQUEST, 0x24, ANY, Action.COMPLETE, BlkStatus.TARGET, "invalid field in cdb"),
            rule(Sense.ILLEGAL_REQUEST, 0x26, ANY, Action.COMPLETE, BlkStatus.TARGET, "invalid field in parameter list"),
            rule(Sense.ILLEGAL_REQUEST, 0x27, ANY, Action.COMPLETE, BlkStatus.TARGET, "write protected"),
            // e.g. 25/00 logical unit not supported: the LU is gone on this path
            rule(Sense.ILLEGAL_REQUEST, ANY, ANY, Action.COMPLETE, BlkStatus.IOERR, "illegal request"),
            rule(Sense.DATA_PROTECT, 0x27, 0x07, Action.COMPLETE, BlkStatus.NOSPC, "space allocation failed (DID_ALLOC_FAILURE)"),
            rule(Sense.DATA_PROTECT, ANY, ANY, Action.COMPLETE, BlkStatus.TARGET, "data protect"),
            rule(Sense.BLANK_CHECK, ANY, ANY, Action.COMPLETE, BlkStatus.TARGET, "blank check"),
            rule(Sense.COPY_ABORTED, ANY, ANY, Action.COMPLETE, BlkStatus.TARGET, "copy aborted"),
            rule(Sense.VOLUME_OVERFLOW, ANY, ANY, Action.COMPLETE, BlkStatus.TARGET, "volume overflow"),
            rule(Sense.MISCOMPARE, ANY, ANY, Action.COMPLETE, BlkStatus.TARGET, "miscompare"));

    private static Rule rule(int key, int asc, int ascq, Action action, BlkStatus status, String reason) {
        return new Rule(key, asc, ascq, action, status, reason);
    }

    static ScsiOutcome complete(BlkStatus status, String reason) {
        return new ScsiOutcome(Action.COMPLETE, status, reason);
    }

    /** The outcome of a command that got a SCSI status. */
    public static ScsiOutcome of(int status, Sense sense) {
        return switch (status) {
            case ScsiResponse.GOOD, ScsiResponse.CONDITION_MET -> complete(BlkStatus.OK, "good");
            case ScsiResponse.CHECK_CONDITION -> sense != null ? ofSense(sense)
                    : complete(BlkStatus.IOERR, "CHECK CONDITION without sense data");
            // scsi_decide_disposition: busy and queue full are retried, and fail the I/O once the retries are spent
            case ScsiResponse.BUSY, ScsiResponse.TASK_SET_FULL ->
                    new ScsiOutcome(Action.RETRY_UNCOUNTED, BlkStatus.IOERR, ScsiResponse.statusName(status));
            case ScsiResponse.TASK_ABORTED, ScsiResponse.ACA_ACTIVE ->
                    new ScsiOutcome(Action.RETRY, BlkStatus.IOERR, ScsiResponse.statusName(status));
            case ScsiResponse.RESERVATION_CONFLICT -> complete(BlkStatus.RESV_CONFLICT, "reservation conflict");
            default -> complete(BlkStatus.IOERR, "SCSI status " + ScsiResponse.statusName(status));
        };
    }

    /** CHECK CONDITION with {@code sense}, without a hardware handler's say. */
    public static ScsiOutcome ofSense(Sense sense) {
        if (sense.senseKey() == Sense.NOT_READY && sense.asc() == 0x04)
            for (int q : IN_PROGRESS)
                if (sense.ascq() == q)
                    return new ScsiOutcome(Action.DELAYED_RETRY, BlkStatus.IOERR, "not ready, operation in progress " + sense);
        for (Rule r : SENSE_RULES)
            if (r.matches(sense)) return new ScsiOutcome(r.action, r.status, r.reason + " " + sense);
        return complete(BlkStatus.IOERR, "CHECK CONDITION " + sense);      // NO SENSE, VENDOR SPECIFIC, …
    }

    /**
     * A command the path failed before the device answered (the host bytes of an iSCSI session's failures): all
     * path errors.
     */
    public static BlkStatus ofTransport(TransportException.Kind kind) {
        return switch (kind) {
            case CONNECTION_LOST -> BlkStatus.TRANSPORT;     // DID_TRANSPORT_DISRUPTED, failfast
            case TIMEOUT -> BlkStatus.TIMEOUT;               // DID_TIME_OUT
            case PROTOCOL_ERROR, ABORTED -> BlkStatus.IOERR; // DID_ERROR, DID_ABORT
            case CLOSED -> BlkStatus.OFFLINE;                // the session is gone for good
        };
    }
}
