package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/** A command's timeout: ABORT TASK, then TIMEOUT if the target confirms, or a dropped connection if it does not. */
class ScriptedTimeoutTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    /** Never answers READs (after sending {@code partial} bytes of Data-In); TMFs as {@code tmf} says. */
    static ScriptedTarget.Script unansweredReads(int partial, Integer tmfResponse) {
        return (p, pdu) -> {
            Bhs b = pdu.bhs();
            if (pdu.opcode() == Opcode.SCSI_COMMAND && b.readBit()) {
                if (partial > 0) p.send(p.dataIn(b.itt(), 0, 0, Unpooled.wrappedBuffer(ScriptedDisk.pattern(0, partial))));
            } else if (pdu.opcode() == Opcode.TASK_MGMT_REQUEST) {
                if (tmfResponse != null) p.send(p.tmfResponse(b.itt(), tmfResponse));
            } else {
                ScriptedDisk.standard(p, pdu);
            }
        };
    }

    @Test
    void anAbortedCommandFailsWithTimeoutAndTheSessionCarriesOn() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(unansweredReads(4096, TaskManagement.FUNCTION_COMPLETE)));
        Session s = h.login(config(t));
        ScriptedPeer peer = t.peer(0);
        long t0 = System.nanoTime();
        CompletableFuture<ScsiResponse> f = s.lun(3).submit(
                ScsiCommand.read(Cdb.read10(7, 16), 8192).withTimeout(Duration.ofMillis(150)));

        TransportException e = ScriptedHarness.failure(f, Duration.ofSeconds(2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
        assertThat(e).hasMessageContaining("aborted");
        assertThat(ms).isBetween(140L, 600L);

        ScriptedPeer.Received cmd = peer.received(Opcode.SCSI_COMMAND).get(0);
        Bhs tmf = peer.received(Opcode.TASK_MGMT_REQUEST).get(0).bhs();
        assertThat(tmf.function()).isEqualTo(TaskManagement.ABORT_TASK.function);
        assertThat(tmf.referencedTaskTag()).isEqualTo(cmd.itt());
        assertThat(tmf.refCmdSn()).isEqualTo(cmd.cmdSn());
        assertThat(tmf.lun()).isEqualTo(Lun.of(3).raw());
        assertThat(tmf.immediate()).isTrue();

        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
        t.script(ScriptedDisk::standard);
        get(s.lun(3).submit(ScsiCommand.read(Cdb.read10(0, 1), 512))).release();
        assertThat(t.logins()).isEqualTo(1);
    }

    @Test
    void anUnansweredAbortDropsTheConnectionAfterTheAbortTimeout() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(unansweredReads(0, null)));
        Session s = h.login(config(t).abortTimeout(Duration.ofMillis(150)));
        long t0 = System.nanoTime();
        CompletableFuture<ScsiResponse> f = s.lun(0).submit(
                ScsiCommand.read(Cdb.read10(0, 1), 512).withTimeout(Duration.ofMillis(100)));
        CompletableFuture<ScsiResponse> other = s.lun(0).submit(ScsiCommand.read(Cdb.read10(1, 1), 512));

        TransportException e = ScriptedHarness.failure(f, Duration.ofSeconds(2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e).hasMessageContaining("ABORT TASK").hasMessageContaining("unanswered");
        assertThat(ms).isBetween(240L, 700L);
        assertThat(ScriptedHarness.failure(other, Duration.ofMillis(200)).kind())
                .isEqualTo(TransportException.Kind.CONNECTION_LOST);
        t.peer(1);
    }

    @Test
    void anUnansweredLogicalUnitResetDropsTheConnectionAfterTheAbortTimeout() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(unansweredReads(0, null)));
        Session s = h.login(config(t).abortTimeout(Duration.ofMillis(150)));
        long t0 = System.nanoTime();
        TransportException e = ScriptedHarness.failure(
                s.taskManagement(TaskManagement.LOGICAL_UNIT_RESET, 0), Duration.ofSeconds(2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
        assertThat(e).hasMessageContaining("LOGICAL_UNIT_RESET for LUN 0 unanswered within 150 ms");
        assertThat(ms).isBetween(140L, 600L);
        t.peer(1);
    }

    @Test
    void taskDoesNotExistAlsoEndsTheCommandWithTimeout() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(unansweredReads(0, TaskManagement.TASK_DOES_NOT_EXIST)));
        Session s = h.login(config(t));
        TransportException e = ScriptedHarness.failure(s.lun(0).submit(
                ScsiCommand.read(Cdb.read10(0, 1), 512).withTimeout(Duration.ofMillis(80))), Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
    }

    @Test
    void anAbortAnsweredFunctionRejectedDropsTheConnection() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(unansweredReads(0, TaskManagement.FUNCTION_REJECTED)));
        Session s = h.login(config(t));
        TransportException e = ScriptedHarness.failure(s.lun(0).submit(
                ScsiCommand.read(Cdb.read10(0, 1), 512).withTimeout(Duration.ofMillis(80))), Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
        assertThat(e).hasMessageContaining("Function rejected");
        t.peer(1);
    }
    @Test
    void aCommandAnsweredWhileItsAbortIsInFlightCompletesWithItsAnswer() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            Bhs b = pdu.bhs();
            if (pdu.opcode() == Opcode.TASK_MGMT_REQUEST) {
                // RFC 7143 §4.2.3.3 allows this race: the task ended before the abort reached it
                ScriptedDisk.sendReadData(p, b.referencedTaskTag(), 512, 512);
                p.send(p.tmfResponse(b.itt(), TaskManagement.TASK_DOES_NOT_EXIST));
            } else if (pdu.opcode() != Opcode.SCSI_COMMAND) {
                ScriptedDisk.standard(p, pdu);
            }
        }));
        Session s = h.login(config(t));
        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 1), 512).withTimeout(Duration.ofMillis(80))));
        assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
        assertThat(r.data().readableBytes()).isEqualTo(512);
        r.release();
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
    }
}
