package io.mpathgw.iscsi.initiator;

import io.mpathgw.scsi.Sense;

/** Observes a session; called on the session's event loop, so implementations must not block. */
public interface SessionListener {

    /** The session moved from {@code from} to {@code to}; {@code cause} says why, in words for an event log. */
    default void stateChanged(Session session, SessionState from, SessionState to, String cause) {
    }

    /** The target sent an Async Message with SCSI sense (RFC 7143 §11.9.1, AsyncEvent 0), e.g. a unit attention. */
    default void asyncSense(Session session, long lun, Sense sense) {
    }
}
