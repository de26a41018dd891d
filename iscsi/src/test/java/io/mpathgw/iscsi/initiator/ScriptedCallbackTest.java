package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code that runs inside the initiator's completions and events — a multipath engine retrying a failed command at
 * once, a listener with a bug — must not wedge the session: completion runs on the event loop, in the middle of
 * the initiator's own bookkeeping.
 */
class ScriptedCallbackTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void aCommandSubmittedFromAFailureCallbackFailsPromptlyInsteadOfHanging() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() == Opcode.SCSI_COMMAND) p.close();
            else ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t).commandTimeout(Duration.ofSeconds(2)).abortTimeout(Duration.ofMillis(300)));
        ScsiTransport lun = s.lun(0);
        CompletableFuture<CompletableFuture<ScsiResponse>> retry = new CompletableFuture<>();

        lun.submit(ScsiCommand.none(Cdb.testUnitReady())).whenComplete((r, e) -> {
            if (r != null) r.release();
            retry.complete(lun.submit(ScsiCommand.none(Cdb.testUnitReady())));     // on the event loop
        });

        TransportException e = ScriptedHarness.failure(get(retry), Duration.ofSeconds(1));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheSessionFromRecovering() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t), new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                if (to == SessionState.RECOVERING) throw new IllegalStateException("listener bug");
            }
        });
        t.peer(0).close();

        t.peer(1);
        ScriptedHarness.await("LOGGED_IN again", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
        assertThat(h.warnings("listener bug")).isNotEmpty();
        h.clearLogs();
    }
}
