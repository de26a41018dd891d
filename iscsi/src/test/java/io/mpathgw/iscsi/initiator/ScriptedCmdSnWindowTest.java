package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static io.mpathgw.iscsi.pdu.Bhs.RESERVED_TAG;
import static io.mpathgw.iscsi.pdu.SerialNumber.le;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CmdSN window (RFC 7143 §3.2.2.1, §4.2.2.1): a command never leaves with CmdSN beyond MaxCmdSN, waits in
 * order instead of being dropped, and goes as soon as any PDU widens the window — also across 2^32.
 */
class ScriptedCmdSnWindowTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    /** Holds SCSI Commands unanswered until the test answers them; everything else as the standard target. */
    static final class Holding implements ScriptedTarget.Script {
        final List<Integer> held = new CopyOnWriteArrayList<>();
        final Set<Integer> answered = ConcurrentHashMap.newKeySet();
        volatile boolean answerAll;

        @Override
        public void onPdu(ScriptedPeer p, Pdu pdu) {
            if (pdu.opcode() != Opcode.SCSI_COMMAND) ScriptedDisk.standard(p, pdu);
            else if (answerAll) answer(p, pdu.bhs().itt());
            else held.add(pdu.bhs().itt());
        }

        void answer(ScriptedPeer p, int itt) {
            if (answered.add(itt)) p.send(p.scsiResponse(itt, ScsiResponse.GOOD, null));
        }

        /** From now on answers every command, and answers those held so far; atomic with the PDU flow. */
        void release(ScriptedPeer p) {
            p.onLoop(() -> {
                answerAll = true;
                for (int itt : held) answer(p, itt);
            });
        }
    }

    @ParameterizedTest(name = "initial CmdSN 0x{0}")
    @ValueSource(strings = {"00000001", "fffffffb"})
    void tenCommandsWaitForAWindowOfTwoAndCompleteAsItWidens(String hex) throws Exception {
        int initial = Integer.parseUnsignedInt(hex, 16);
        Holding script = new Holding();
        ScriptedTarget t = h.target(ScriptedTarget.builder().window(2).script(script));
        Session s = h.login(config(t).initialCmdSn(initial));
        ScriptedPeer peer = t.peer(0);
        ScsiTransport lun = s.lun(1);
        List<CompletableFuture<ScsiResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) fs.add(lun.submit(ScsiCommand.none(Cdb.testUnitReady())));

        assertCommandsSettleAt(peer, 2);
        assertThat(fs).noneMatch(CompletableFuture::isDone);

        // an unsolicited NOP-In (both tags reserved) carries a wider window
        peer.maxCmdSn(initial + 4);
        peer.send(peer.nopIn(RESERVED_TAG, RESERVED_TAG, null));
        assertCommandsSettleAt(peer, 5);

        // a MaxCmdSN below the one in force is ignored, not a shrink (§4.2.2.1)
        peer.maxCmdSn(initial + 1);
        peer.send(peer.nopIn(RESERVED_TAG, RESERVED_TAG, null));
        assertCommandsSettleAt(peer, 5);

        // the first command's SCSI Response widens by two more
        peer.maxCmdSn(initial + 6);
        script.answer(peer, script.held.get(0));
        assertCommandsSettleAt(peer, 7);
        get(fs.get(0)).release();

        // an Async Message the initiator ignores (vendor event) still updates the window
        peer.maxCmdSn(initial + 7);
        peer.send(peer.asyncMessage(0, AsyncEvents.VENDOR, 0, 0, 0, null));
        assertCommandsSettleAt(peer, 8);

        peer.window(3);
        script.release(peer);
        for (CompletableFuture<ScsiResponse> f : fs) assertThat(get(f).status()).isEqualTo(ScsiResponse.GOOD);

        List<ScriptedPeer.Received> cmds = peer.received(Opcode.SCSI_COMMAND);
        assertThat(cmds).hasSize(10);
        for (int i = 0; i < 10; i++) {
            ScriptedPeer.Received r = cmds.get(i);
            assertThat(Integer.toHexString(r.cmdSn())).isEqualTo(Integer.toHexString(initial + i));
            assertThat(le(r.cmdSn(), r.maxCmdSn())).as("CmdSN %s <= MaxCmdSN %s in force when it arrived",
                    Integer.toHexString(r.cmdSn()), Integer.toHexString(r.maxCmdSn())).isTrue();
        }
        assertThat(t.violations()).isEmpty();
    }

    @Test
    void aClosedWindowAtLoginHoldsEverythingUntilANopInOpensIt() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().window(0));   // MaxCmdSN = ExpCmdSN - 1
        Session s = h.login(config(t).initialCmdSn(0xffffffff));
        ScriptedPeer peer = t.peer(0);
        CompletableFuture<ScsiResponse> f = s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()));
        assertCommandsSettleAt(peer, 0);

        peer.window(1);
        peer.send(peer.nopIn(RESERVED_TAG, RESERVED_TAG, null));
        assertThat(get(f).status()).isEqualTo(ScsiResponse.GOOD);
        assertThat(peer.received(Opcode.SCSI_COMMAND).get(0).cmdSn()).isEqualTo(0xffffffff);
    }

    @Test
    void aCommandTimingOutInTheQueueFailsWithTimeoutAndNeverLeaves() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().window(1).script(new Holding()));
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);
        ScsiTransport lun = s.lun(0);
        CompletableFuture<ScsiResponse> first = lun.submit(ScsiCommand.none(Cdb.testUnitReady()));
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(512).writeZero(512);
        CompletableFuture<ScsiResponse> queued = lun.submit(
                ScsiCommand.write(Cdb.write10(0, 1, false), data).withTimeout(Duration.ofMillis(100)));
        CompletableFuture<ScsiResponse> after = lun.submit(ScsiCommand.none(Cdb.testUnitReady()));

        TransportException e = ScriptedHarness.failure(queued, Duration.ofSeconds(1));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
        assertThat(e).hasMessageContaining("CmdSN window");
        assertThat(data.refCnt()).as("refCnt of the written buffer after its command timed out in the queue").isZero();

        peer.window(8);
        ((Holding) t.script()).release(peer);
        get(first).release();
        get(after).release();
        // the timed-out command took no CmdSN: the next one follows the first without a gap (checked by the peer)
        assertThat(peer.received(Opcode.SCSI_COMMAND)).hasSize(2);
        assertThat(peer.received(Opcode.TASK_MGMT_REQUEST)).isEmpty();
    }

    @Test
    void queueDepthCountsACommandWaitingForTheWindowOnce() throws Exception {
        Holding script = new Holding();
        ScriptedTarget t = h.target(ScriptedTarget.builder().window(1).script(script));
        Session s = h.login(config(t).queueDepth(4));
        List<CompletableFuture<ScsiResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) fs.add(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())));
        assertCommandsSettleAt(t.peer(0), 1);

        // one sent and three waiting make four: all accepted; the fifth is over the depth
        assertThat(fs.subList(0, 4)).noneMatch(CompletableFuture::isDone);
        assertThat(fs.get(4)).failsWithin(Duration.ofSeconds(1));
        t.peer(0).window(8);
        script.release(t.peer(0));
        for (CompletableFuture<ScsiResponse> f : fs.subList(0, 4)) get(f).release();
    }

    /** Waits until {@code n} commands arrived, then a little longer, and asserts no more came. */
    private static void assertCommandsSettleAt(ScriptedPeer peer, int n) {
        if (n > 0) peer.await(Opcode.SCSI_COMMAND, n);
        ScriptedHarness.sleep(40);
        assertThat(peer.received(Opcode.SCSI_COMMAND)).as("SCSI Commands at the target").hasSize(n);
    }
    @Test
    void aWindowWithMaxCmdSnBelowExpCmdSnMinusOneIsIgnoredWhole() throws Exception {
        Holding script = new Holding();
        ScriptedTarget t = h.target(ScriptedTarget.builder().window(1).script(script));
        Session s = h.login(config(t).initialCmdSn(100));
        ScriptedPeer peer = t.peer(0);
        List<CompletableFuture<ScsiResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) fs.add(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())));
        assertCommandsSettleAt(peer, 1);

        // RFC 7143 §4.2.2.1: MaxCmdSN 108 < ExpCmdSN 110 - 1, so neither field may be taken
        Pdu bogus = peer.nopIn(RESERVED_TAG, RESERVED_TAG, null);
        bogus.bhs().statSn(peer.statSn()).expCmdSn(110).maxCmdSn(108);
        peer.sendUnstamped(bogus);
        assertCommandsSettleAt(peer, 1);

        peer.window(4);
        script.release(peer);
        for (CompletableFuture<ScsiResponse> f : fs) get(f).release();
    }
}
