package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduEncoder;
import io.mpathgw.iscsi.pdu.PduFrameDecoder;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An iSCSI initiator session to one target through one portal: logs in, carries SCSI commands, pings, and when
 * the connection is lost fails everything outstanding at once and logs in again (same ISID, so the target
 * reinstates the session) with exponential back-off up to {@link InitiatorConfig#reconnectCap()}.
 *
 * <p>Threading: all state lives on one event loop chosen at open; public methods may be called from any thread
 * and never block, except the {@code await…} helpers meant for tools and tests.
 */
public final class Session implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    /** Login uses MaxRecvDataSegmentLength 8192 until the declared value takes effect (RFC 7143 §13.12). */
    private static final int LOGIN_MRDSL = 8192;
    private static final int MAX_REDIRECTS = 8;

    private final InitiatorConfig config;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    // event-loop state
    private volatile SessionState state = SessionState.LOGGING_IN;
    private InetSocketAddress portal;
    private InetSocketAddress redirectOnce;
    private int redirects;
    private volatile Connection conn;
    private Channel channel;
    private int tsih;
    private volatile NegotiatedParameters negotiated;
    private volatile String targetAlias = "";
    private volatile String lastFailure = "";
    private volatile long pingsAnswered;
    private List<ChapAlgorithm> chapOffer;
    private boolean closing;
    private boolean loginRejected;          // the last login failed for good (not LoginStatus.retryable())
    private int failedAttempts;
    private long nextDelayNanos;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> loginTimer;
    private volatile CompletableFuture<Void> loggedIn = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private Session(InitiatorConfig config, EventLoopGroup group) {
        this.config = config;
        this.loop = group.next();
        this.portal = config.portal();
        this.nextDelayNanos = config.reconnectInitial().toNanos();
        this.chapOffer = config.chapAlgorithms();
        this.bootstrap = new Bootstrap().group(loop).channel(EventLoops.socketChannel(group))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, config.loginTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Digests digests = Digests.none();
                        PduFrameDecoder decoder = new PduFrameDecoder(digests, true, LOGIN_MRDSL);
                        ch.pipeline().addLast(new FlushConsolidationHandler(64, true), decoder,
                                new PduEncoder(digests), new Connection(Session.this, ch, digests, decoder));
                    }
                });
    }

    /** Starts logging in; returns at once. Use {@link #awaitLoggedIn} or a listener to learn the outcome. */
    public static Session open(InitiatorConfig config, EventLoopGroup group, SessionListener... listeners) {
        Session s = new Session(config, group);
        s.listeners.addAll(List.of(listeners));
        s.loop.execute(s::connect);
        return s;
    }

    public InitiatorConfig config() {
        return config;
    }

    public SessionState state() {
        return state;
    }

    /** What the current (or last) connection negotiated, including later Text renegotiation. */
    public NegotiatedParameters negotiated() {
        Connection c = conn;
        return c != null && c.params() != null ? c.params() : negotiated;
    }

    public String targetAlias() {
        return targetAlias;
    }

    /** Why the last login attempt or connection failed; empty if none did. */
    public String lastFailure() {
        return lastFailure;
    }

    public long isid() {
        return config.isid();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public void addListener(SessionListener l) {
        listeners.add(l);
    }

    public String describe() {
        return portal.getHostString() + ":" + portal.getPort() + " " + config.targetName().orElse("(discovery)")
                + " isid " + Isid.format(config.isid());
    }

    /** A {@link ScsiTransport} addressing LUN {@code lun} through this session. */
    public ScsiTransport lun(int lun) {
        long field = Lun.of(lun).raw();
        String name = describe() + " lun " + lun;
        return new ScsiTransport() {
            @Override
            public CompletableFuture<ScsiResponse> submit(ScsiCommand command) {
                return Session.this.submit(field, command);
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    CompletableFuture<ScsiResponse> submit(long lunField, ScsiCommand command) {
        CompletableFuture<ScsiResponse> f = new CompletableFuture<>();
        Task t = new Task(command, lunField, f);
        if (loop.inEventLoop()) submitOnLoop(t);
        else loop.execute(() -> submitOnLoop(t));
        return f;
    }

    private void submitOnLoop(Task t) {
        if (conn == null || !conn.fullFeature()) {
            t.fail(new TransportException(closing ? TransportException.Kind.CLOSED : TransportException.Kind.CONNECTION_LOST,
                    "session not logged in (" + state + (lastFailure.isEmpty() ? "" : ": " + lastFailure) + "); " + describe()));
            return;
        }
        if (conn.outstanding() >= config.queueDepth()) {
            t.fail(new RejectedExecutionException(
                    "queueDepth: " + config.queueDepth() + " commands outstanding (expected: fewer); " + describe()));
            return;
        }
        conn.submit(t);
    }

    /**
     * Sends a task management function for LUN {@code lun} and completes with the TMF response code. Unanswered
     * within {@link InitiatorConfig#abortTimeout()}, the connection is dropped (the target is sick, see
     * {@link TaskAbort}) and the future fails with CONNECTION_LOST saying so.
     */
    public CompletableFuture<Integer> taskManagement(TaskManagement fn, int lun) {
        if (fn == TaskManagement.ABORT_TASK)
            throw new IllegalArgumentException("function: ABORT TASK (expected: a task set function; aborts follow timeouts)");
        long field = Lun.of(lun).raw();
        return onLoop(c -> {
            int tmfCmdSn = c.cmdSn;            // immediate: the tasks it covers are those sent before it
            CompletableFuture<Integer> sent = TaskAbort.tmf(c, fn, field, 0xffffffff, 0);
            ScheduledFuture<?> guard = loop.schedule(() -> c.close(String.format("%s for LUN %d unanswered within %d ms",
                    fn, lun, config.abortTimeout().toMillis())), config.abortTimeout().toNanos(), TimeUnit.NANOSECONDS);
            sent.whenComplete((r, e) -> guard.cancel(false));
            return sent.thenApply(response -> {
                if (response == TaskManagement.FUNCTION_COMPLETE) c.taskSetEnded(fn, field, tmfCmdSn);
                return response;
            });
        });
    }

    /** SendTargets (RFC 7143 Appendix C) with {@code what} = "All" or a target name; for discovery sessions. */
    public CompletableFuture<List<DiscoveredTarget>> sendTargets(String what) {
        return onLoop(c -> TextExchange.sendTargets(c, what));
    }

    /** Runs {@code action} on the event loop against the logged-in connection, or fails with CONNECTION_LOST. */
    <T> CompletableFuture<T> onLoop(java.util.function.Function<Connection, CompletableFuture<T>> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (conn == null || !conn.fullFeature()) {
                f.completeExceptionally(new TransportException(TransportException.Kind.CONNECTION_LOST,
                        "session not logged in (" + state + "); " + describe()));
                return;
            }
            action.apply(conn).whenComplete((v, e) -> { if (e != null) f.completeExceptionally(e); else f.complete(v); });
        });
        return f;
    }

    // ---------------------------------------------------------------- life cycle

    /** Waits until the session is logged in; throws with the last failure after {@code timeout}. For tools and tests. */
    public Session awaitLoggedIn(Duration timeout) throws java.io.IOException, InterruptedException {
        CompletableFuture<Void> f = loggedIn;
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        } catch (TimeoutException e) {
            throw new java.io.IOException("login not complete after " + timeout.toMillis() + " ms: "
                    + (lastFailure.isEmpty() ? "no answer" : lastFailure) + "; " + describe());
        } catch (ExecutionException e) {
            throw new java.io.IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Cancels the back-off and logs in again now (no-op unless recovering). */
    public void retryNow() {
        loop.execute(() -> {
            if (state != SessionState.RECOVERING || closing) return;
            if (reconnectTimer != null) reconnectTimer.cancel(false);
            nextDelayNanos = config.reconnectInitial().toNanos();
            connect();
        });
    }

    private void connect() {
        if (closing) return;
        reconnectTimer = null;
        InetSocketAddress to = redirectOnce != null ? redirectOnce : portal;
        redirectOnce = null;
        setState(SessionState.LOGGING_IN, "connecting to " + to.getHostString() + ":" + to.getPort());
        ChannelFuture cf = bootstrap.connect(to);
        channel = cf.channel();
        long t = config.loginTimeout().toNanos();
        Channel ch = channel;
        loginTimer = loop.schedule(() -> {
            Connection c = ch.pipeline().get(Connection.class);
            if (c != null && !c.fullFeature())
                c.close("login timed out after " + config.loginTimeout().toMillis() + " ms");
        }, t, TimeUnit.NANOSECONDS);
        cf.addListener(done -> {
            if (!done.isSuccess()) {
                loginTimer.cancel(false);
                attemptFailed("connect to " + to.getHostString() + ":" + to.getPort() + " failed: " + done.cause().getMessage());
            }
        });
    }

    List<ChapAlgorithm> chapOffer() {
        return chapOffer;
    }

    /** Stops offering {@code a} (see {@link LoginExchange#refusedChapSha256}); retries at once. */
    void dropChapAlgorithm(ChapAlgorithm a) {
        List<ChapAlgorithm> rest = chapOffer.stream().filter(x -> x != a).toList();
        if (rest.isEmpty() || rest.size() == chapOffer.size()) return;
        LOG.info(describe() + ": target refused CHAP_A=" + a.code() + "; offering " + rest + " from now on");
        chapOffer = rest;
        nextDelayNanos = 0;
    }

    int tsihForLogin() {
        return 0;   // a new connection always starts a new session; same ISID makes the target reinstate (RFC 7143 §6.3.5)
    }

    void loggedIn(Connection c, int tsih, String alias) {
        if (loginTimer != null) loginTimer.cancel(false);
        this.conn = c;
        this.tsih = tsih;
        this.negotiated = c.params();
        this.targetAlias = alias == null ? "" : alias;
        this.failedAttempts = 0;
        this.redirects = 0;
        this.nextDelayNanos = config.reconnectInitial().toNanos();
        if (closing) {
            c.close("session closed during login");
            return;
        }
        setState(SessionState.LOGGED_IN, String.format("logged in, TSIH %d, %s", tsih, c.params()));
        loggedIn.complete(null);
    }

    public int tsih() {
        return tsih;
    }

    /** NOP-Out pings the target answered, over the session's life (a liveness counter for status views). */
    public long pingsAnswered() {
        return pingsAnswered;
    }

    void pingAnswered() {
        pingsAnswered++;        // written on the event loop only
    }

    void redirect(InetSocketAddress to, boolean permanent, String reason) {
        if (++redirects > MAX_REDIRECTS) {
            lastFailure = "too many login redirects (last: " + reason + ")";
            return;
        }
        if (permanent) portal = to;
        else redirectOnce = to;
        nextDelayNanos = 0;                       // follow a redirect at once
        lastFailure = reason;
    }

    void loginFailed(String reason, boolean retryable) {
        lastFailure = reason;
        loginRejected = !retryable;
        if (!retryable) loggedIn.completeExceptionally(new java.io.IOException(reason + "; " + describe()));
    }

    void connectionClosed(Connection c, String cause) {
        if (c == conn) conn = null;
        if (loginTimer != null) loginTimer.cancel(false);
        attemptFailed(cause);
    }

    private void attemptFailed(String cause) {
        if (closing) {
            // our own close: lastFailure keeps the failure that led to it, which is what a caller reports
            setState(SessionState.CLOSED, cause);
            return;
        }
        if (!cause.isEmpty()) lastFailure = cause;
        if (loginRejected && negotiated == null) {
            // LoginStatus: a first login refused for good needs an administrator (a new config, so a new session);
            // a session that was logged in keeps trying, as the multipath layer expects a path to come back
            closing = true;
            setState(SessionState.CLOSED, lastFailure + "; not retried");
            return;
        }
        failedAttempts++;
        long delay = nextDelayNanos;
        nextDelayNanos = Math.min(Math.max(delay, config.reconnectInitial().toNanos()) * 2, config.reconnectCap().toNanos());
        if (loggedIn.isDone()) loggedIn = new CompletableFuture<>();
        setState(SessionState.RECOVERING, String.format("%s; retrying in %d ms", lastFailure, delay / 1_000_000));
        reconnectTimer = loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    }

    void targetRequestedLogout(Connection c, int seconds) {
        LOG.info(describe() + ": target requested logout within " + seconds + " s; logging out and back in");
        ScheduledFuture<?> guard = loop.schedule(() -> c.close("Logout Response missing after the logout the target "
                + "requested (Async Message 1)"), config.loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
        sendLogout(c, 0).whenComplete((v, e) -> {
            guard.cancel(false);
            c.close("logout requested by the target (Async Message 1)");
        });
    }

    void targetDropped(Connection c, String cause, int time2Wait) {
        nextDelayNanos = Math.min(TimeUnit.SECONDS.toNanos(time2Wait), config.reconnectCap().toNanos());
        c.close(cause);
    }

    void renegotiate(Connection c) {
        TextExchange.renegotiate(c);
    }

    void asyncSense(long lun, Sense sense) {
        notifyListeners(l -> l.asyncSense(this, lun, sense));
    }

    boolean closing() {
        return closing;
    }

    private void setState(SessionState to, String cause) {
        SessionState from = state;
        state = to;
        if (from != to || to != SessionState.LOGGING_IN)
            notifyListeners(l -> l.stateChanged(this, from, to, cause));
        if (to == SessionState.CLOSED) closed.complete(null);
    }

    /** Runs on the event loop amid the session's own bookkeeping: a listener's bug must not stop reconnecting. */
    private void notifyListeners(java.util.function.Consumer<SessionListener> call) {
        for (SessionListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, describe() + ": SessionListener threw " + e + "; ignored", e);
            }
        }
    }

    /** Logs out (RFC 7143 §11.14, reason 0: close the session) and closes; completes once the session is CLOSED. */
    public CompletableFuture<Void> logout() {
        loop.execute(() -> {
            closing = true;
            if (reconnectTimer != null) reconnectTimer.cancel(false);
            if (conn == null || !conn.fullFeature()) {
                if (channel != null && channel.isActive()) channel.close();
                else setState(SessionState.CLOSED, "logged out");
                return;
            }
            Connection c = conn;
            ScheduledFuture<?> guard = loop.schedule(() -> c.close("logout unanswered"),
                    config.loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
            sendLogout(c, 0).whenComplete((v, e) -> {
                guard.cancel(false);
                c.close("logged out");
            });
        });
        return closed;
    }

    private CompletableFuture<Void> sendLogout(Connection c, int reason) {
        Pdu pdu = Pdu.create(c.channel.alloc(), Opcode.LOGOUT_REQUEST, null);
        pdu.bhs().reasonCode(reason);
        return c.request(pdu, true).thenAccept(ReferenceCountUtil::release);
    }

    /** Closes the connection without logging out and stops reconnecting; outstanding commands fail with CLOSED. */
    @Override
    public void close() {
        loop.execute(() -> {
            closing = true;
            if (reconnectTimer != null) reconnectTimer.cancel(false);
            Connection c = channel == null ? null : channel.pipeline().get(Connection.class);
            if (c != null && channel.isActive()) c.close("session closed");  // CLOSED follows from channelInactive
            else setState(SessionState.CLOSED, "closed");
        });
    }
}
