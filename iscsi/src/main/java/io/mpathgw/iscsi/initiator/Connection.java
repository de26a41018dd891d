package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduFrameDecoder;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.mpathgw.iscsi.pdu.SerialNumber.gt;
import static io.mpathgw.iscsi.pdu.SerialNumber.le;
import static io.mpathgw.iscsi.pdu.SerialNumber.lt;

/**
 * One TCP connection of a session (we run MaxConnections=1): login, then the full-feature phase. Holds every
 * sequence number, the outstanding tasks by ITT and the commands waiting for the CmdSN window. All of it is
 * touched on the channel's event loop only. When the channel closes, every task fails at once with a
 * {@link TransportException} — after the socket is closed, so no byte of a failed write can still leave.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    final Session session;
    final Channel channel;
    private final Digests digests;
    private final PduFrameDecoder decoder;
    private final InitiatorConfig config;
    private LoginExchange login;
    private NegotiatedParameters params;
    private boolean fullFeature;
    private String closeCause;

    // RFC 7143 §4.2.2: session-wide numbering (one connection per session)
    int cmdSn;
    private int expCmdSn;
    private int maxCmdSn;
    private int expStatSn;
    private int nextItt = 1;

    private final IntObjectHashMap<Task> tasks = new IntObjectHashMap<>();
    private final IntObjectHashMap<CompletableFuture<Pdu>> requests = new IntObjectHashMap<>();
    private final ArrayDeque<Task> waiting = new ArrayDeque<>();
    private final ArrayDeque<Pdu> waitingRequests = new ArrayDeque<>();
    private final DataOutSender dataOut;
    private final Nop nop;
    /** Command timeouts are checked this often (at most); NOP timers may ask for a shorter period. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private ScheduledFuture<?> ticker;
    /** Command timeouts since a command last completed here; drives {@link TaskAbort}'s escalation. */
    private int consecutiveTimeouts;

    Connection(Session session, Channel channel, Digests digests, PduFrameDecoder decoder) {
        this.session = session;
        this.channel = channel;
        this.digests = digests;
        this.decoder = decoder;
        this.config = session.config();
        this.dataOut = new DataOutSender(this);
        this.nop = new Nop(this, config.nopInterval(), config.nopTimeout());
    }

    NegotiatedParameters params() {
        return params;
    }

    boolean fullFeature() {
        return fullFeature;
    }

    int expStatSn() {
        return expStatSn;
    }

    int outstanding() {
        return tasks.size();            // commands waiting for the window are in tasks too
    }

    // ---------------------------------------------------------------- login

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (session.closing()) {
            close("session closed while connecting");
            return;
        }
        login = new LoginExchange(config, session.chapOffer(), session.isid(), session.tsihForLogin());
        cmdSn = login.initialCmdSn();
        send(login.firstRequest(ctx.alloc()));
    }

    private void onLoginResponse(Pdu pdu) {
        if (login == null || fullFeature)
            throw new IscsiProtocolException("opcode: Login Response (expected: none in full-feature phase)", 0x04);
        LoginExchange.Outcome o = login.onResponse(pdu, channel.alloc());
        switch (o.kind()) {
            case CONTINUE -> send(o.next());
            case REDIRECT -> session.redirect(o.redirect(), o.permanent(), o.reason()) ;
            case FAILED -> {
                if (o.retryable() && login.refusedChapSha256(pdu.bhs().statusClass() << 8 | pdu.bhs().statusDetail()))
                    session.dropChapAlgorithm(ChapAlgorithm.SHA256);
                session.loginFailed(o.reason(), o.retryable());
            }
            case DONE -> enterFullFeature(pdu.bhs(), o);
        }
        if (o.kind() == LoginExchange.Outcome.Kind.REDIRECT || o.kind() == LoginExchange.Outcome.Kind.FAILED)
            close(o.reason());
    }

    private void enterFullFeature(Bhs rsp, LoginExchange.Outcome o) {
        params = o.params();
        expStatSn = rsp.statSn() + 1;
        expCmdSn = rsp.expCmdSn();
        maxCmdSn = rsp.maxCmdSn();
        // RFC 7143 §13.1: digests start with the first PDU after the final Login Response
        digests.enable(params.headerDigest(), params.dataDigest());
        decoder.maxRecvDataSegmentLength(config.maxRecvDataSegmentLength());
        fullFeature = true;
        login = null;
        long period = Math.min(TICK_NANOS, nop.tickNanos());
        ticker = channel.eventLoop().scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        session.loggedIn(this, rsp.tsih(), o.targetAlias());
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Pdu pdu = (Pdu) msg;
        try {
            nop.received();
            dispatch(pdu);
        } catch (IscsiProtocolException e) {
            protocolError(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, session.describe() + ": unexpected error handling " + pdu, e);
            close("internal error: " + e);
        } finally {
            ReferenceCountUtil.release(pdu);
        }
    }

    private void dispatch(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        Opcode op = bhs.opcode();
        if (op == Opcode.LOGIN_RESPONSE) {
            onLoginResponse(pdu);
            return;
        }
        if (!fullFeature)
            throw new IscsiProtocolException("opcode: " + op + " (expected: Login Response during login)", 0x04);
        updateWindow(bhs.expCmdSn(), bhs.maxCmdSn());
        switch (op) {
            case SCSI_RESPONSE -> { statSn(bhs); onScsiResponse(pdu); }
            case SCSI_DATA_IN -> { if (bhs.statusBit()) statSn(bhs); onDataIn(pdu); }
            case R2T -> onR2t(bhs);
            case NOP_IN -> onNopIn(pdu);
            case TASK_MGMT_RESPONSE, TEXT_RESPONSE, LOGOUT_RESPONSE -> { statSn(bhs); completeRequest(pdu); }
            case ASYNC_MESSAGE -> { statSn(bhs); AsyncEvents.handle(this, pdu); }
            case REJECT -> { statSn(bhs); onReject(pdu); }
            default -> throw new IscsiProtocolException("opcode: " + op + " (expected: a target opcode)", 0x04);
        }
        drainWaiting();
    }

    /** RFC 7143 §4.2.2.1: ignore a window with MaxCmdSN < ExpCmdSN - 1; never move either backwards. */
    private void updateWindow(int exp, int max) {
        if (lt(max, exp - 1)) return;
        if (gt(exp, expCmdSn)) expCmdSn = exp;
        if (gt(max, maxCmdSn)) maxCmdSn = max;
    }

    private void statSn(Bhs bhs) {
        int next = bhs.statSn() + 1;
        if (gt(next, expStatSn)) expStatSn = next;
    }

    private Task task(Bhs bhs) {
        Task t = tasks.get(bhs.itt());
        if (t == null)
            throw new IscsiProtocolException(String.format("ITT: 0x%08x (expected: an outstanding task); %s",
                    bhs.itt(), bhs.opcode()), 0x09);
        return t;
    }

    private void onScsiResponse(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        Task t = task(bhs);
        consecutiveTimeouts = 0;            // the target still completes commands, whatever the outcome
        if (bhs.response() != 0) {
            // RFC 7143 §11.4.3: 0x01 Target Failure — no SCSI status; the path, not the LU, failed it
            finish(t, new TransportException(TransportException.Kind.PROTOCOL_ERROR,
                    String.format("iSCSI Response: 0x%02x (expected: 0x00 Command Completed at Target); ITT 0x%08x",
                            bhs.response(), t.itt)));
            return;
        }
        Sense sense = parseSense(pdu.data(), t.itt);
        tasks.remove(t.itt);
        t.complete(channel.alloc(), bhs.status(), sense, bhs.residualCount(), bhs.underflow(), bhs.overflow());
    }

    /** RFC 7143 §11.4.7: SenseLength (2 bytes) then the sense bytes; may be absent. */
    private static Sense parseSense(ByteBuf data, int itt) {
        if (data.readableBytes() < 2) return null;
        int len = data.getUnsignedShort(data.readerIndex());
        if (len == 0) return null;
        if (len > data.readableBytes() - 2)
            throw new IscsiProtocolException(String.format("SenseLength: %d (expected: <= %d); ITT 0x%08x",
                    len, data.readableBytes() - 2, itt), 0x09);
        try {
            return Sense.parse(data, data.readerIndex() + 2, len);
        } catch (IllegalArgumentException e) {
            throw new IscsiProtocolException(e.getMessage() + String.format("; ITT 0x%08x", itt), 0x09);
        }
    }

    private void onDataIn(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        Task t = task(bhs);
        if (!t.isRead())
            throw new IscsiProtocolException(String.format("Data-In for ITT 0x%08x (expected: a READ task)", t.itt), 0x09);
        t.addDataIn(channel.alloc(), bhs.dataSn(), bhs.bufferOffset(), pdu.data());
        if (bhs.statusBit()) {
            if (!bhs.finalBit())
                throw new IscsiProtocolException("Data-In S bit without F bit (expected: F=1 when S=1, RFC 7143 §11.7.1)", 0x09);
            tasks.remove(t.itt);
            consecutiveTimeouts = 0;
            t.complete(channel.alloc(), bhs.status(), null, bhs.residualCount(), bhs.underflow(), bhs.overflow());
        }
    }

    private void onR2t(Bhs bhs) {
        Task t = task(bhs);
        dataOut.onR2t(t, bhs.ttt(), bhs.r2tSn(), bhs.bufferOffset(), bhs.desiredDataTransferLength());
    }

    private void onNopIn(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        if (bhs.itt() != Bhs.RESERVED_TAG) {
            statSn(bhs);
            completeRequest(pdu);
            return;
        }
        if (bhs.ttt() != Bhs.RESERVED_TAG) {
            // RFC 7143 §11.18: the target pings us; answer with its TTT, our ITT reserved, immediate
            Pdu out = Pdu.create(channel.alloc(), Opcode.NOP_OUT, null);
            out.bhs().immediate(true).finalBit(true).lun(bhs.lun()).itt(Bhs.RESERVED_TAG).ttt(bhs.ttt())
                    .cmdSn(cmdSn).expStatSn(expStatSn);
            send(out);
        }
    }

    private void onReject(Pdu pdu) {
        ByteBuf data = pdu.data();
        int reason = pdu.bhs().rejectReason();
        if (data.readableBytes() < Bhs.LENGTH)
            throw new IscsiProtocolException(String.format("Reject reason 0x%02x without the rejected header", reason));
        Bhs rejected = new Bhs(data);
        Task t = tasks.get(rejected.itt());
        CompletableFuture<Pdu> req = requests.remove(rejected.itt());
        String what = String.format("target rejected %s ITT 0x%08x with reason 0x%02x (RFC 7143 §11.17.1)",
                rejected.opcode(), rejected.itt(), reason);
        if (t != null && rejected.opcode() == Opcode.SCSI_DATA_OUT) {
            // RFC 7143 §7.8: the target dropped a Data-Out (e.g. data digest error) and, at ERL 0, ends the task
            // itself with a SCSI Response (47/05 or similar); the task waits for that or for its timeout
            LOG.info(session.describe() + ": " + what + "; waiting for the task's status");
        } else if (t != null) {
            finish(t, new TransportException(TransportException.Kind.PROTOCOL_ERROR, what));
        } else if (req != null) {
            req.completeExceptionally(new TransportException(TransportException.Kind.PROTOCOL_ERROR, what));
        } else {
            // ERL 0: a reject we cannot tie to a task leaves the session's state unknown
            throw new IscsiProtocolException(what);
        }
    }

    private void completeRequest(Pdu pdu) {
        CompletableFuture<Pdu> f = requests.remove(pdu.bhs().itt());
        if (f == null)
            throw new IscsiProtocolException(String.format("ITT: 0x%08x (expected: an outstanding %s)",
                    pdu.bhs().itt(), pdu.opcode()), 0x09);
        if (!f.complete(pdu.retain())) pdu.release();
    }

    // ---------------------------------------------------------------- outbound

    void send(Pdu pdu) {
        channel.writeAndFlush(pdu, channel.voidPromise());
    }

    int allocateItt() {
        int itt;
        do {
            itt = nextItt++;
        } while (itt == Bhs.RESERVED_TAG || tasks.containsKey(itt) || requests.containsKey(itt));
        return itt;
    }

    /** Accepts a command: sends it now if the CmdSN window is open, else queues it in order. */
    void submit(Task t) {
        t.itt = allocateItt();
        tasks.put(t.itt, t);
        long timeout = (t.command.timeout().isZero() ? config.commandTimeout() : t.command.timeout()).toNanos();
        t.deadline = System.nanoTime() + timeout;     // swept by tick(): no timer scheduled per command
        if (waiting.isEmpty() && le(cmdSn, maxCmdSn)) dataOut.sendCommand(t, cmdSn++);
        else waiting.add(t);
    }

    /** RFC 7143 §3.2.2.1: a non-immediate command may carry CmdSN only up to MaxCmdSN. */
    private void drainWaiting() {
        while (!waiting.isEmpty() && le(cmdSn, maxCmdSn)) dataOut.sendCommand(waiting.poll(), cmdSn++);
        while (!waitingRequests.isEmpty() && le(cmdSn, maxCmdSn)) sendRequest(waitingRequests.poll());
    }

    /** Sends a request (NOP-Out ping, TMF, Text, Logout) and returns its response PDU (caller releases). */
    CompletableFuture<Pdu> request(Pdu pdu, boolean immediate) {
        return request(pdu, immediate, allocateItt());
    }

    /**
     * As {@link #request(Pdu, boolean)} under a given ITT: a Text Request continuing a sequence keeps the ITT of
     * the first (RFC 7143 §11.10.4). A non-immediate request takes a CmdSN, so it waits for the window as a
     * command does (§3.2.2.1).
     */
    CompletableFuture<Pdu> request(Pdu pdu, boolean immediate, int itt) {
        CompletableFuture<Pdu> f = new CompletableFuture<>();
        requests.put(itt, f);
        pdu.bhs().itt(itt).immediate(immediate);
        if (immediate || waitingRequests.isEmpty() && le(cmdSn, maxCmdSn)) sendRequest(pdu);
        else waitingRequests.add(pdu);
        return f;
    }

    private void sendRequest(Pdu pdu) {
        pdu.bhs().cmdSn(pdu.bhs().immediate() ? cmdSn : cmdSn++).expStatSn(expStatSn);
        send(pdu);
    }

    /** The target declared MaxRecvDataSegmentLength again (RFC 7143 §13.12, in a Text Response). */
    void targetMaxRecvDataSegmentLength(int v) {
        params = params.withTargetMaxRecvDataSegmentLength(v);
    }

    /**
     * Runs every few tens of milliseconds while in full-feature phase: NOP-Out pings, then command timeouts.
     * Sweeping the outstanding table costs less than a scheduled timer per command (insert and cancel in the
     * event loop's priority queue on every I/O), at the price of a tick of imprecision.
     */
    private void tick() {
        long now = System.nanoTime();
        nop.tick(now);
        List<Task> expired = null;
        for (Task t : tasks.values()) {
            if (!t.aborting && now - t.deadline >= 0) {
                if (expired == null) expired = new ArrayList<>();
                expired.add(t);
            }
        }
        if (expired != null) for (Task t : expired) timedOut(t);
    }

    private void timedOut(Task t) {
        if (!hasTask(t)) return;
        if (++consecutiveTimeouts >= config.maxConsecutiveTimeouts()) {
            TaskAbort.recoverSession(this, t, consecutiveTimeouts);
            return;
        }
        if (waiting.remove(t)) {
            finish(t, new TransportException(TransportException.Kind.TIMEOUT, "command timed out waiting for the CmdSN window"));
            return;
        }
        TaskAbort.start(this, t);
    }

    /** Ends a task with a transport failure, removing it from every table. */
    void finish(Task t, TransportException e) {
        tasks.remove(t.itt);
        waiting.remove(t);
        t.fail(e);
    }

    boolean hasTask(Task t) {
        return tasks.get(t.itt) == t;
    }

    /**
     * A task set function completed: with TaskReporting=RFC3720 the target ends the affected tasks — those sent
     * before it, on its LUN or, for a target reset, on any — without a response (RFC 7143 §4.2.3.2), so they end here.
     */
    void taskSetEnded(TaskManagement fn, long lun, int tmfCmdSn) {
        if (fn == TaskManagement.CLEAR_ACA) return;
        boolean anyLun = fn == TaskManagement.TARGET_WARM_RESET || fn == TaskManagement.TARGET_COLD_RESET;
        for (Object o : tasks.values().toArray()) {
            Task t = (Task) o;
            if (t.sent && lt(t.cmdSn, tmfCmdSn) && (anyLun || t.lun == lun))
                finish(t, new TransportException(TransportException.Kind.ABORTED, String.format(
                        "%s on LUN %s ended the command (ITT 0x%08x)", fn, new Lun(lun), t.itt)));
        }
    }

    void protocolError(String message) {
        LOG.warning(session.describe() + ": protocol error, dropping the connection: " + message);
        close("protocol error: " + message);
    }

    void close(String cause) {
        if (closeCause == null) closeCause = cause;
        // RST, not FIN: a connection we give up on must not go on sending what its socket still holds (a WRITE the
        // map is about to requeue on another path) if the link comes back later; SO_LINGER 0 makes the kernel
        // discard the send queue. After a completed logout nothing is left to send, so it costs nothing there.
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                LOG.fine(() -> session.describe() + ": SO_LINGER 0 refused, closing with FIN: " + e);
            }
        }
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof IscsiProtocolException) protocolError(c.getMessage());
        else close("connection error: " + c);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fullFeature = false;            // a command submitted from a failure callback below must fail, not wait here
        if (ticker != null) ticker.cancel(false);
        String cause = closeCause != null ? closeCause : "connection closed by the target";
        // the session leaves LOGGED_IN before any failure callback runs, so callbacks see the state they caused
        session.connectionClosed(this, cause);
        TransportException.Kind kind = session.closing() ? TransportException.Kind.CLOSED : TransportException.Kind.CONNECTION_LOST;
        Object[] pending = tasks.values().toArray();
        tasks.clear();
        waiting.clear();
        waitingRequests.forEach(Pdu::release);
        waitingRequests.clear();
        for (Object o : pending) {
            Task t = (Task) o;
            t.fail(t.closeFailure != null ? t.closeFailure : new TransportException(kind, cause + "; " + session.describe()));
        }
        Object[] reqs = requests.values().toArray();
        requests.clear();
        for (Object o : reqs)
            ((CompletableFuture<?>) o).completeExceptionally(new TransportException(kind, cause));
    }

    /** When the socket is closed, {@code t} fails with {@code e} instead of CONNECTION_LOST. */
    void failOnClose(Task t, TransportException e) {
        t.closeFailure = e;
    }
}
