package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One iSCSI connection on the target side: login through {@link LoginResponder}, then the full feature phase
 * — requests ordered by CmdSN through the {@link CmdSnWindow}, SCSI commands through {@link ScsiCommands}, TMF,
 * Text, NOP and Logout, Rejects for malformed PDUs. StatSN, the window and every table live here, touched on the
 * channel's event loop only. MaxConnections=1: the connection is the session's only one.
 */
final class TargetConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(TargetConnection.class.getName());
    /** RFC 7143 §13.12: until the declared value takes effect, each side receives at most 8192 bytes. */
    static final int LOGIN_MRDSL = 8192;

    final IscsiTarget target;
    final Portal portal;
    final Channel channel;
    private final Digests digests;
    private final TargetFrameDecoder decoder;
    private final CmdSnWindow window;
    private final ScsiCommands commands = new ScsiCommands(this);
    private LoginResponder login;
    private TargetSession session;
    private NegotiatedParameters params;
    private NopIn nop;
    private TextResponder text;
    private int cid;
    private int statSn = 1;
    private int nextTtt = 1;
    private String closeCause;

    TargetConnection(IscsiTarget target, Portal portal, Channel channel, Digests digests, TargetFrameDecoder decoder) {
        this.target = target;
        this.portal = portal;
        this.channel = channel;
        this.digests = digests;
        this.decoder = decoder;
        this.window = new CmdSnWindow(target.settings().queueDepth());
    }

    // ---------------------------------------------------------------- accessors for the phase handlers

    ByteBufAllocator alloc() { return channel.alloc(); }
    CmdSnWindow window() { return window; }
    ScsiCommands commands() { return commands; }
    TargetSession session() { return session; }
    NegotiatedParameters params() { return params; }
    boolean active() { return channel.isActive() && closeCause == null; }
    boolean fullFeature() { return session != null; }

    /** The longest data segment we may send: the initiator's declared MaxRecvDataSegmentLength. */
    int initiatorMaxRecvDataSegmentLength() {
        return params.targetMaxRecvDataSegmentLength();
    }

    /** A MaxRecvDataSegmentLength the initiator declares in the full feature phase (RFC 7143 §13.12: Use ALL). */
    void initiatorMaxRecvDataSegmentLength(String value) {
        java.util.OptionalLong n = io.mpathgw.iscsi.text.TextValues.parseNumber(value);
        if (n.isEmpty() || n.getAsLong() < 512 || n.getAsLong() > 16777215)
            throw new IscsiProtocolException("MaxRecvDataSegmentLength: " + value + " (expected: 512..16777215, RFC 7143 §13.12)", 0x09);
        NegotiatedParameters p = params;
        params = new NegotiatedParameters(p.headerDigest(), p.dataDigest(), p.maxConnections(), p.initialR2T(),
                p.immediateData(), p.maxRecvDataSegmentLength(), (int) n.getAsLong(), p.maxBurstLength(),
                p.firstBurstLength(), p.defaultTime2Wait(), p.defaultTime2Retain(), p.maxOutstandingR2T(),
                p.dataPduInOrder(), p.dataSequenceInOrder(), p.errorRecoveryLevel(), p.taskReporting(),
                p.iscsiProtocolLevel());
    }

    int allocateTtt() {
        int t = nextTtt++;
        if (t == Bhs.RESERVED_TAG) t = nextTtt++;
        return t;
    }

    String describe() {
        return session != null ? session.describe() : "login via " + portal.describe() + " from " + channel.remoteAddress();
    }

    void onLoop(Runnable r) {
        if (channel.eventLoop().inEventLoop()) r.run();
        else channel.eventLoop().execute(r);
    }

    // ---------------------------------------------------------------- life cycle

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        login = new LoginResponder(this);
        long timeout = target.settings().loginTimeout().toNanos();
        channel.eventLoop().schedule(() -> {
            if (session == null) close("login not finished after " + target.settings().loginTimeout().toMillis() + " ms");
        }, timeout, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    /** The final Login Response is written: the full feature phase starts with the next PDU (RFC 7143 §13.1). */
    void enterFullFeature(TargetSession s, NegotiatedParameters p, int cid) {
        this.session = s;
        this.params = p;
        this.cid = cid;
        this.login = null;
        digests.enable(p.headerDigest(), p.dataDigest());
        decoder.maxRecvDataSegmentLength(p.maxRecvDataSegmentLength());
        this.text = new TextResponder(this);
        this.nop = new NopIn(this, target.settings().nopInInterval(), target.settings().nopInTimeout());
        nop.start();
        if (s.target() != null) for (LogicalUnit lu : s.target().luns().values()) lu.nexusAdded(s.nexus());
        LOG.fine(() -> "logged in: " + s.describe() + ", " + p);
    }

    void close(String cause) {
        if (closeCause == null) closeCause = cause;
        channel.close();
    }

    /** Closes once everything written so far has left (after a Logout Response or a final Reject). */
    void closeAfterFlush(String cause) {
        if (closeCause == null) closeCause = cause;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String cause = closeCause != null ? closeCause : "connection closed by the initiator";
        if (closeCause == null) closeCause = cause;
        if (nop != null) nop.stop();
        commands.abandonAll();
        window.clear();
        if (login != null) login.release();
        if (session != null) {
            target.registry().remove(session);
            if (session.target() != null)
                for (LogicalUnit lu : session.target().luns().values()) lu.nexusRemoved(session.nexus());
            session.ended(cause);
            LOG.fine(() -> "session ended: " + session.describe() + ": " + cause);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, describe() + ": connection error", cause);
        close("connection error: " + cause);
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TargetFrameDecoder.FrameError e) {
            onFrameError(e);
            return;
        }
        Pdu pdu = (Pdu) msg;
        try {
            if (nop != null) nop.received();
            dispatch(pdu);
        } catch (IscsiProtocolException e) {
            reject(pdu, e.rejectReason(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, describe() + ": internal error handling " + pdu, e);
            close("internal error: " + e);
        } finally {
            ReferenceCountUtil.release(pdu);
        }
    }

    private void dispatch(Pdu pdu) {
        Opcode op = pdu.opcode();
        if (session == null) {
            if (closeCause == null) login.onPdu(pdu);
            return;
        }
        switch (op) {
            case SCSI_DATA_OUT -> commands.onDataOut(pdu, false);          // not ordered by CmdSN
            case LOGIN_REQUEST -> reject(pdu, 0x04, "opcode: Login Request (expected: none in the full feature phase)");
            case SNACK_REQUEST -> reject(pdu, 0x04, "opcode: SNACK (expected: none at ErrorRecoveryLevel 0, RFC 7143 §11.16)");
            default -> ordered(pdu);
        }
    }

    /** RFC 7143 §3.2.2.1: immediate requests at once; others in CmdSN order, outside the window dropped. */
    private void ordered(Pdu pdu) {
        Bhs b = pdu.bhs();
        if (b.immediate()) {
            process(pdu);
            return;
        }
        switch (window.admit(b.cmdSn())) {
            case NOW -> {
                process(pdu);
                for (Pdu next = window.next(); next != null; next = window.next()) {
                    try {
                        process(next);
                    } catch (IscsiProtocolException e) {
                        reject(next, e.rejectReason(), e.getMessage());
                    } finally {
                        next.release();
                    }
                }
            }
            case LATER -> window.hold(b.cmdSn(), pdu.retain());
            case DROP -> LOG.fine(() -> String.format("%s: CmdSN %d outside [%d, %d], ignored (RFC 7143 §4.2.2.1): %s",
                    describe(), b.cmdSn(), window.expCmdSn(), window.maxCmdSn(), b));
        }
    }

    private void process(Pdu pdu) {
        Opcode op = pdu.opcode();
        boolean discovery = session.discovery();
        switch (op) {
            case SCSI_COMMAND -> {
                if (discovery) reject(pdu, 0x05, "SCSI Command in a discovery session (expected: Text, NOP-Out, Logout)");
                else commands.onCommand(pdu);
            }
            case TASK_MGMT_REQUEST -> {
                if (discovery) reject(pdu, 0x05, "Task Management in a discovery session");
                else TmfResponder.onRequest(this, pdu);
            }
            case NOP_OUT -> onNopOut(pdu);
            case TEXT_REQUEST -> text.onRequest(pdu);
            case LOGOUT_REQUEST -> onLogout(pdu);
            default -> reject(pdu, 0x04, "opcode: " + op + " (expected: an initiator request)");
        }
    }

    private void onFrameError(TargetFrameDecoder.FrameError e) {
        LOG.fine(() -> describe() + ": bad PDU: " + e.message());
        if (session == null) {
            if (login != null) login.fail(io.mpathgw.iscsi.login.LoginStatus.INITIATOR_ERROR, e.message());
            else close(e.message());
            if (e.pdu() != null) e.pdu().release();
            return;
        }
        sendReject(e.header(), e.reason());
        if (e.fatal()) {
            closeAfterFlush("protocol error: " + e.message());
            return;
        }
        Pdu pdu = e.pdu();
        if (pdu == null) return;
        try {
            Bhs b = pdu.bhs();
            if (b.opcode() == Opcode.SCSI_DATA_OUT) commands.onDataOut(pdu, true);
            // RFC 7143 §7.8: a command's immediate data is discarded, its non-data part kept: ScsiCommands ends it
            else if (b.opcode() == Opcode.SCSI_COMMAND) dispatch(pdu);
            else if (!b.immediate()) window.skip(b.cmdSn());   // discarded request: its CmdSN must not stall the window
        } catch (IscsiProtocolException ex) {
            reject(pdu, ex.rejectReason(), ex.getMessage());
        } finally {
            pdu.release();
        }
    }

    private void onNopOut(Pdu pdu) {
        Bhs b = pdu.bhs();
        if (b.itt() == Bhs.RESERVED_TAG) {
            if (b.ttt() != Bhs.RESERVED_TAG) nop.answered(b.ttt());     // the answer to our ping
            return;
        }
        // RFC 7143 §11.19: the NOP-In echoes the ping data
        ByteBuf data = pdu.data();
        int n = Math.min(data.readableBytes(), initiatorMaxRecvDataSegmentLength());
        Pdu rsp = Pdu.create(alloc(), Opcode.NOP_IN, data.retainedSlice(data.readerIndex(), n));
        rsp.bhs().flags(Bhs.F_BIT).lun(b.lun()).itt(b.itt()).ttt(Bhs.RESERVED_TAG);
        stamp(rsp.bhs(), true);
        writeAndFlush(rsp);
    }

    /** RFC 7143 §11.14: reason 0 closes the session, 1 this connection; 2 (recovery) needs ERL 2. */
    private void onLogout(Pdu pdu) {
        Bhs b = pdu.bhs();
        int reason = b.reasonCode();
        int response = switch (reason) {
            case 0 -> 0;
            case 1 -> b.cid() == cid ? 0 : 1;              // 1: CID not found
            case 2 -> 2;                                   // connection recovery is not supported
            default -> -1;
        };
        if (response < 0) {
            reject(pdu, 0x09, "Logout reason code: " + reason + " (expected: 0, 1 or 2, RFC 7143 §11.14.1)");
            return;
        }
        Pdu rsp = Pdu.create(alloc(), Opcode.LOGOUT_RESPONSE, null);
        rsp.bhs().flags(Bhs.F_BIT).response(response).itt(b.itt())
                .time2Wait(response == 0 ? 0 : params.defaultTime2Wait()).time2Retain(0);
        stamp(rsp.bhs(), true);
        writeAndFlush(rsp);
        if (response == 0) closeAfterFlush("logged out (reason " + reason + ")");
    }

    /**
     * Async Message (RFC 7143 §11.9). Event 1 gives the initiator {@code p3} seconds to log out, then drops the
     * connection; events 2 and 3 close it right after the message.
     */
    void asyncMessage(int event, int lun, Sense sense, int p1, int p2, int p3) {
        if (session == null || !active()) return;
        ByteBuf data = null;
        if (sense != null) {
            byte[] s = sense.toBytes();
            data = alloc().buffer(2 + s.length).writeShort(s.length).writeBytes(s);
        }
        Pdu pdu = Pdu.create(alloc(), Opcode.ASYNC_MESSAGE, data);
        pdu.bhs().flags(Bhs.F_BIT).lun(Lun.of(lun).raw()).itt(Bhs.RESERVED_TAG).asyncEvent(event).asyncVCode(0)
                .parameter1(event == TargetSession.ASYNC_CONNECTION_DROP ? cid : p1).parameter2(p2).parameter3(p3);
        stamp(pdu.bhs(), true);
        writeAndFlush(pdu);
        switch (event) {
            case TargetSession.ASYNC_LOGOUT_REQUEST -> channel.eventLoop().schedule(() -> {
                if (active()) close("no logout within " + p3 + " s of the Async Message logout request");
            }, Math.max(1, p3), TimeUnit.SECONDS);
            case TargetSession.ASYNC_CONNECTION_DROP, TargetSession.ASYNC_SESSION_DROP ->
                    closeAfterFlush("dropped by the target (Async Message " + event + ")");
            default -> { }
        }
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Fills StatSN, ExpCmdSN and MaxCmdSN of a response (RFC 7143 §4.2.2); {@code advance}: the PDU carries
     * status, so StatSN counts it.
     */
    void stamp(Bhs b, boolean advance) {
        b.statSn(advance ? statSn++ : statSn).expCmdSn(window.expCmdSn()).maxCmdSn(window.maxCmdSn());
    }

    /** The StatSN the next status-carrying PDU will get; login responses count too (§11.13.4). */
    int statSn() {
        return statSn;
    }

    void statSn(int v) {
        statSn = v;
    }

    void write(Pdu pdu) {
        channel.write(pdu, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    void writeAndFlush(Pdu pdu) {
        channel.writeAndFlush(pdu, channel.voidPromise());
    }

    /** Reject (RFC 7143 §11.17) quoting the header of {@code pdu}. */
    void reject(Pdu pdu, int reason, String why) {
        LOG.fine(() -> describe() + ": Reject 0x" + Integer.toHexString(reason) + ": " + why);
        byte[] header = new byte[Bhs.LENGTH];
        pdu.header().getBytes(pdu.header().readerIndex(), header);
        if (session == null) {
            login.fail(io.mpathgw.iscsi.login.LoginStatus.INITIATOR_ERROR, why);
            return;
        }
        sendReject(header, reason);
    }

    private void sendReject(byte[] header, int reason) {
        Pdu r = Pdu.create(alloc(), Opcode.REJECT, Unpooled.wrappedBuffer(header));
        r.bhs().flags(Bhs.F_BIT).rejectReason(reason).itt(Bhs.RESERVED_TAG).dataSn(0);
        stamp(r.bhs(), true);
        writeAndFlush(r);
    }
}
