package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.target.IscsiTarget;
import io.mpathgw.iscsi.target.PortalConfig;
import io.mpathgw.iscsi.target.TargetNode;
import io.mpathgw.iscsi.target.TargetSettings;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.TransportException;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TaskAbort}'s escalation against our own {@link IscsiTarget}, whose LU can be told to hold every READ for ever
 * while the target still answers NOP-Outs and task management: the case where a path looks alive but does no I/O.
 */
class TimeoutEscalationTest {

    static final String IQN = "iqn.2026-11.io.mpathgw.test:escalation";
    static final Duration TIMEOUT = Duration.ofMillis(200);

    /** READs the LU holds (never answered) while {@link #stall} is set; the target aborts them on ABORT TASK. */
    final List<CompletableFuture<ScsiResponse>> held = new CopyOnWriteArrayList<>();
    volatile boolean stall;
    final List<String> transitions = new CopyOnWriteArrayList<>();
    final AtomicInteger logins = new AtomicInteger();
    EventLoopGroup group;
    IscsiTarget target;

    @BeforeEach
    void start() throws Exception {
        group = EventLoops.create(1);
        SbcLogicalUnit lu = SbcLogicalUnit.builder(new MemoryBlockDevice(512, 8192)).serial("ESC0001")
                .interceptor((task, unit) -> {
                    int op = task.cdb()[0] & 0xff;
                    if (!stall || op != 0x08 && op != 0x28 && op != 0xa8 && op != 0x88) return null;
                    CompletableFuture<ScsiResponse> never = new CompletableFuture<>();
                    held.add(never);
                    return never;
                }).build();
        target = IscsiTarget.builder().settings(TargetSettings.builder().loginTimeout(Duration.ofSeconds(5)).build())
                .target(TargetNode.builder(IQN).lun(0, lu).build())
                .portal(PortalConfig.of(new InetSocketAddress("127.0.0.1", 0))).threads(1).build().start();
    }

    @AfterEach
    void stop() {
        target.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    Session login(int maxConsecutiveTimeouts) throws Exception {
        InitiatorConfig cfg = InitiatorConfig.builder(target.portal(0).address(), IQN)
                .nopInterval(Duration.ofMillis(50)).nopTimeout(Duration.ofMillis(500))
                .commandTimeout(TIMEOUT).abortTimeout(Duration.ofSeconds(1)).maxConsecutiveTimeouts(maxConsecutiveTimeouts)
                .reconnectInitial(Duration.ofMillis(20)).reconnectCap(Duration.ofMillis(100)).build();
        Session s = Session.open(cfg, group, new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                transitions.add(to.name());
                if (to == SessionState.LOGGED_IN) logins.incrementAndGet();
            }
        }).awaitLoggedIn(Duration.ofSeconds(5));
        clearUnitAttentions(s);
        return s;
    }

    /** The LU's unit attentions (power on, I_T nexus loss after a re-login) would answer the next READ first. */
    static void clearUnitAttentions(Session s) throws Exception {
        for (int i = 0; i < 4; i++) {
            ScsiResponse r = s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS);
            r.release();
            if (r.status() == ScsiResponse.GOOD) return;
        }
        throw new AssertionError("TEST UNIT READY still not GOOD after 4 tries");
    }

    static TransportException timeout(Session s, long lba) throws Exception {
        CompletableFuture<ScsiResponse> f = s.lun(0).submit(ScsiCommand.read(Cdb.read10(lba, 1), 512));
        try {
            f.get(5, TimeUnit.SECONDS).release();
            throw new AssertionError("READ at LBA " + lba + " completed while the LU holds READs");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TransportException.class);
            return (TransportException) e.getCause();
        }
    }

    static void read(Session s) throws Exception {
        ScsiResponse r = s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 8), 4096)).get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
        r.release();
    }

    @Test
    void oneTimeoutWithAnAnsweredAbortKeepsTheConnection() throws Exception {
        Session s = login(2);
        read(s);
        stall = true;
        long pings = s.pingsAnswered();
        TransportException e = timeout(s, 1);
        assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
        assertThat(e).hasMessageContaining("aborted");
        assertThat(s.pingsAnswered()).as("NOP-Outs answered while the READ was held").isGreaterThan(pings);

        // a completed command breaks the streak: the next timeout is again only aborted
        stall = false;
        read(s);
        stall = true;
        assertThat(timeout(s, 2)).hasMessageContaining("aborted");
        stall = false;
        read(s);
        assertThat(held).hasSize(2);
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
        assertThat(transitions).as("session transitions").containsExactly("LOGGED_IN");
        assertThat(target.sessions(IQN)).hasSize(1);
        s.close();
    }

    @Test
    void secondTimeoutInARowDropsTheConnectionAndTheSessionLogsInAgain() throws Exception {
        Session s = login(2);
        int tsih = s.tsih();
        read(s);
        stall = true;
        TransportException first = timeout(s, 1);
        assertThat(first.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
        assertThat(first).hasMessageContaining("aborted");
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);

        long t0 = System.nanoTime();
        TransportException second = timeout(s, 2);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(second.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
        assertThat(second).hasMessageContaining("2 command timeouts in a row");
        assertThat(ms).as("the escalated command fails at its timeout, no abort round trip first")
                .isBetween(TIMEOUT.toMillis() - 10, TIMEOUT.toMillis() + 400);

        s.awaitLoggedIn(Duration.ofSeconds(5));
        assertThat(transitions).containsSubsequence("LOGGED_IN", "RECOVERING", "LOGGED_IN");
        assertThat(logins).hasValue(2);
        assertThat(s.lastFailure()).contains("command timeouts in a row");
        clearUnitAttentions(s);
        // back to normal on the new connection: one more timeout is aborted, not escalated
        assertThat(timeout(s, 3)).hasMessageContaining("aborted");
        stall = false;
        read(s);
        assertThat(logins).hasValue(2);
        assertThat(target.sessions(IQN)).as("the old session was reinstated, not kept beside the new").hasSize(1);
        System.out.printf("escalation: TSIH 0x%04x -> 0x%04x, transitions %s%n", tsih, s.tsih(), transitions);
        s.close();
    }

    @Test
    void theLimitIsConfigurable() throws Exception {
        Session s = login(3);
        stall = true;
        assertThat(timeout(s, 1)).hasMessageContaining("aborted");
        assertThat(timeout(s, 2)).hasMessageContaining("aborted");
        assertThat(logins).hasValue(1);
        assertThat(timeout(s, 3)).hasMessageContaining("3 command timeouts in a row");
        s.awaitLoggedIn(Duration.ofSeconds(5));
        assertThat(logins).hasValue(2);

        // 1: the first timeout drops the connection, without an abort
        Session one = login(1);
        assertThat(timeout(one, 4)).hasMessageContaining("1 command timeouts in a row");
        one.awaitLoggedIn(Duration.ofSeconds(5));
        assertThat(logins).hasValue(4);
        s.close();
        one.close();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> InitiatorConfig.builder(new InetSocketAddress("127.0.0.1", 3260), IQN)
                .maxConsecutiveTimeouts(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConsecutiveTimeouts: 0");
    }
}
