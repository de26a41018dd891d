package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static io.mpathgw.iscsi.pdu.Bhs.RESERVED_TAG;
import static org.assertj.core.api.Assertions.assertThat;

/** NOP-Out/NOP-In (RFC 7143 §11.18, §11.19): answering the target's pings, and finding a silent target by ours. */
class ScriptedNopTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void aTargetPingIsAnsweredWithItsTttAndLunImmediatelyWithoutTakingACmdSn() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        long lun = Lun.of(5).raw();
        int statSnBefore = peer.statSn();

        var ping = peer.nopIn(RESERVED_TAG, 0x1234abcd, null);
        ping.bhs().lun(lun);
        peer.send(ping);

        Bhs out = peer.await(Opcode.NOP_OUT, 1).get(0).bhs();
        assertThat(out.ttt()).isEqualTo(0x1234abcd);
        assertThat(out.itt()).isEqualTo(RESERVED_TAG);
        assertThat(out.immediate()).isTrue();
        assertThat(out.finalBit()).isTrue();
        assertThat(out.lun()).isEqualTo(lun);
        assertThat(out.expStatSn()).as("ExpStatSN: a NOP-In with ITT 0xffffffff does not advance StatSN")
                .isEqualTo(statSnBefore);
        assertThat(out.cmdSn()).isEqualTo(peer.expCmdSn());
        // a NOP-In with both tags reserved asks for nothing
        peer.send(peer.nopIn(RESERVED_TAG, RESERVED_TAG, null));
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        assertThat(peer.received(Opcode.NOP_OUT)).hasSize(1);
    }

    @Test
    void anIdleSessionPingsAndTheAnswersKeepItUp() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t).nopInterval(Duration.ofMillis(60)).nopTimeout(Duration.ofMillis(60)));
        ScriptedPeer peer = t.peer(0);
        ScriptedHarness.await("3 pings answered", Duration.ofSeconds(2), () -> s.pingsAnswered() >= 3);

        for (ScriptedPeer.Received r : peer.received(Opcode.NOP_OUT)) {
            Bhs b = r.bhs();
            assertThat(b.itt()).isNotEqualTo(RESERVED_TAG);
            assertThat(b.ttt()).isEqualTo(RESERVED_TAG);
            assertThat(b.immediate()).isTrue();
        }
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
        assertThat(t.logins()).isEqualTo(1);
    }

    @Test
    void aSilentTargetIsFoundWithinNopIntervalPlusNopTimeoutAndEveryCommandFails() throws Exception {
        Duration interval = Duration.ofMillis(100);
        Duration timeout = Duration.ofMillis(100);
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t).nopInterval(interval).nopTimeout(timeout));
        ScriptedPeer peer = t.peer(0);
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();

        peer.silent();
        long silentSince = peer.lastSent();
        List<CompletableFuture<ScsiResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 3; i++) fs.add(s.lun(0).submit(ScsiCommand.read(Cdb.read10(i, 1), 512)));
        for (CompletableFuture<ScsiResponse> f : fs) {
            TransportException e = ScriptedHarness.failure(f, Duration.ofSeconds(2));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
            assertThat(e).hasMessageContaining("NOP-Out ping unanswered");
        }
        long ms = (System.nanoTime() - silentSince) / 1_000_000;
        // interval + timeout, plus up to two check periods (max(20 ms, min/4) each) and scheduling slack
        assertThat(ms).as("ms from the target's last PDU until every command failed")
                .isBetween(interval.plus(timeout).toMillis() - 10, interval.plus(timeout).toMillis() + 150);
        assertThat(peer.received(Opcode.NOP_OUT)).anySatisfy(r -> assertThat(r.bhs().itt()).isNotEqualTo(RESERVED_TAG));
        t.peer(1);                                       // the session logged in again on a new connection
    }
}
