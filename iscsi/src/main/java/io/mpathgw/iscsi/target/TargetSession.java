package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.scsi.Sense;

import java.util.concurrent.CompletableFuture;

/**
 * One logged-in session (we run MaxConnections=1, so one connection) as the rest of the system sees it: who
 * logged in, through which portal, with what parameters, and the Async Message API (RFC 7143 §11.9) the array
 * simulator uses to ask for a logout, drop the connection or report a SCSI event. Every method may be called
 * from any thread; the work runs on the connection's event loop.
 */
public final class TargetSession {

    public static final int ASYNC_SCSI_EVENT = 0, ASYNC_LOGOUT_REQUEST = 1, ASYNC_CONNECTION_DROP = 2,
            ASYNC_SESSION_DROP = 3, ASYNC_RENEGOTIATE = 4;

    private final SessionRegistry.SessionKey key;
    private final String initiatorAlias;
    private final TargetNode target;          // null for a discovery session
    private final Portal portal;
    private final Nexus nexus;
    private final NegotiatedParameters params;
    private final TargetConnection connection;
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile int tsih;

    TargetSession(SessionRegistry.SessionKey key, String initiatorAlias, TargetNode target, Portal portal,
                  NegotiatedParameters params, TargetConnection connection) {
        this.key = key;
        this.initiatorAlias = initiatorAlias;
        this.target = target;
        this.portal = portal;
        this.params = params;
        this.connection = connection;
        this.nexus = new Nexus(key.initiatorName(), key.isid(), portal.config().targetPortGroup(),
                portal.config().relativeTargetPort());
    }

    SessionRegistry.SessionKey key() {
        return key;
    }

    void tsih(int v) {
        tsih = v;
    }

    public int tsih() {
        return tsih;
    }

    public long isid() {
        return key.isid();
    }

    public String initiatorName() {
        return key.initiatorName();
    }

    public String initiatorAlias() {
        return initiatorAlias;
    }

    /** The target's name; null for a discovery session. */
    public String targetName() {
        return target == null ? null : target.name();
    }

    TargetNode target() {
        return target;
    }

    public boolean discovery() {
        return target == null;
    }

    public Portal portal() {
        return portal;
    }

    public Nexus nexus() {
        return nexus;
    }

    /** The agreed operational parameters; the peer's MaxRecvDataSegmentLength is {@code targetMaxRecvDataSegmentLength}. */
    public NegotiatedParameters params() {
        return params;
    }

    /** Completes with the cause once the session is gone (logout, connection loss, reinstatement, drop). */
    public CompletableFuture<String> closed() {
        return closed;
    }

    void ended(String cause) {
        closed.complete(cause);
    }

    /** SCSI Async Event (AsyncEvent 0): {@code sense} for {@code lun}, e.g. a unit attention the LU raised. */
    public void sendAsyncSense(int lun, Sense sense) {
        connection.onLoop(() -> connection.asyncMessage(ASYNC_SCSI_EVENT, lun, sense, 0, 0, 0));
    }

    /** AsyncEvent 1: asks the initiator to log out within {@code seconds}; dropped if it has not by then. */
    public void requestLogout(int seconds) {
        connection.onLoop(() -> connection.asyncMessage(ASYNC_LOGOUT_REQUEST, 0, null, 0, 0, seconds));
    }

    /** AsyncEvent 2: tells the initiator the connection is going away, then closes it. */
    public void dropConnection(int time2Wait, int time2Retain) {
        connection.onLoop(() -> connection.asyncMessage(ASYNC_CONNECTION_DROP, 0, null, 0, time2Wait, time2Retain));
    }

    /** AsyncEvent 3: tells the initiator the whole session is going away, then closes it. */
    public void dropSession(int time2Wait, int time2Retain) {
        connection.onLoop(() -> connection.asyncMessage(ASYNC_SESSION_DROP, 0, null, 0, time2Wait, time2Retain));
    }

    /** AsyncEvent 4: asks the initiator to renegotiate its operational parameters with a Text Request. */
    public void requestRenegotiation() {
        connection.onLoop(() -> connection.asyncMessage(ASYNC_RENEGOTIATE, 0, null, 0, 0, 0));
    }

    /** Closes the connection without a word (as a crashed controller would); outstanding tasks are abandoned. */
    public void drop(String cause) {
        connection.onLoop(() -> connection.close(cause));
    }

    /** Commands received and not yet answered (a snapshot taken on the event loop). */
    public CompletableFuture<Integer> outstandingTasks() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        connection.onLoop(() -> f.complete(connection.commands().outstanding()));
        return f;
    }

    public String describe() {
        return String.format("%s,i,0x%012x -> %s via %s, TSIH %d", key.initiatorName(), key.isid(),
                target == null ? "(discovery)" : target.name(), portal.describe(), tsih);
    }

    @Override
    public String toString() {
        return "TargetSession[" + describe() + "]";
    }
}
