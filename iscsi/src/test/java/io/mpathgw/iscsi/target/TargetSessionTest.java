package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionListener;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session life: logout, reinstatement, Async Messages, NOP-In pings, and the portal faults the simulator uses. */
class TargetSessionTest {

    @Test
    void logoutEndsTheSession() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().build());
            TargetSession ts = f.target.sessions().get(0);
            s.logout().get(5, TimeUnit.SECONDS);
            assertThat(ts.closed().get(5, TimeUnit.SECONDS)).contains("logged out");
            assertThat(f.target.sessions()).isEmpty();
            assertThat(f.disk.nexuses).isEmpty();
        }
    }

    /** RFC 7143 §6.3.5: same initiator name and ISID, TSIH 0: the old session goes, its commands with it. */
    @Test
    void reinstatementFailsTheOldSessionsCommands() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session old = f.login(f.config().isid(0x80_1234_5678L).reconnectInitial(Duration.ofSeconds(30)).build());
            int oldTsih = old.tsih();
            f.disk.close();
            CompletableFuture<ScsiResponse> pending = old.lun(0).submit(ScsiCommand.read(Cdb.read16(0, 1), 512));
            while (f.disk.executed.get() < 1) Thread.sleep(5);
            Session fresh = f.login(f.config().isid(0x80_1234_5678L).build());
            assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TransportException.class).hasMessageContaining("CONNECTION_LOST");
            f.disk.open();
            assertThat(fresh.tsih()).isNotEqualTo(oldTsih);
            assertThat(f.target.sessions()).hasSize(1);
            ScsiResponse r = TargetFixture.run(fresh, ScsiCommand.none(Cdb.testUnitReady()));
            assertThat(r.status()).isZero();
        }
    }

    @Test
    void asyncSenseReachesTheInitiator() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            CompletableFuture<Sense> got = new CompletableFuture<>();
            Session s = Session.open(f.config().build(), f.clients, new SessionListener() {
                @Override
                public void asyncSense(Session session, long lun, Sense sense) {
                    got.complete(sense);
                }
            });
            try {
                s.awaitLoggedIn(Duration.ofSeconds(5));
                f.target.sessions().get(0).sendAsyncSense(0, Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
                assertThat(got.get(5, TimeUnit.SECONDS).matches(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED)).isTrue();
                assertThat(TargetFixture.run(s, ScsiCommand.none(Cdb.testUnitReady())).status()).isZero();
            } finally {
                s.close();
            }
        }
    }

    @Test
    void requestLogoutMakesTheInitiatorLogOutAndBackIn() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().build());
            TargetSession ts = f.target.sessions().get(0);
            ts.requestLogout(5);
            assertThat(ts.closed().get(5, TimeUnit.SECONDS)).contains("logged out");
            s.awaitLoggedIn(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (f.target.sessions().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(f.target.sessions()).hasSize(1);
        }
    }

    @Test
    void nopInPingsAnIdleInitiatorThatAnswers() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> s.nopInInterval(Duration.ofMillis(50)).nopInTimeout(Duration.ofMillis(500)),
                n -> { })) {
            Session s = f.login(f.config().nopInterval(Duration.ZERO).build());
            Thread.sleep(400);                  // several pings, all answered: still logged in
            assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
            assertThat(f.target.sessions()).hasSize(1);
        }
    }

    /** kill(): RST to every connection, refused connects after: outstanding commands fail at once. */
    @Test
    void killedPortalFailsCommandsQuickly() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().build());
            f.disk.close();
            CompletableFuture<ScsiResponse> pending = s.lun(0).submit(ScsiCommand.read(Cdb.read16(0, 1), 512));
            while (f.disk.executed.get() < 1) Thread.sleep(5);
            long t0 = System.nanoTime();
            f.target.portal(0).kill();
            assertThatThrownBy(() -> pending.get(2, TimeUnit.SECONDS)).cause().isInstanceOf(TransportException.class)
                    .hasMessageContaining("CONNECTION_LOST");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
            Thread.sleep(300);
            assertThat(s.state()).isEqualTo(SessionState.RECOVERING);       // connects are refused
            f.disk.open();
            f.target.portal(0).revive();
            s.awaitLoggedIn(Duration.ofSeconds(5));
        }
    }

    /** blackhole(true): nothing is read or sent; the initiator's NOP-Out goes unanswered and it drops the connection. */
    @Test
    void blackholeIsDetectedByTheInitiatorsNop() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().nopInterval(Duration.ofMillis(100)).nopTimeout(Duration.ofMillis(300)).build());
            CompletableFuture<String> lost = new CompletableFuture<>();
            s.addListener(new SessionListener() {
                @Override
                public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                    if (to == SessionState.RECOVERING) lost.complete(cause);
                }
            });
            f.target.portal(0).blackhole(true);
            assertThat(lost.get(3, TimeUnit.SECONDS)).contains("NOP-Out ping unanswered");
            f.target.portal(0).blackhole(false);
            s.awaitLoggedIn(Duration.ofSeconds(5));
        }
    }

    /**
     * A black hole lifted before the initiator gives up loses nothing, as TCP behind a link that comes back: the
     * WRITE sent into the hole and the READ behind it complete on the same connection, the data read back is the
     * data written, and the session never recovers.
     */
    @Test
    void liftedBlackholeDeliversEverythingHeld() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().nopInterval(Duration.ofSeconds(30)).nopTimeout(Duration.ofSeconds(30))
                    .commandTimeout(Duration.ofSeconds(30)).build());
            CompletableFuture<String> lost = new CompletableFuture<>();
            s.addListener(new SessionListener() {
                @Override
                public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                    if (to == SessionState.RECOVERING) lost.complete(cause);
                }
            });
            byte[] pattern = new byte[64 * 1024];
            new java.util.Random(7).nextBytes(pattern);
            f.target.portal(0).blackhole(true);
            Thread.sleep(50);                       // the event loop has turned auto-read off
            CompletableFuture<ScsiResponse> write = s.lun(0).submit(ScsiCommand.write(Cdb.write10(100, 128, false),
                    io.netty.buffer.Unpooled.wrappedBuffer(pattern)));
            CompletableFuture<ScsiResponse> read = s.lun(0).submit(ScsiCommand.read(Cdb.read10(100, 128), pattern.length));
            Thread.sleep(300);
            assertThat(write).isNotDone();
            assertThat(read).isNotDone();
            f.target.portal(0).blackhole(false);
            ScsiResponse w = write.get(5, TimeUnit.SECONDS);
            ScsiResponse r = read.get(5, TimeUnit.SECONDS);
            try {
                assertThat(w.status()).isEqualTo(ScsiResponse.GOOD);
                assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
                byte[] got = new byte[r.data().readableBytes()];
                r.data().getBytes(r.data().readerIndex(), got);
                assertThat(got).isEqualTo(pattern);
            } finally {
                w.release();
                r.release();
            }
            assertThat(lost).isNotDone();
        }
    }

    @Test
    void refusedLoginAndLatency() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            f.target.portal(0).refuseLogin(true);
            Session s = f.open(f.config().build());
            assertThatThrownBy(() -> s.awaitLoggedIn(Duration.ofMillis(500))).hasMessageContaining("0x0301");
            f.target.portal(0).refuseLogin(false);
            s.awaitLoggedIn(Duration.ofSeconds(5));
            f.target.portal(0).latency(Duration.ofMillis(150));
            long t0 = System.nanoTime();
            TargetFixture.run(s, ScsiCommand.none(Cdb.testUnitReady())).release();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(140);
        }
    }
}
