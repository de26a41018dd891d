package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data-In and SCSI Response (RFC 7143 §11.4, §11.7): phase collapse, residuals, sense in both formats, and what a
 * malformed Data-In sequence or sense does — the connection drops, every outstanding command fails, the session
 * logs in again.
 */
class ScriptedDataInTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    /** Answers READs with {@code onRead(peer, itt, edtl)}, except READ(10) of LBA 99, which stays unanswered. */
    static ScriptedTarget.Script reads(ReadAnswer onRead) {
        return (p, pdu) -> {
            Bhs b = pdu.bhs();
            if (pdu.opcode() != Opcode.SCSI_COMMAND) ScriptedDisk.standard(p, pdu);
            else if (b.readBit() && !held(b)) onRead.answer(p, b.itt(), b.expectedDataTransferLength());
            else if (!b.readBit()) ScriptedDisk.standard(p, pdu);
        };
    }

    @FunctionalInterface
    interface ReadAnswer {
        void answer(ScriptedPeer p, int itt, int edtl);
    }

    /** READ(10) of LBA 99: the commands a test keeps outstanding. */
    static boolean held(Bhs b) {
        byte[] cdb = new byte[16];
        b.cdb(cdb, 16);
        return cdb[0] == Cdb.READ_10 && cdb[5] == 99 && cdb[2] == 0 && cdb[3] == 0 && cdb[4] == 0;
    }

    @ParameterizedTest(name = "device has {0} bytes, EDTL {1}")
    @CsvSource({"20000, 20000", "10000, 20000", "30000, 20000", "8192, 8192", "1, 4096"})
    void phaseCollapseReportsTheResidual(int deviceBytes, int edtl) throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder()
                .script(reads((p, itt, len) -> ScriptedDisk.sendReadData(p, itt, len, deviceBytes))));
        Session s = h.login(config(t));

        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, (edtl + 511) / 512), edtl)));
        int got = Math.min(deviceBytes, edtl);
        assertThat(ByteBufUtil.getBytes(r.data())).isEqualTo(ScriptedDisk.pattern(0, got));
        assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
        assertThat(r.underflow()).isEqualTo(deviceBytes < edtl);
        assertThat(r.overflow()).isEqualTo(deviceBytes > edtl);
        assertThat(r.residual()).isEqualTo(Math.abs(edtl - deviceBytes));
        assertThat(r.sense()).isNull();
        assertThat(r.release()).isTrue();
        assertThat(r.data().refCnt()).isZero();
        assertThat(t.peer(0).received(Opcode.SCSI_COMMAND)).hasSize(1);
    }

    @Test
    void dataInThenASeparateScsiResponseCarriesTheUnderflow() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(reads((p, itt, edtl) -> {
            p.send(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(ScriptedDisk.pattern(0, 8192))));
            p.send(p.dataIn(itt, 1, 8192, Unpooled.wrappedBuffer(ScriptedDisk.pattern(8192, 100))));
            var rsp = p.scsiResponse(itt, ScsiResponse.GOOD, null);
            rsp.bhs().flags(Bhs.F_BIT | Bhs.RSP_UNDERFLOW).residualCount(edtl - 8292);
            p.send(rsp);
        })));
        Session s = h.login(config(t));

        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 32), 16384)));
        assertThat(ByteBufUtil.getBytes(r.data())).isEqualTo(ScriptedDisk.pattern(0, 8292));
        assertThat(r.underflow()).isTrue();
        assertThat(r.residual()).isEqualTo(16384 - 8292);
        r.release();
    }

    @Test
    void checkConditionWithFixedFormatSense() throws Exception {
        Sense sent = Sense.UNRECOVERED_READ_ERROR.withInformation(0x12345678L);
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(reads((p, itt, edtl) ->
                p.send(p.scsiResponse(itt, ScsiResponse.CHECK_CONDITION, sent.toBytes())))));
        Session s = h.login(config(t));

        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0x12345678L, 1), 512)));
        assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
        assertThat(r.sense()).isEqualTo(sent);
        assertThat(r.sense().responseCode()).isEqualTo(0x70);
        assertThat(r.data().readableBytes()).isZero();
        r.release();
    }

    @Test
    void checkConditionWithDescriptorFormatSense() throws Exception {
        Sense sent = Sense.LBA_OUT_OF_RANGE.descriptorFormat().withInformation(0x1_0000_0001L);
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(reads((p, itt, edtl) ->
                p.send(p.scsiResponse(itt, ScsiResponse.CHECK_CONDITION, sent.toBytes())))));
        Session s = h.login(config(t));

        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.read(Cdb.read16(0x1_0000_0001L, 1), 512)));
        assertThat(r.sense()).isEqualTo(sent);
        assertThat(r.sense().isDescriptorFormat()).isTrue();
        assertThat(r.sense().matches(Sense.LBA_OUT_OF_RANGE)).isTrue();
        r.release();
    }

    @Test
    void iscsiResponseTargetFailureFailsOnlyThatCommandWithProtocolError() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(reads((p, itt, edtl) -> {
            var rsp = p.scsiResponse(itt, 0, null);
            rsp.bhs().response(0x01);
            p.send(rsp);
        })));
        Session s = h.login(config(t));
        TransportException e = ScriptedHarness.failure(s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 1), 512)),
                Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.PROTOCOL_ERROR);
        assertThat(e).hasMessageContaining("iSCSI Response: 0x01");
        get(s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
        assertThat(s.state()).isEqualTo(SessionState.LOGGED_IN);
    }

    // ---------------------------------------------------------------- protocol errors

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Buffer Offset skips ahead  | Buffer Offset: 8292",
            "DataSN repeats             | DataSN: 0 (expected: 1)",
            "DataSN skips               | DataSN: 2 (expected: 1)",
            "more data than EDTL        | Data-In length: 16484",
            "SenseLength beyond segment | SenseLength: 200",
            "sense response code 0x55   | sense response code: 0x55",
            "S bit without F bit        | S bit without F bit",
            "Data-In for unknown ITT    | ITT: 0x0badcafe",
    })
    void aMalformedAnswerFailsEveryOutstandingCommandAndTheSessionLogsInAgain(String fault, String named) throws Exception {
        List<String> states = new CopyOnWriteArrayList<>();
        ScriptedTarget t = h.target(ScriptedTarget.builder().script(reads((p, itt, edtl) -> fault(fault).accept(p, itt))));
        Session s = h.login(config(t), new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                states.add(to.name());
            }
        });
        ScsiTransport lun = s.lun(0);
        List<CompletableFuture<ScsiResponse>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) held.add(lun.submit(ScsiCommand.read(Cdb.read10(99, 1), 512)));
        t.peer(0).await(Opcode.SCSI_COMMAND, 3);
        CompletableFuture<ScsiResponse> bad = lun.submit(ScsiCommand.read(Cdb.read10(0, 32), 16384));

        TransportException e = ScriptedHarness.failure(bad, Duration.ofSeconds(2));
        assertThat(e.kind()).isIn(TransportException.Kind.PROTOCOL_ERROR, TransportException.Kind.CONNECTION_LOST);
        for (CompletableFuture<ScsiResponse> f : held) {
            TransportException he = ScriptedHarness.failure(f, Duration.ofMillis(500));
            assertThat(he.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
            assertThat(he).hasMessageContaining(named);
        }
        assertThat(h.warnings("protocol error")).anySatisfy(m -> assertThat(m).contains(named));
        t.peer(1);
        ScriptedHarness.await("LOGGED_IN again", Duration.ofSeconds(2), () -> s.state() == SessionState.LOGGED_IN);
        assertThat(states).containsSubsequence("LOGGED_IN", "RECOVERING", "LOGGING_IN", "LOGGED_IN");
        t.script(ScriptedDisk::standard);
        get(lun.submit(ScsiCommand.none(Cdb.testUnitReady()))).release();
    }

    private static BiConsumer<ScriptedPeer, Integer> fault(String fault) {
        return (p, itt) -> {
            switch (fault) {
                case "Buffer Offset skips ahead" -> {
                    p.send(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[8192])));
                    p.send(p.dataIn(itt, 1, 8292, Unpooled.wrappedBuffer(new byte[100])));
                }
                case "DataSN repeats" -> {
                    p.send(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[8192])));
                    p.send(p.dataIn(itt, 0, 8192, Unpooled.wrappedBuffer(new byte[100])));
                }
                case "DataSN skips" -> {
                    p.send(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[8192])));
                    p.send(p.dataIn(itt, 2, 8192, Unpooled.wrappedBuffer(new byte[100])));
                }
                case "more data than EDTL" -> {
                    p.send(p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[8192])));
                    p.send(p.dataIn(itt, 1, 8192, Unpooled.wrappedBuffer(new byte[8192])));
                    p.send(p.dataIn(itt, 2, 16384, Unpooled.wrappedBuffer(new byte[100])));
                }
                case "SenseLength beyond segment" -> {
                    var rsp = p.scsiResponse(itt, ScsiResponse.CHECK_CONDITION, Sense.MEDIUM_NOT_PRESENT.toBytes());
                    rsp.data().setShort(0, 200);
                    p.send(rsp);
                }
                case "sense response code 0x55" -> {
                    byte[] sense = Sense.MEDIUM_NOT_PRESENT.toBytes();
                    sense[0] = 0x55;
                    p.send(p.scsiResponse(itt, ScsiResponse.CHECK_CONDITION, sense));
                }
                case "S bit without F bit" -> {
                    var d = p.dataIn(itt, 0, 0, Unpooled.wrappedBuffer(new byte[512]));
                    d.bhs().flags(Bhs.DATA_IN_STATUS);
                    p.send(d);
                }
                case "Data-In for unknown ITT" -> p.send(p.dataIn(0x0badcafe, 0, 0, Unpooled.wrappedBuffer(new byte[512])));
                default -> throw new AssertionError(fault);
            }
        };
    }
}
