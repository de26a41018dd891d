package io.mpathgw.scsi;

import java.io.IOException;

/**
 * A command that did not get a SCSI status from the device: the path, not the LU, failed it. The multipath
 * engine fails the path and requeues the I/O on another one; it never returns this to a client as a media error.
 */
public final class TransportException extends IOException {

    /** Why the transport gave up on a command, grouped as the kernel's host bytes are (DID_*). */
    public enum Kind {
        /** The connection dropped or could not be made (DID_TRANSPORT_DISRUPTED / DID_NO_CONNECT). */
        CONNECTION_LOST,
        /** The command's own timeout expired (DID_TIME_OUT). */
        TIMEOUT,
        /** The target broke the protocol (malformed PDU, digest error, reject). */
        PROTOCOL_ERROR,
        /** The command was aborted by a task management function or a logout (DID_ABORT). */
        ABORTED,
        /** The session is closed for good and takes no more commands. */
        CLOSED
    }

    private final Kind kind;

    public TransportException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public TransportException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
