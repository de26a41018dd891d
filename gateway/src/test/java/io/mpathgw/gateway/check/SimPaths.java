package io.mpathgw.gateway.check;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.ArraySimulatorBuilder;
import io.mpathgw.iscsi.sim.SimLun;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A started {@link ArraySimulator} on loopback and our initiator's sessions to its portals, for checker and
 * prioritizer tests; {@link #close()} ends both. Each session is "scanned" after login (a TEST UNIT READY per LUN,
 * answer ignored) to consume the power-on unit attention, as a host's SCSI scan does, so checks see the
 * personality's own answers. Default topology: controllers A (portals 0, 1; target port group 1) and B (portals 2,
 * 3; group 2); LUN 0 owned by and preferring A.
 */
public final class SimPaths implements AutoCloseable {

    public static final String INITIATOR = "iqn.2026-01.io.mpathgw.test:check";
    /** The checker_timeout of these tests: short, so that timeouts are fast, long enough for loopback. */
    public static final Duration TIMEOUT = Duration.ofMillis(800);

    public final ArraySimulator sim;
    private final EventLoopGroup clients = EventLoops.create(1);
    private final List<Session> sessions = new ArrayList<>();
    private final java.util.Map<Integer, Session> byPortal = new java.util.HashMap<>();

    public SimPaths(Consumer<ArraySimulatorBuilder> config) throws InterruptedException {
        ArraySimulatorBuilder b = ArraySimulator.builder().transitionTime(Duration.ofMillis(150));
        config.accept(b);
        sim = b.build().start();
    }

    /** A logged-in, scanned session through {@code portal}; its LUN 0 as a transport. */
    public ScsiTransport path(int portal) throws Exception {
        Session s = Session.open(InitiatorConfig.builder(sim.address(portal), sim.targetName(portal))
                .initiatorName(INITIATOR).loginTimeout(Duration.ofSeconds(3)).commandTimeout(Duration.ofSeconds(5))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(200)).build(), clients);
        sessions.add(s);
        byPortal.put(portal, s);
        s.awaitLoggedIn(Duration.ofSeconds(5));
        for (SimLun l : sim.luns())
            s.lun(l.number()).submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS).release();
        return s.lun(0);
    }

    /**
     * Kills portal {@code portal} and waits until our session through it has seen the reset (the portal resets its
     * connections on their event loops, after kill() returns).
     */
    public void kill(int portal) throws InterruptedException {
        sim.portal(portal).kill();
        awaitDown(portal);
    }

    /** Waits until our session through {@code portal} is no longer logged in (after a kill of its controller). */
    public void awaitDown(int portal) throws InterruptedException {
        Session s = byPortal.get(portal);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (s != null && s.state() == SessionState.LOGGED_IN && System.nanoTime() < until) Thread.sleep(5);
    }

    /**
     * The contract of a checker for an active/passive array: through {@code owner} up, through {@code passive} a
     * ghost (each with multipathd's message), and the other way round once LUN 0 has failed over to controller B.
     */
    public void assertFailoverSwapsUpAndGhost(String checker, int owner, int passive) throws Exception {
        ScsiTransport a = path(owner);
        ScsiTransport b = path(passive);
        assertThat(check(checker, a)).isEqualTo(new CheckResult(PathState.UP, checker + " checker reports path is up"));
        assertThat(check(checker, b)).isEqualTo(new CheckResult(PathState.GHOST, checker + " checker reports path is ghost"));
        sim.failover(1);
        assertThat(check(checker, a).state()).as("the former owner").isEqualTo(PathState.GHOST);
        assertThat(check(checker, b).state()).as("the new owner").isEqualTo(PathState.UP);
    }

    /** One check of {@code path} by a new checker named {@code checker}, as a path's first check. */
    public static CheckResult check(String checker, ScsiTransport path) throws Exception {
        return await(Checkers.create(checker).check(path, TIMEOUT));
    }

    /** Waits for a stage that must complete (the checkers' bound makes it short). */
    public static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (Session s : sessions) s.close();
        sim.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
