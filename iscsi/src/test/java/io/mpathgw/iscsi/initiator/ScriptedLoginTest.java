package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login against the scripted target: the negotiated values, stages, redirects and failures. */
class ScriptedLoginTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void logsInWithTheTargetsAnswersAndCarriesIo() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("MaxBurstLength", "16384")
                .answer("FirstBurstLength", "8192").answer("MaxOutstandingR2T", "4").answer("InitialR2T", "Yes"));
        Session s = h.login(config(t));

        assertThat(s.tsih()).isEqualTo(0x1234);
        assertThat(s.targetAlias()).isEqualTo("scripted");
        assertThat(s.negotiated().targetMaxRecvDataSegmentLength()).isEqualTo(4096);
        assertThat(s.negotiated().maxBurstLength()).isEqualTo(16384);
        assertThat(s.negotiated().firstBurstLength()).isEqualTo(8192);
        assertThat(s.negotiated().maxOutstandingR2T()).isEqualTo(4);
        assertThat(s.negotiated().initialR2T()).isTrue();
        ScriptedPeer peer = t.peer(0);
        assertThat(peer.agreed("initiator.MaxRecvDataSegmentLength")).isEqualTo("8192");

        ScsiTransport lun = s.lun(2);
        get(lun.submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        ScsiResponse r = get(lun.submit(ScsiCommand.read(Cdb.read10(0, 40), 20000)));
        assertThat(ByteBufUtil.getBytes(r.data())).isEqualTo(ScriptedDisk.pattern(0, 20000));
        r.release();
        assertThat(peer.received(Opcode.SCSI_COMMAND)).extracting(rc -> rc.bhs().lun())
                .containsOnly(io.mpathgw.scsi.Lun.of(2).raw());
    }

    @Test
    void walksThroughSeveralLoginResponsesBeforeTransiting() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().loginResponses(3));
        Session s = h.login(config(t));
        assertThat(t.loginRequests()).isEqualTo(3);
        assertThat(t.logins()).isEqualTo(1);
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
    }

    @Test
    void temporaryRedirectLogsInAtTheTargetAddress() throws Exception {
        ScriptedTarget second = h.target(ScriptedTarget.builder());
        ScriptedTarget first = h.target(ScriptedTarget.builder()
                .loginStatus(0x0101, "TargetAddress=127.0.0.1:" + second.address().getPort() + ",1"));
        List<String> causes = new CopyOnWriteArrayList<>();
        Session s = h.login(config(first), new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                causes.add(to + ": " + cause);
            }
        });

        assertThat(first.logins()).isEqualTo(1);
        assertThat(second.logins()).isEqualTo(1);
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        assertThat(second.peer(0).received(Opcode.SCSI_COMMAND)).hasSize(1);
        assertThat(String.join("\n", causes)).contains("Target moved temporarily")
                .contains("127.0.0.1:" + second.address().getPort());
    }

    @Test
    void authenticationFailureFailsAwaitLoggedInNamingTheStatusAndIsNotRetried() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().loginStatus(0x0201));
        Session s = h.open(config(t));

        assertThatThrownBy(() -> s.awaitLoggedIn(Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class).hasMessageContaining("0x0201");
        // LoginStatus: an initiator error needs an administrator, so the session must not hammer the target
        ScriptedHarness.sleep(300);
        assertThat(t.logins()).as("login attempts after 0x0201 within 300 ms (reconnectInitial 20 ms)").isEqualTo(1);
        assertThatThrownBy(() -> s.awaitLoggedIn(Duration.ofMillis(50)))
                .isInstanceOf(IOException.class).hasMessageContaining("0x0201");
        assertThat(s.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void aSessionThatWasLoggedInKeepsRetryingWhenTheTargetRefusesItsLoginForAWhile() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t));
        t.loginStatus(0x0202);                          // authorization failure: an ACL being changed, say
        t.peer(0).close();

        ScriptedHarness.await("three refused logins", Duration.ofSeconds(2), () -> t.logins() >= 4);
        assertThat(s.state()).isIn(SessionState.RECOVERING, SessionState.LOGGING_IN);
        t.loginStatus(0);
        t.peer(1);
        ScriptedHarness.await("LOGGED_IN again", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
    }
    @Test
    void permanentRedirectIsWhereTheSessionReconnectsLater() throws Exception {
        ScriptedTarget second = h.target(ScriptedTarget.builder());
        ScriptedTarget first = h.target(ScriptedTarget.builder()
                .loginStatus(0x0102, "TargetAddress=127.0.0.1:" + second.address().getPort()));
        Session s = h.login(config(first));
        second.peer(0).close();

        second.peer(1);
        ScriptedHarness.await("LOGGED_IN", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
        assertThat(first.logins()).as("logins at the portal that moved permanently").isEqualTo(1);
    }

    @Test
    void aTargetSilentDuringLoginIsGivenUpAfterTheLoginTimeoutAndRetried() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().loginStatus(ScriptedTarget.SILENT));
        Session s = h.open(config(t).loginTimeout(Duration.ofMillis(150)));

        assertThatThrownBy(() -> s.awaitLoggedIn(Duration.ofMillis(400)))
                .isInstanceOf(IOException.class).hasMessageContaining("login timed out after 150 ms");
        ScriptedHarness.await("a second attempt", Duration.ofSeconds(1), () -> t.logins() >= 2);
        assertThat(s.state()).isIn(SessionState.RECOVERING, SessionState.LOGGING_IN);
    }
    @Test
    void loginTextContinuedWithTheCBitIsReassembled() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().loginSplit(37).answer("MaxBurstLength", "65536")
                .answer("FirstBurstLength", "16384").answer("MaxOutstandingR2T", "3"));
        Session s = h.login(config(t));

        assertThat(t.loginRequests()).as("first request, empty continuation request, final request").isEqualTo(3);
        assertThat(s.negotiated().maxBurstLength()).isEqualTo(65536);
        assertThat(s.negotiated().maxOutstandingR2T()).isEqualTo(3);
        assertThat(s.negotiated().targetMaxRecvDataSegmentLength()).isEqualTo(4096);
        assertThat(s.targetAlias()).isEqualTo("scripted");
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
    }

    @Test
    void logoutClosesTheSessionForGood() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);

        s.logout().get(2, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(s.state()).isEqualTo(SessionState.CLOSED);
        var logout = peer.received(Opcode.LOGOUT_REQUEST).get(0).bhs();
        assertThat(logout.reasonCode()).as("reason 0: close the session").isZero();
        assertThat(logout.immediate()).isTrue();
        ScriptedHarness.sleep(100);
        assertThat(t.logins()).isEqualTo(1);
        assertThatThrownBy(() -> get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))))
                .hasCauseInstanceOf(io.mpathgw.scsi.TransportException.class).hasMessageContaining("CLOSED");
    }
}
