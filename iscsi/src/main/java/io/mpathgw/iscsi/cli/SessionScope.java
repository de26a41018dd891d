package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionListener;
import io.mpathgw.iscsi.initiator.SessionState;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sessions one command opens, on an event loop group of its own. A tool logs in once: unlike a multipath
 * path, a session here gives up after {@link #LOGIN_ATTEMPTS} failed attempts instead of retrying with back-off.
 * {@link #close()} logs
 * every session out and stops the group, so a command leaves no thread behind.
 */
final class SessionScope implements AutoCloseable {

    private static final long LOGIN_GRACE_MS = 500;
    /**
     * Failed login attempts before a tool gives up: two, because the initiator may fail one attempt on purpose to
     * learn something and retry at once (against tgt, CHAP_A=7 means SHA-1, so it retries without SHA-256). A
     * refused connection or a rejected login thus costs one reconnect delay (100 ms by default).
     */
    static final int LOGIN_ATTEMPTS = 2;

    private final EventLoopGroup group;
    private final Duration timeout;
    private final List<Session> sessions = new ArrayList<>();

    SessionScope(int threads, Duration timeout) {
        this.group = EventLoops.create(threads);
        this.timeout = timeout;
    }

    /** Resolves {@code host}; a name that does not resolve is a run-time failure, not a usage error. */
    static InetSocketAddress resolve(String host, int port) throws CliFailure {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) throw new CliFailure("host: '" + host + "' does not resolve");
        return a;
    }

    /**
     * Logs in and waits for the full-feature phase.
     *
     * @throws CliFailure naming the portal, the target and why the login failed (the login status, a refused
     *                    connection, no answer in time)
     */
    Session login(InitiatorConfig config) throws CliFailure, InterruptedException {
        CompletableFuture<Void> first = new CompletableFuture<>();
        int[] failed = {0};                          // touched on the session's event loop only
        Session s = Session.open(config, group, new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                if (to == SessionState.LOGGED_IN) {
                    first.complete(null);
                } else if (to == SessionState.CLOSED) {
                    first.completeExceptionally(new CliFailure(reason(session, cause)));
                } else if (to == SessionState.RECOVERING) {
                    String why = reason(session, cause);
                    // a login redirect also passes through RECOVERING and is followed at once; the initiator says
                    // so only in words (SessionListener has no reason code), hence the text match
                    if (!why.startsWith("login redirected") && ++failed[0] >= LOGIN_ATTEMPTS)
                        first.completeExceptionally(new CliFailure(why));
                }
            }
        });
        sessions.add(s);
        String where = "login to " + describe(config);
        try {
            // a little past the session's own login timer, so that its reason (which step timed out) wins
            first.get(timeout.toMillis() + LOGIN_GRACE_MS, TimeUnit.MILLISECONDS);
            return s;
        } catch (TimeoutException e) {
            s.close();
            String last = s.lastFailure();
            throw new CliFailure(where + ": no answer after " + seconds(timeout) + (last.isEmpty() ? "" : " (" + last + ")"));
        } catch (ExecutionException e) {
            s.close();
            throw new CliFailure(where + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String reason(Session s, String cause) {
        return s.lastFailure().isEmpty() ? cause : s.lastFailure();
    }

    static String describe(InitiatorConfig c) {
        InetSocketAddress p = c.portal();
        String host = p.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + p.getPort()
                + " " + c.targetName().orElse("(discovery)");
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** Logs a session out (bounded by the timeout) and forgets it. */
    void logout(Session s) {
        sessions.remove(s);
        try {
            s.logout().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // best effort: the target cleans up a session whose connection closed
        } finally {
            s.close();
        }
    }

    @Override
    public void close() {
        for (Session s : List.copyOf(sessions)) logout(s);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
