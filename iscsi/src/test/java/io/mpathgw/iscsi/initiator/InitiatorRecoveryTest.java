package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.tgt.Tgt;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TransportException;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** tgtd killed mid-I/O: every outstanding command fails promptly, and the session comes back with tgtd. */
class InitiatorRecoveryTest {

    static final String IQN = "iqn.2026-11.io.mpathgw.test:recovery";

    @Test
    void tgtdKilledMidIoFailsEverythingPromptlyAndSessionReturns() throws Exception {
        assumeTrue(Tgt.available(), "tgtd missing: run scripts/install-test-peers.sh");
        EventLoopGroup group = EventLoops.create(1);
        try (Tgt tgt = Tgt.builder().portals(1).target(IQN, t -> t.lun(1, 32 << 20)).start()) {
            List<String> transitions = new CopyOnWriteArrayList<>();
            Session s = Session.open(InitiatorConfig.builder(tgt.portals().get(0), IQN)
                    .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(400)).build(), group,
                    new SessionListener() {
                        @Override
                        public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                            transitions.add(to.name());
                        }
                    });
            s.awaitLoggedIn(Duration.ofSeconds(10));
            ScsiTransport lun = s.lun(1);
            lun.submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS).release();

            List<CompletableFuture<ScsiResponse>> inFlight = new ArrayList<>();
            for (int i = 0; i < 64; i++)
                inFlight.add(lun.submit(ScsiCommand.read(Cdb.read16(i * 256L, 256), 256 * 512)));
            tgt.kill();
            long t0 = System.nanoTime();
            int failed = 0;
            for (CompletableFuture<ScsiResponse> f : inFlight) {
                try {
                    f.get(2, TimeUnit.SECONDS).release();        // may have completed before the kill
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(TransportException.class);
                    assertThat(((TransportException) e.getCause()).kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
                    failed++;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("all outstanding commands completed after the kill").isLessThan(1000);
            assertThat(s.state()).isIn(SessionState.RECOVERING, SessionState.LOGGING_IN);
            // while the array is down, new commands fail at once rather than hang
            CompletableFuture<ScsiResponse> down = lun.submit(ScsiCommand.none(Cdb.testUnitReady()));
            try {
                down.get(1, TimeUnit.SECONDS).release();
                fail("a command succeeded while tgtd was dead");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(TransportException.class);
            }

            tgt.restart();
            s.awaitLoggedIn(Duration.ofSeconds(10));
            ScsiResponse r = lun.submit(ScsiCommand.read(Cdb.read16(0, 8), 4096)).get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isIn(ScsiResponse.GOOD, ScsiResponse.CHECK_CONDITION);
            r.release();
            assertThat(transitions).containsSubsequence("LOGGED_IN", "RECOVERING", "LOGGED_IN");
            System.out.printf("tgtd kill: %d of 64 commands failed with CONNECTION_LOST within %d ms%n", failed, ms);
            s.logout().get(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
