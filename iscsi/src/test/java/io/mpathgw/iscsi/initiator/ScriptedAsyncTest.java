package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Async Message (RFC 7143 §11.9): each AsyncEvent the initiator acts on. */
class ScriptedAsyncTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void logoutRequestIsAnsweredWithALogoutAndALoginAgain() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);

        peer.send(peer.asyncMessage(0, AsyncEvents.LOGOUT_REQUEST, 0, 0, 3, null));

        Bhs logout = peer.await(Opcode.LOGOUT_REQUEST, 1).get(0).bhs();
        assertThat(logout.reasonCode()).as("reason: close the session or the connection").isIn(0, 1);
        assertThat(logout.immediate()).isTrue();
        ScriptedPeer second = t.peer(1);
        ScriptedHarness.await("LOGGED_IN", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        assertThat(second.received(Opcode.SCSI_COMMAND)).hasSize(1);
    }

    @Test
    void connectionDropReconnectsAfterTime2WaitBoundedByTheReconnectCap() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t).reconnectCap(Duration.ofMillis(300)));
        ScriptedPeer peer = t.peer(0);

        peer.send(peer.asyncMessage(0, AsyncEvents.CONNECTION_DROP, 0, 2, 0, null));   // Time2Wait 2 s
        t.peer(1);
        long ms = (t.loginStarts().get(1) - peer.lastSent()) / 1_000_000;
        assertThat(ms).as("ms from Async Message 2 (Time2Wait 2 s, reconnectCap 300 ms) to the next login")
                .isBetween(280L, 700L);
        ScriptedHarness.await("LOGGED_IN", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
    }

    @Test
    void connectionDropWithTime2WaitZeroReconnectsAtOnce() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        h.login(config(t).reconnectInitial(Duration.ofMillis(150)).reconnectCap(Duration.ofSeconds(1)));
        ScriptedPeer peer = t.peer(0);

        peer.send(peer.asyncMessage(0, AsyncEvents.CONNECTION_DROP, 0, 0, 0, null));
        t.peer(1);
        long ms = (t.loginStarts().get(1) - peer.lastSent()) / 1_000_000;
        assertThat(ms).as("ms from Async Message 2 (Time2Wait 0) to the next login").isLessThan(120L);
    }

    @Test
    void scsiAsyncEventDeliversTheParsedSenseToListeners() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t), new SessionListener() {
            @Override
            public void asyncSense(Session session, long lun, Sense sense) {
                seen.add(Long.toHexString(lun) + " " + sense.senseKey() + "/" + Integer.toHexString(sense.asc())
                        + "/" + Integer.toHexString(sense.ascq()));
            }
        });
        ScriptedPeer peer = t.peer(0);
        byte[] sense = Sense.ASYMMETRIC_ACCESS_STATE_CHANGED.toBytes();
        ByteBuf data = Unpooled.buffer().writeShort(sense.length).writeBytes(sense).writeBytes(new byte[]{1, 2, 3, 4});

        peer.send(peer.asyncMessage(Lun.of(7).raw(), AsyncEvents.SCSI_ASYNC_EVENT, 0, 0, 0, data));

        ScriptedHarness.await("asyncSense", Duration.ofSeconds(2), () -> !seen.isEmpty());
        assertThat(seen).containsExactly(Long.toHexString(Lun.of(7).raw()) + " 6/2a/6");
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
    }

    @Test
    void renegotiationRequestSendsATextRequest() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);

        peer.send(peer.asyncMessage(0, AsyncEvents.RENEGOTIATE, 0, 0, 5, null));

        ScriptedPeer.Received text = peer.await(Opcode.TEXT_REQUEST, 1).get(0);
        assertThat(TextParameters.decode(text.data()).first("MaxRecvDataSegmentLength")).contains("8192");
        assertThat(text.bhs().finalBit()).isTrue();
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
    }

    @Test
    void renegotiationWhileTheWindowIsFullStillKeepsCmdSnWithinMaxCmdSn() throws Exception {
        List<Integer> held = new CopyOnWriteArrayList<>();
        ScriptedTarget t = h.target(ScriptedTarget.builder().window(1).script((p, pdu) -> {
            if (pdu.opcode() == Opcode.SCSI_COMMAND) held.add(pdu.bhs().itt());
            else ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);
        CompletableFuture<ScsiResponse> first = s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()));
        CompletableFuture<ScsiResponse> second = s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()));
        peer.await(Opcode.SCSI_COMMAND, 1);
        peer.maxCmdSn(peer.expCmdSn() - 1);              // stays full: the Async Message must not open it

        peer.send(peer.asyncMessage(0, AsyncEvents.RENEGOTIATE, 0, 0, 5, null));
        ScriptedHarness.sleep(50);
        // RFC 7143 §3.2.2.1: a non-immediate Text Request needs the window like any command; the window is full
        assertThat(t.violations()).isEmpty();

        peer.window(4);
        peer.send(peer.scsiResponse(held.get(0), ScsiResponse.GOOD, null));
        get(first).release();
        peer.await(Opcode.SCSI_COMMAND, 2);
        peer.send(peer.scsiResponse(held.get(1), ScsiResponse.GOOD, null));
        get(second).release();
        peer.await(Opcode.TEXT_REQUEST, 1);
    }
    @Test
    void aLogoutTheTargetAskedForButNeverAnswersStillEndsTheConnection() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() != Opcode.LOGOUT_REQUEST) ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t).loginTimeout(Duration.ofMillis(300)));
        ScriptedPeer peer = t.peer(0);

        peer.send(peer.asyncMessage(0, AsyncEvents.LOGOUT_REQUEST, 0, 0, 1, null));   // Parameter3: 1 s

        peer.await(Opcode.LOGOUT_REQUEST, 1);
        ScriptedHarness.await("the connection closed without a Logout Response", Duration.ofMillis(1500),
                () -> !peer.channel.isActive());
        t.peer(1);
    }
    @Test
    void aMaxRecvDataSegmentLengthTheTargetDeclaresWhenRenegotiatingLimitsLaterDataOut() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("InitialR2T", "Yes").answer("ImmediateData", "No")
                .script((p, pdu) -> {
                    if (pdu.opcode() != Opcode.TEXT_REQUEST) {
                        ScriptedDisk.standard(p, pdu);
                        return;
                    }
                    // RFC 7143 §13.12: MaxRecvDataSegmentLength is declarative and may be declared again in Text
                    p.maxRecvDataSegmentLength(1024);
                    p.send(p.textResponse(pdu.bhs().itt(), TextParameters.of("MaxRecvDataSegmentLength", "1024")));
                }));
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);
        peer.send(peer.asyncMessage(0, AsyncEvents.RENEGOTIATE, 0, 0, 5, null));
        peer.await(Opcode.TEXT_REQUEST, 1);
        ScriptedHarness.sleep(20);

        ByteBuf data = Unpooled.wrappedBuffer(ScriptedDisk.pattern(0, 8192));
        get(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 16, false), data))).release();
        assertThat(peer.completedWrites().get(0).dataOuts).allMatch(d -> d.length() <= 1024);
    }
}
