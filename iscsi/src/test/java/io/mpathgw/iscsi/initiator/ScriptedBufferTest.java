package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buffer ownership (ScsiTransport's contract, ARCHITECTURE.md "who releases a buffer"): the transport releases a
 * written buffer exactly once whatever happens to the command, and a response's data is the caller's to release —
 * after which nothing of it stays allocated. Netty's leak detector (PARANOID) runs after each test as well.
 */
class ScriptedBufferTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    /** Ways a WRITE can end other than GOOD, each with the kind the command fails with. */
    enum Ending {
        CLOSED_WHILE_WAITING_FOR_R2T(TransportException.Kind.CONNECTION_LOST),
        RESET_AFTER_THE_FIRST_DATA_OUT(TransportException.Kind.CONNECTION_LOST),
        TIMED_OUT_AND_ABORTED(TransportException.Kind.TIMEOUT),
        REJECTED(TransportException.Kind.PROTOCOL_ERROR),
        TARGET_FAILURE_RESPONSE(TransportException.Kind.PROTOCOL_ERROR),
        WAITING_FOR_THE_WINDOW_WHEN_THE_CONNECTION_DROPS(TransportException.Kind.CONNECTION_LOST),
        SESSION_CLOSED(TransportException.Kind.CLOSED);

        final TransportException.Kind kind;

        Ending(TransportException.Kind kind) {
            this.kind = kind;
        }
    }

    static ByteBuf payload(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte) (i * 13);
        return PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(bytes);   // one call: PARANOID records each
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Ending.class)
    void aWrittenBufferIsReleasedOnEveryFailurePath(Ending ending) throws Exception {
        boolean narrow = ending == Ending.WAITING_FOR_THE_WINDOW_WHEN_THE_CONNECTION_DROPS;
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("InitialR2T", "Yes").answer("MaxBurstLength", "16384")
                .answer("FirstBurstLength", "16384").window(narrow ? 1 : 32).script((p, pdu) -> onPdu(ending, p, pdu)));
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);
        List<ByteBuf> bufs = new ArrayList<>();
        List<CompletableFuture<ScsiResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ByteBuf data = payload(65536);
            bufs.add(data);
            fs.add(s.lun(0).submit(ScsiCommand.write(Cdb.write10(i * 128L, 128, false), data)
                    .withTimeout(Duration.ofMillis(ending == Ending.TIMED_OUT_AND_ABORTED ? 100 : 3000))));
        }
        peer.await(Opcode.SCSI_COMMAND, 1);
        if (ending == Ending.WAITING_FOR_THE_WINDOW_WHEN_THE_CONNECTION_DROPS) {
            ScriptedHarness.sleep(20);
            assertThat(peer.received(Opcode.SCSI_COMMAND)).hasSize(1);
            peer.close();
        }
        if (ending == Ending.SESSION_CLOSED) {
            ScriptedHarness.sleep(20);
            s.close();
        }

        for (int i = 0; i < 2; i++) {
            TransportException e = ScriptedHarness.failure(fs.get(i), Duration.ofSeconds(2));
            if (i == 0 || ending != Ending.REJECTED && ending != Ending.TARGET_FAILURE_RESPONSE
                    && ending != Ending.TIMED_OUT_AND_ABORTED)
                assertThat(e.kind()).as(e.getMessage()).isIn(ending.kind, TransportException.Kind.CONNECTION_LOST);
            assertThat(bufs.get(i).refCnt()).as("refCnt of written buffer %d after %s", i, ending).isZero();
        }
    }

    private static void onPdu(Ending ending, ScriptedPeer p, io.mpathgw.iscsi.pdu.Pdu pdu) {
        Bhs b = pdu.bhs();
        boolean cmd = pdu.opcode() == Opcode.SCSI_COMMAND;
        switch (ending) {
            case CLOSED_WHILE_WAITING_FOR_R2T -> { if (cmd && p.received(Opcode.SCSI_COMMAND).size() == 2) p.close(); }
            case RESET_AFTER_THE_FIRST_DATA_OUT -> {
                if (cmd) p.send(p.r2t(b.itt(), b.lun(), 0x100 + b.itt(), 0, 4096, 16384));
                else if (pdu.opcode() == Opcode.SCSI_DATA_OUT) p.reset();
            }
            case TIMED_OUT_AND_ABORTED -> { if (!cmd) ScriptedDisk.standard(p, pdu); }
            case REJECTED -> {
                List<ScriptedPeer.Received> cmds = p.received(Opcode.SCSI_COMMAND);
                if (cmd) p.send(p.reject(0x09, cmds.get(cmds.size() - 1).header()));
            }
            case TARGET_FAILURE_RESPONSE -> {
                if (cmd) {
                    var rsp = p.scsiResponse(b.itt(), 0, null);
                    rsp.bhs().response(0x01);
                    p.send(rsp);
                }
            }
            case WAITING_FOR_THE_WINDOW_WHEN_THE_CONNECTION_DROPS, SESSION_CLOSED -> { }
        }
    }

    @Test
    void commandsRefusedAtSubmitReleaseTheirBuffers() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() != Opcode.SCSI_COMMAND) ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t).queueDepth(1));
        CompletableFuture<ScsiResponse> held = s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()));
        ByteBuf overQueueDepth = payload(512);
        CompletableFuture<ScsiResponse> refused = s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 1, false), overQueueDepth));
        assertThat(refused).failsWithin(Duration.ofSeconds(1));
        assertThat(overQueueDepth.refCnt()).as("refCnt after queueDepth refused the command").isZero();

        s.close();
        ScriptedHarness.await("CLOSED", Duration.ofSeconds(2), () -> s.state() == SessionState.CLOSED);
        assertThat(held).failsWithin(Duration.ofSeconds(1));
        ByteBuf afterClose = payload(512);
        TransportException e = ScriptedHarness.failure(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 1, false), afterClose)),
                Duration.ofSeconds(1));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.CLOSED);
        assertThat(afterClose.refCnt()).isZero();
    }

    @Test
    void responseDataFromManyDataInPdusIsFullyReleasedByTheCaller() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder());
        Session s = h.login(config(t).maxRecvDataSegmentLength(4096));
        List<ScsiResponse> rs = new ArrayList<>();
        for (int i = 0; i < 8; i++) rs.add(get(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 128), 65536 - i * 1000))));
        for (ScsiResponse r : rs) {
            assertThat(r.data().readableBytes()).isEqualTo(r.data().capacity());
            assertThat(r.release()).isTrue();
            assertThat(r.refCnt()).isZero();
        }
    }

    @Test
    void partialDataInOfAFailedReadIsReleasedByTheTransport() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() == Opcode.SCSI_COMMAND) {
                p.send(p.dataIn(pdu.bhs().itt(), 0, 0, Unpooled.wrappedBuffer(ScriptedDisk.pattern(0, 8192))));
                p.close();
            } else {
                ScriptedDisk.standard(p, pdu);
            }
        }));
        Session s = h.login(config(t));
        for (int i = 0; i < 4; i++) {
            TransportException e = ScriptedHarness.failure(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 64), 32768)),
                    Duration.ofSeconds(2));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
            t.peer(i + 1);
            ScriptedHarness.await("LOGGED_IN", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
        }
        // the leak detector (PARANOID) runs after the test: the composite of the first 8192 bytes must be gone
    }
}
