package io.mpathgw.gateway.daemon;

import io.mpathgw.iscsi.initiator.Isid;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.gateway.model.SessionView;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One iSCSI session of the gateway and the paths (LUNs) on it; one SCSI host per session, as open-iscsi. */
final class GatewaySession {

    private final Session session;
    private final int hostNo;
    private final InetSocketAddress address;
    /** The target portal group tag SendTargets gave; -1 unknown. */
    private final int tpgt;
    private final String target;
    final List<GatewayPath> paths = new CopyOnWriteArrayList<>();
    volatile long reconnects;
    /** Whether the LUNs were scanned once (the first login); later logins re-check WWIDs instead. */
    volatile boolean scanned;
    /** The first login attempt ended (either way). */
    volatile boolean attempted;

    GatewaySession(Session session, int hostNo, InetSocketAddress address, int tpgt, String target) {
        this.session = session;
        this.hostNo = hostNo;
        this.address = address;
        this.tpgt = tpgt;
        this.target = target;
    }

    Session session() {
        return session;
    }

    int hostNo() {
        return hostNo;
    }

    /** "address:port,tpgt" as iscsiadm prints it; "address:port" when no SendTargets gave the tag. */
    String portal() {
        String hostPort = address.getHostString() + ":" + address.getPort();
        return tpgt >= 0 ? hostPort + "," + tpgt : hostPort;
    }

    int tpgt() {
        return tpgt;
    }

    String target() {
        return target;
    }

    boolean loggedIn() {
        return session.state() == SessionState.LOGGED_IN;
    }

    SessionView view() {
        String state = switch (session.state()) {
            case LOGGED_IN -> "LOGGED_IN";
            case LOGGING_IN -> reconnects > 0 ? "RECONNECTING" : "LOGGING_IN";
            case RECOVERING -> "RECONNECTING";
            case CLOSED -> session.lastFailure().isEmpty() ? "CLOSED" : "FAILED";
        };
        return new SessionView(portal(), target, Isid.format(session.isid()), session.tsih(), state,
                session.lastFailure(), reconnects, paths.stream().map(p -> p.dev).toList());
    }
}
