package io.mpathgw.gateway.daemon;

import io.mpathgw.iscsi.initiator.DiscoveredTarget;
import io.mpathgw.iscsi.initiator.Isid;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.initiator.TargetAddress;
import io.mpathgw.gateway.model.SessionView;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One iSCSI session of the gateway and the paths (LUNs) on it; one SCSI host per session, as open-iscsi. */
final class GatewaySession {

    private final Session session;
    private final int hostNo;
    private final InetSocketAddress address;
    /** The target portal group tag: from SendTargets, else learned after login ({@link #learnTpgt}); -1 unknown. */
    private volatile int tpgt;
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

    /** "address:port,tpgt" as iscsiadm prints it; "address:port" while the TPGT is not known yet. */
    String portal() {
        String hostPort = address.getHostString() + ":" + address.getPort();
        int t = tpgt;
        return t >= 0 ? hostPort + "," + t : hostPort;
    }

    int tpgt() {
        return tpgt;
    }

    /**
     * A session to a portal given without SendTargets has no TPGT yet: ask the logged-in session itself
     * (SendTargets=&lt;its target&gt; in a normal session, RFC 7143 Appendix C) and keep the tag of the address it
     * is connected to. Any thread; a failure leaves the portal without its tag (tried again at the next login).
     */
    void learnTpgt() {
        if (tpgt >= 0) return;
        session.sendTargets(target).whenComplete((found, e) -> {
            if (found == null) return;
            for (DiscoveredTarget t : found) {
                if (!t.name().equals(target)) continue;
                for (TargetAddress a : t.addresses())
                    if (a.tpgt() >= 0 && a.port() == address.getPort() && sameHost(a, address)) {
                        tpgt = a.tpgt();
                        return;
                    }
            }
        });
    }

    private static boolean sameHost(TargetAddress a, InetSocketAddress address) {
        InetSocketAddress other = a.socketAddress();
        return a.host().equals(address.getHostString()) || other.getAddress() != null
                && other.getAddress().equals(address.getAddress());
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
