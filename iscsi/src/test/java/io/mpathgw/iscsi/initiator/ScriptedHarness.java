package io.mpathgw.iscsi.initiator;

import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What every Scripted*Test shares, registered with {@code @RegisterExtension}: an initiator event loop group (epoll
 * where available, as in production) and a target group (NIO); targets and sessions closed after each test; and
 * three checks after each test — the targets saw no RFC 7143 breach and no script failed, no exception escaped an
 * event loop (Netty logs those as WARNING: "An exceptionCaught() event was fired…", "A task raised an
 * exception…"), and Netty's leak detector (PARANOID in surefire) reported no ByteBuf collected unreleased.
 *
 * <p>java.util.logging records are captured from the root logger; Netty logs there too, since the test class path
 * has no SLF4J provider.
 */
final class ScriptedHarness implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final Logger ROOT = Logger.getLogger("");

    private EventLoopGroup initiatorLoops;
    private EventLoopGroup targetLoops;
    private final List<ScriptedTarget> targets = new CopyOnWriteArrayList<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        initiatorLoops = EventLoops.create(2);
        targetLoops = new NioEventLoopGroup(2);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        initiatorLoops.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).sync();
        targetLoops.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).sync();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        logs.clear();
        capture.setLevel(Level.ALL);
        ROOT.addHandler(capture);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (Session s : sessions) s.close();
            for (Session s : sessions)
                await("session closed: " + s.describe(), Duration.ofSeconds(2), () -> s.state() == SessionState.CLOSED);
            for (ScriptedTarget t : targets) t.close();
            provokeLeakReports();
            List<String> problems = new ArrayList<>();
            for (ScriptedTarget t : targets) {
                problems.addAll(t.scriptErrors());
                if (!t.violationsExpected()) problems.addAll(t.violations());
            }
            assertThat(problems).as("RFC 7143 breaches seen by the scripted targets, and script failures").isEmpty();
            assertThat(escaped()).as("exceptions that escaped an event loop, and ByteBuf leaks").isEmpty();
        } finally {
            ROOT.removeHandler(capture);
            sessions.clear();
            targets.clear();
        }
    }

    /** The detector reports collected buffers when it tracks a new one: collect, then allocate. */
    private static void provokeLeakReports() {
        System.gc();
        sleep(20);
        ByteBufAllocator.DEFAULT.directBuffer(1).release();
        ByteBufAllocator.DEFAULT.heapBuffer(1).release();
    }

    ScriptedTarget target(ScriptedTarget.Builder b) throws InterruptedException {
        ScriptedTarget t = b.start(targetLoops);
        targets.add(t);
        return t;
    }

    /** An initiator config for {@code t} with timers short enough for tests; pings off unless a test wants them. */
    static InitiatorConfig.Builder config(ScriptedTarget t) {
        return InitiatorConfig.builder(t.address(), ScriptedTarget.IQN)
                .maxRecvDataSegmentLength(8192)
                .nopInterval(Duration.ZERO)
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(5))
                .abortTimeout(Duration.ofSeconds(1))
                .reconnectInitial(Duration.ofMillis(20)).reconnectCap(Duration.ofMillis(200));
    }

    Session open(InitiatorConfig.Builder cfg, SessionListener... listeners) {
        Session s = Session.open(cfg.build(), initiatorLoops, listeners);
        sessions.add(s);
        return s;
    }

    Session login(InitiatorConfig.Builder cfg, SessionListener... listeners) throws IOException, InterruptedException {
        return open(cfg, listeners).awaitLoggedIn(Duration.ofSeconds(3));
    }

    /** Forgets what was captured so far (for tests of the harness itself). */
    void clearLogs() {
        logs.clear();
    }

    /** Runs the leak detector's report as afterEach does, for tests of the harness itself. */
    static void collectGarbage() {
        provokeLeakReports();
    }

    /** Captured records at WARNING or above whose message contains {@code part}. */
    List<String> warnings(String part) {
        return logs.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(ScriptedHarness::text).filter(m -> m.contains(part)).toList();
    }

    /** Netty's warnings about exceptions nobody handled, any record carrying an exception, and leak reports. */
    List<String> escaped() {
        return logs.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("io.netty") || r.getThrown() != null
                        || text(r).contains("LEAK"))
                .map(r -> r.getLoggerName() + ": " + text(r) + (r.getThrown() != null ? " / " + r.getThrown() : ""))
                .toList();
    }

    private static String text(LogRecord r) {
        String m = r.getMessage();
        if (m != null && r.getParameters() != null && m.contains("{0"))
            m = java.text.MessageFormat.format(m, r.getParameters());
        return m == null ? "" : m;
    }

    // ---------------------------------------------------------------- helpers for tests

    /** Polls {@code condition} every 2 ms; fails naming {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            sleep(2);
        }
    }

    /** The TransportException {@code f} failed with, within {@code timeout}. */
    static TransportException failure(CompletableFuture<?> f, Duration timeout) {
        try {
            Object v = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (v instanceof io.netty.util.ReferenceCounted rc) rc.release();
            return fail("expected a TransportException, got " + v);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TransportException.class);
            return (TransportException) e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            return fail("still pending after " + timeout.toMillis() + " ms");
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(3, TimeUnit.SECONDS);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
