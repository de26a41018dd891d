package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduEncoder;
import io.mpathgw.iscsi.pdu.PduFrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An iSCSI target inside the test's JVM whose full-feature behaviour each test scripts, for the edge cases a real
 * target cannot be made to produce. It listens on 127.0.0.1 (port 0) and completes a plain login (no CHAP): it
 * answers every operational key the initiator offered with the test's value where one is set, else with the
 * initiator's own offer (the first value of a list), declares its MaxRecvDataSegmentLength, and then hands every
 * PDU to the {@link Script} ({@link ScriptedDisk#standard} unless the test gives one).
 *
 * <p>Each TCP connection is a {@link ScriptedPeer}. The peers check what the initiator sends against RFC 7143
 * (CmdSN order and window, ExpStatSN, Data-Out rules, frame limits) and collect every breach in
 * {@link #violations()}; {@link ScriptedHarness} fails a test whose target saw any, unless the test expected them.
 */
final class ScriptedTarget implements AutoCloseable {

    static final String IQN = "iqn.2026-11.io.mpathgw.test:scripted";
    /** A {@link Builder#loginStatus} that answers no Login Request at all. */
    static final int SILENT = -1;

    /** What the target does with one full-feature PDU. Runs on the target's event loop; the PDU is released after. */
    @FunctionalInterface
    interface Script {
        void onPdu(ScriptedPeer peer, Pdu pdu);
    }

    /**
     * What the login answers. Test values differ from the initiator's defaults so that a match proves something.
     *
     * @param answers          operational key → the value the target answers (else it echoes the offer)
     * @param maxRecvDataSegmentLength what the target declares: the longest Data-Out segment it accepts
     * @param window           MaxCmdSN - ExpCmdSN + 1 in the final Login Response (0: closed)
     * @param statSn           StatSN of the first Login Response
     * @param tsih             TSIH assigned to the session
     * @param loginResponses   responses until the target transits to FullFeaturePhase (1: at once)
     * @param loginStatus      Status-Class << 8 | Status-Detail of every Login Response (0: success; {@link #SILENT})
     * @param loginStatusKeys  keys sent with a non-zero status, e.g. TargetAddress
     * @param loginSplit       bytes of the first answer's text after which it continues (C bit) in a second response
     */
    record Settings(Map<String, String> answers, int maxRecvDataSegmentLength, int window, int statSn, int tsih,
                    int loginResponses, int loginStatus, List<String> loginStatusKeys, int loginSplit) {
    }

    private final Settings settings;
    private final Channel server;
    private final List<ScriptedPeer> peers = new CopyOnWriteArrayList<>();
    private final List<ScriptedPeer> loggedIn = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> scriptErrors = new CopyOnWriteArrayList<>();
    private final List<Long> loginStarts = new CopyOnWriteArrayList<>();
    private final AtomicInteger loginRequests = new AtomicInteger();
    private volatile Script script;
    private volatile boolean violationsExpected;
    private volatile Integer loginStatus;

    private ScriptedTarget(Settings settings, Script script, EventLoopGroup group) throws InterruptedException {
        this.settings = settings;
        this.script = script;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Digests digests = Digests.none();
                        PduFrameDecoder decoder = new PduFrameDecoder(digests, false, 8192);
                        ScriptedPeer peer = new ScriptedPeer(ScriptedTarget.this, ch, digests, decoder);
                        peers.add(peer);
                        ch.pipeline().addLast(decoder, new PduEncoder(digests), peer);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static Builder builder() {
        return new Builder();
    }

    Settings settings() {
        return settings;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    Script script() {
        return script;
    }

    /** Replaces the script; PDUs already being handled finish under the old one. */
    void script(Script s) {
        script = s;
    }

    /** Breaches of RFC 7143 the initiator committed, in the words of {@code <field>: <value> (expected: …)}. */
    List<String> violations() {
        return violations;
    }

    /** The harness then does not fail the test for them; the test asserts them itself. */
    void expectViolations() {
        violationsExpected = true;
    }

    boolean violationsExpected() {
        return violationsExpected;
    }

    /** From now on every Login Response carries {@code status} (0: success again), whatever the settings say. */
    void loginStatus(int status) {
        loginStatus = status;
    }

    int loginStatus() {
        Integer s = loginStatus;
        return s != null ? s : settings.loginStatus();
    }

    /** Leading Login Requests received (one per login attempt). */
    int logins() {
        return loginStarts.size();
    }

    /** System.nanoTime() of each leading Login Request. */
    List<Long> loginStarts() {
        return loginStarts;
    }

    /** Login Requests received, continuation requests included. */
    int loginRequests() {
        return loginRequests.get();
    }

    /** Every connection accepted so far, in order. */
    List<ScriptedPeer> peers() {
        return peers;
    }

    /** The {@code n}th connection (from 0) that reached the full feature phase; waits for it. */
    ScriptedPeer peer(int n) {
        ScriptedHarness.await("login #" + (n + 1) + " at the scripted target", Duration.ofSeconds(3),
                () -> loggedIn.size() > n);
        return loggedIn.get(n);
    }

    void loginStarted() {
        loginStarts.add(System.nanoTime());
    }

    void loginRequest() {
        loginRequests.incrementAndGet();
    }

    void loggedIn(ScriptedPeer p) {
        loggedIn.add(p);
    }

    void violation(String v) {
        violations.add(v);
    }

    /** A script that threw (an assertion inside it, say): always fails the test. */
    List<String> scriptErrors() {
        return scriptErrors;
    }

    void scriptError(String e) {
        scriptErrors.add(e);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        for (ScriptedPeer p : peers) p.channel.close().syncUninterruptibly();
    }

    /** Login answers and the script; see {@link Settings} for each value. */
    static final class Builder {
        private final Map<String, String> answers = new LinkedHashMap<>();
        private int maxRecvDataSegmentLength = 4096;
        private int window = 32;
        private int statSn = 0xfffffff8;          // StatSN wraps within the first few responses
        private int tsih = 0x1234;
        private int loginResponses = 1;
        private int loginStatus;
        private int loginSplit;
        private final List<String> loginStatusKeys = new ArrayList<>();
        private Script script = ScriptedDisk::standard;

        /** The value the target answers to the initiator's offer of {@code key}. */
        Builder answer(String key, String value) {
            answers.put(key, value);
            return this;
        }

        Builder maxRecvDataSegmentLength(int v) {
            maxRecvDataSegmentLength = v;
            return this;
        }

        Builder window(int v) {
            window = v;
            return this;
        }

        Builder statSn(int v) {
            statSn = v;
            return this;
        }

        Builder loginResponses(int v) {
            loginResponses = v;
            return this;
        }

        /** Every Login Response carries this status (e.g. 0x0101) and these {@code key=value} pairs. */
        Builder loginStatus(int statusClassAndDetail, String... keys) {
            loginStatus = statusClassAndDetail;
            loginStatusKeys.addAll(List.of(keys));
            return this;
        }

        /** Splits the login answer after {@code bytes} bytes over two Login Responses with the C bit. */
        Builder loginSplit(int bytes) {
            loginSplit = bytes;
            return this;
        }

        Builder script(Script s) {
            script = s;
            return this;
        }

        ScriptedTarget start(EventLoopGroup group) throws InterruptedException {
            return new ScriptedTarget(new Settings(Map.copyOf(answers), maxRecvDataSegmentLength, window, statSn, tsih,
                    loginResponses, loginStatus, List.copyOf(loginStatusKeys), loginSplit), script, group);
        }
    }
}
