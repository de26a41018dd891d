package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduFrameDecoder;
import io.mpathgw.iscsi.text.TextParameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpathgw.iscsi.pdu.Bhs.RESERVED_TAG;
import static io.mpathgw.iscsi.pdu.SerialNumber.gt;
import static io.mpathgw.iscsi.pdu.SerialNumber.lt;

/**
 * One connection of a {@link ScriptedTarget}: logs the initiator in, then records every PDU, checks it against
 * RFC 7143 and hands it to the target's script. It numbers what it sends ({@link #send}: StatSN, ExpCmdSN,
 * MaxCmdSN), and lets a test steer the CmdSN window, go silent, close or reset the connection.
 *
 * <p>Sequence state lives on the connection's event loop; every method may be called from any thread and runs
 * there, in call order. Builders ({@link #scsiResponse}, {@link #dataIn}…) return PDUs the caller owns until it
 * passes them to {@link #send}.
 */
final class ScriptedPeer extends ChannelInboundHandlerAdapter {

    /** Keys an initiator declares rather than offers: the target does not answer them (RFC 7143 §13). */
    private static final Set<String> DECLARED = Set.of("InitiatorName", "InitiatorAlias", "SessionType", "TargetName",
            "MaxRecvDataSegmentLength");
    /** Initiator PDUs that carry a CmdSN (RFC 7143 §3.2.2.1). */
    private static final Set<Opcode> NUMBERED = EnumSet.of(Opcode.NOP_OUT, Opcode.SCSI_COMMAND,
            Opcode.TASK_MGMT_REQUEST, Opcode.TEXT_REQUEST, Opcode.LOGOUT_REQUEST);

    /**
     * One PDU the initiator sent, copied as the target received it.
     *
     * @param maxCmdSn the highest MaxCmdSN the target had sent when the PDU arrived
     */
    record Received(byte[] header, byte[] data, long nanos, int maxCmdSn) {
        Bhs bhs() {
            return new Bhs(Unpooled.wrappedBuffer(header));
        }

        Opcode opcode() {
            return bhs().opcode();
        }

        int itt() {
            return bhs().itt();
        }

        int cmdSn() {
            return bhs().cmdSn();
        }

        @Override
        public String toString() {
            return bhs().toString();
        }
    }

    final ScriptedTarget target;
    final Channel channel;
    private final Digests digests;
    private final PduFrameDecoder decoder;
    private final Map<String, String> agreed = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** WRITEs in progress under the standard script, by ITT; event loop only. */
    final Map<Integer, ScriptedWrite> writes = new HashMap<>();
    private final List<ScriptedWrite> completedWrites = new CopyOnWriteArrayList<>();
    private volatile boolean fullFeature;
    private volatile boolean silent;
    private volatile long lastSent;
    private int loginResponses;
    private volatile int maxRecvDataSegmentLength;
    private byte[] pendingLoginText;
    private volatile int statSn;
    private volatile int expCmdSn;
    private volatile int advertisedMax;
    private int lastExpStatSn;
    private volatile Integer fixedMax;
    private volatile int window;
    private int nextTtt = 0x7000;

    ScriptedPeer(ScriptedTarget target, Channel channel, Digests digests, PduFrameDecoder decoder) {
        this.target = target;
        this.channel = channel;
        this.digests = digests;
        this.decoder = decoder;
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Pdu pdu = (Pdu) msg;
        try {
            if (!fullFeature) onLogin(pdu);
            else onFullFeature(pdu);
        } catch (Throwable e) {
            target.scriptError("on " + pdu + ": " + e);
        } finally {
            pdu.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (!(c instanceof java.io.IOException)) target.violation("malformed PDU from the initiator: " + c.getMessage());
        ctx.close();
    }

    private void onFullFeature(Pdu pdu) {
        received.add(new Received(ByteBufUtil.getBytes(pdu.header()), ByteBufUtil.getBytes(pdu.data()),
                System.nanoTime(), advertisedMax));
        check(pdu.bhs());
        if (!silent) target.script().onPdu(this, pdu);
    }

    /** RFC 7143 §3.2.2.1: in order, within the window; immediate PDUs carry the next CmdSN without taking it. */
    private void check(Bhs b) {
        Opcode op = b.opcode();
        if (gt(b.expStatSn(), statSn))
            violation(String.format("ExpStatSN of %s: %d (expected: <= %d, the next StatSN)", op,
                    Integer.toUnsignedLong(b.expStatSn()), Integer.toUnsignedLong(statSn)));
        if (lt(b.expStatSn(), lastExpStatSn))
            violation(String.format("ExpStatSN of %s: %d (expected: >= %d, never backwards)", op,
                    Integer.toUnsignedLong(b.expStatSn()), Integer.toUnsignedLong(lastExpStatSn)));
        lastExpStatSn = b.expStatSn();
        if (!NUMBERED.contains(op)) return;
        long sn = Integer.toUnsignedLong(b.cmdSn());
        if (b.immediate()) {
            if (b.cmdSn() != expCmdSn)
                violation(String.format("CmdSN of immediate %s: %d (expected: %d, the next CmdSN)", op, sn,
                        Integer.toUnsignedLong(expCmdSn)));
            return;
        }
        if (b.cmdSn() != expCmdSn)
            violation(String.format("CmdSN of %s: %d (expected: %d, in order)", op, sn, Integer.toUnsignedLong(expCmdSn)));
        if (gt(b.cmdSn(), advertisedMax))
            violation(String.format("CmdSN of %s: %d (expected: <= MaxCmdSN %d)", op, sn,
                    Integer.toUnsignedLong(advertisedMax)));
        expCmdSn = b.cmdSn() + 1;
    }

    void violation(String v) {
        target.violation(v);
    }

    // ---------------------------------------------------------------- login

    private void onLogin(Pdu req) {
        Bhs b = req.bhs();
        if (b.opcode() != Opcode.LOGIN_REQUEST) {
            violation("opcode: " + b.opcode() + " (expected: Login Request before the full feature phase)");
            channel.close();
            return;
        }
        target.loginRequest();
        ScriptedTarget.Settings s = target.settings();
        if (loginResponses == 0) target.loginStarted();
        if (target.loginStatus() == ScriptedTarget.SILENT) return;
        if (loginResponses == 0) {
            lastExpStatSn = s.statSn();
            statSn = s.statSn();
            expCmdSn = b.cmdSn();
            window = s.window();
        }
        boolean ok = target.loginStatus() == 0;
        TextParameters answer = new TextParameters();
        if (!ok)
            for (String kv : s.loginStatusKeys()) answer.add(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        else if (loginResponses == 0) answer = answers(TextParameters.decode(req.data().duplicate()), s);
        byte[] text = answer.encode();
        if (pendingLoginText != null) {
            // RFC 7143 §11.13.3 (C bit): the initiator asks for the rest with an empty request
            if (req.data().isReadable())
                violation("Login Request after C=1: " + req.data().readableBytes() + " bytes (expected: none)");
            text = pendingLoginText;
            pendingLoginText = null;
        } else if (ok && s.loginSplit() > 0 && text.length > s.loginSplit()) {
            pendingLoginText = Arrays.copyOfRange(text, s.loginSplit(), text.length);
            text = Arrays.copyOf(text, s.loginSplit());
        }
        boolean more = pendingLoginText != null;
        boolean transit = !more && ok && b.transit() && loginResponses + 1 >= s.loginResponses();
        loginResponses++;
        Pdu rsp = Pdu.create(channel.alloc(), Opcode.LOGIN_RESPONSE, Unpooled.wrappedBuffer(text));
        int max = maxCmdSn();
        rsp.bhs().loginStage(transit, b.csg(), transit ? b.nsg() : 0).continueBit(more).versionMax(0).versionMinOrActive(0)
                .isid(b.isid()).tsih(ok ? s.tsih() : 0).itt(b.itt()).statSn(statSn++).expCmdSn(expCmdSn).maxCmdSn(max)
                .loginStatus(target.loginStatus() >> 8, target.loginStatus() & 0xff);
        advertisedMax = max;
        write(rsp);
        if (transit) enterFullFeature(s);
    }

    private TextParameters answers(TextParameters offer, ScriptedTarget.Settings s) {
        TextParameters answer = new TextParameters();
        for (TextParameters.Entry e : offer) {
            if (DECLARED.contains(e.key())) {
                agreed.put("initiator." + e.key(), e.value());
                continue;
            }
            String v = s.answers().getOrDefault(e.key(), e.value().split(",")[0]);
            answer.add(e.key(), v);
            agreed.put(e.key(), v);
        }
        return answer.add("TargetAlias", "scripted").add("TargetPortalGroupTag", "1")
                .add("MaxRecvDataSegmentLength", Integer.toString(s.maxRecvDataSegmentLength()));
    }

    private void enterFullFeature(ScriptedTarget.Settings s) {
        // RFC 7143 §13.1: digests start with the first PDU after the final Login Response (encoded above)
        digests.enable("CRC32C".equals(agreed.get("HeaderDigest")), "CRC32C".equals(agreed.get("DataDigest")));
        maxRecvDataSegmentLength(s.maxRecvDataSegmentLength());
        fullFeature = true;
        target.loggedIn(this);
    }

    /** The longest data segment the target accepts from now on (as if it had declared it again in a Text Response). */
    void maxRecvDataSegmentLength(int v) {
        onLoop(() -> {
            maxRecvDataSegmentLength = v;
            decoder.maxRecvDataSegmentLength(v);
        });
    }

    int maxRecvDataSegmentLength() {
        return maxRecvDataSegmentLength;
    }

    /** What the login agreed for {@code key}; the initiator's declarations as {@code initiator.<key>}. */
    String agreed(String key) {
        return agreed.get(key);
    }

    int agreedNumber(String key, int defaultValue) {
        String v = agreed.get(key);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    boolean agreedYes(String key, boolean defaultValue) {
        String v = agreed.get(key);
        return v == null ? defaultValue : v.equals("Yes");
    }

    // ---------------------------------------------------------------- outbound and control

    /** Stamps StatSN (advancing it where RFC 7143 says so), ExpCmdSN and MaxCmdSN, and sends. */
    void send(Pdu pdu) {
        onLoop(() -> {
            stamp(pdu.bhs());
            write(pdu);
        });
    }

    /** Sends {@code pdu} with the sequence numbers the caller set (none are stamped, nothing is advertised). */
    void sendUnstamped(Pdu pdu) {
        onLoop(() -> write(pdu));
    }

    /** Sends bytes as they are: a malformed PDU, a bad digest. */
    void sendRaw(ByteBuf bytes) {
        onLoop(() -> write(bytes));
    }

    private void stamp(Bhs b) {
        switch (b.opcode()) {
            case R2T -> b.statSn(statSn);
            case NOP_IN -> b.statSn(b.itt() == RESERVED_TAG ? statSn : statSn++);   // §11.19: 0xffffffff does not advance
            case SCSI_DATA_IN -> { if (b.statusBit()) b.statSn(statSn++); }
            default -> b.statSn(statSn++);
        }
        int max = maxCmdSn();
        b.expCmdSn(expCmdSn).maxCmdSn(max);
        if (gt(max, advertisedMax)) advertisedMax = max;
    }

    private void write(Object msg) {
        lastSent = System.nanoTime();
        channel.writeAndFlush(msg);
    }

    private int maxCmdSn() {
        Integer f = fixedMax;
        return f != null ? f : expCmdSn + window - 1;
    }

    /** From now on MaxCmdSN = ExpCmdSN + {@code n} - 1, sliding as commands arrive. */
    void window(int n) {
        onLoop(() -> {
            fixedMax = null;
            window = n;
        });
    }

    /** From now on MaxCmdSN is {@code v}, whatever arrives. */
    void maxCmdSn(int v) {
        onLoop(() -> fixedMax = v);
    }

    /** The target stops answering: PDUs are still recorded, the script no longer sees them. */
    void silent() {
        silent = true;
    }

    void close() {
        channel.close();
    }

    /** Closes with SO_LINGER 0: the initiator sees a TCP RST. */
    void reset() {
        onLoop(() -> {
            if (!channel.isOpen()) return;
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        });
    }

    void onLoop(Runnable r) {
        if (channel.eventLoop().inEventLoop()) r.run();
        else channel.eventLoop().execute(r);
    }

    int expCmdSn() {
        return expCmdSn;
    }

    int statSn() {
        return statSn;
    }

    /** System.nanoTime() of the last PDU this peer sent. */
    long lastSent() {
        return lastSent;
    }

    int nextTtt() {
        return nextTtt++;
    }

    List<Received> received() {
        return received;
    }

    List<Received> received(Opcode op) {
        return received.stream().filter(r -> r.opcode() == op).toList();
    }

    /** Waits until {@code count} PDUs of {@code op} arrived; returns all of them so far. */
    List<Received> await(Opcode op, int count) {
        ScriptedHarness.await(count + " x " + op + " at the target (have " + received(op).size() + ")",
                Duration.ofSeconds(3), () -> received(op).size() >= count);
        return received(op);
    }

    /** WRITE commands the standard script completed, in order. */
    List<ScriptedWrite> completedWrites() {
        return completedWrites;
    }

    void completed(ScriptedWrite w) {
        completedWrites.add(w);
    }

    // ---------------------------------------------------------------- PDU builders (the caller owns the result)

    /** SCSI Response (RFC 7143 §11.4) with status and, if given, sense as SenseLength + bytes. */
    Pdu scsiResponse(int itt, int status, byte[] sense) {
        ByteBuf data = sense == null ? null
                : channel.alloc().buffer(2 + sense.length).writeShort(sense.length).writeBytes(sense);
        Pdu p = Pdu.create(channel.alloc(), Opcode.SCSI_RESPONSE, data);
        p.bhs().flags(Bhs.F_BIT).response(0).status(status).itt(itt);
        return p;
    }

    /** Data-In (§11.7) without F or S; set them on the result for the last PDU. */
    Pdu dataIn(int itt, int dataSn, int offset, ByteBuf data) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.SCSI_DATA_IN, data);
        p.bhs().itt(itt).ttt(RESERVED_TAG).dataSn(dataSn).bufferOffset(offset);
        return p;
    }

    Pdu r2t(int itt, long lun, int ttt, int r2tSn, int offset, int length) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.R2T, null);
        p.bhs().flags(Bhs.F_BIT).lun(lun).itt(itt).ttt(ttt).r2tSn(r2tSn).bufferOffset(offset).desiredDataTransferLength(length);
        return p;
    }

    Pdu nopIn(int itt, int ttt, ByteBuf data) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.NOP_IN, data);
        p.bhs().flags(Bhs.F_BIT).itt(itt).ttt(ttt);
        return p;
    }

    Pdu tmfResponse(int itt, int response) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.TASK_MGMT_RESPONSE, null);
        p.bhs().flags(Bhs.F_BIT).response(response).itt(itt);
        return p;
    }

    Pdu textResponse(int itt, TextParameters keys) {
        ByteBuf text = channel.alloc().buffer();
        keys.encodeTo(text);
        Pdu p = Pdu.create(channel.alloc(), Opcode.TEXT_RESPONSE, text);
        p.bhs().flags(Bhs.F_BIT).itt(itt).ttt(RESERVED_TAG);
        return p;
    }

    Pdu logoutResponse(int itt, int response) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.LOGOUT_RESPONSE, null);
        p.bhs().flags(Bhs.F_BIT).response(response).itt(itt);
        return p;
    }

    /** Async Message (§11.9) for {@code lun} with AsyncEvent and Parameter1..3. */
    Pdu asyncMessage(long lun, int event, int p1, int p2, int p3, ByteBuf data) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.ASYNC_MESSAGE, data);
        p.bhs().flags(Bhs.F_BIT).lun(lun).itt(RESERVED_TAG).asyncEvent(event).parameter1(p1).parameter2(p2).parameter3(p3);
        return p;
    }

    /** Reject (§11.17) carrying the rejected PDU's header. */
    Pdu reject(int reason, byte[] rejectedHeader) {
        Pdu p = Pdu.create(channel.alloc(), Opcode.REJECT, Unpooled.wrappedBuffer(rejectedHeader, 0, Bhs.LENGTH));
        p.bhs().flags(Bhs.F_BIT).rejectReason(reason).itt(RESERVED_TAG);
        return p;
    }
}
