package io.mpathgw.iscsi.pdu;

/**
 * A peer broke RFC 7143: a malformed PDU, a bad digest, a field out of range. The message names the field,
 * the value and what was expected. The initiator drops the connection on it; the target answers with Reject.
 */
public class IscsiProtocolException extends RuntimeException {

    /** Reject reason (RFC 7143 §11.17.1) a target would answer with, e.g. 0x02 data digest error. */
    private final int rejectReason;

    public IscsiProtocolException(String message) {
        this(message, 0x09);            // 0x09: invalid PDU field
    }

    public IscsiProtocolException(String message, int rejectReason) {
        super(message);
        this.rejectReason = rejectReason;
    }

    public int rejectReason() {
        return rejectReason;
    }
}
