package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import static io.mpathgw.iscsi.initiator.ScriptedHarness.config;
import static io.mpathgw.iscsi.initiator.ScriptedHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data-Out (RFC 7143 §3.2.4.2, §11.7, §11.8): immediate data, the unsolicited burst, and R2T-driven sequences. The
 * target's {@link ScriptedWrite} checks each PDU; these tests check what it collected.
 */
class ScriptedWriteTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    /**
     * A script that lets {@code onCommand} solicit each WRITE itself, calls {@code onDataOut} after each Data-Out
     * that did not complete it, and answers GOOD once all data arrived.
     */
    static ScriptedTarget.Script soliciting(Map<Integer, ScriptedWrite> writes,
                                            BiConsumer<ScriptedPeer, ScriptedWrite> onCommand,
                                            BiConsumer<ScriptedPeer, ScriptedWrite> onDataOut) {
        return (p, pdu) -> {
            Bhs b = pdu.bhs();
            if (pdu.opcode() == Opcode.SCSI_COMMAND && b.writeBit()) {
                ScriptedWrite w = new ScriptedWrite(p, pdu);
                w.solicitedByTest();
                writes.put(w.itt, w);
                onCommand.accept(p, w);
            } else if (pdu.opcode() == Opcode.SCSI_DATA_OUT) {
                ScriptedWrite w = writes.get(b.itt());
                w.onDataOut(pdu);
                if (w.complete()) p.send(p.scsiResponse(w.itt, ScsiResponse.GOOD, null));
                else onDataOut.accept(p, w);
            } else {
                ScriptedDisk.standard(p, pdu);
            }
        };
    }

    static ByteBuf random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(b);
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Test
    void fourR2tsAtOnceOutOfOrderGetExactlyTheirRanges() throws Exception {
        Map<Integer, ScriptedWrite> writes = new HashMap<>();
        AtomicBoolean fifth = new AtomicBoolean();
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("InitialR2T", "Yes").answer("ImmediateData", "No")
                .answer("MaxBurstLength", "16384").answer("MaxOutstandingR2T", "4")
                .script(soliciting(writes, (p, w) -> {
                    // RFC 7143 §13.20 wants R2T offsets in order when DataSequenceInOrder=Yes (our offer forces Yes);
                    // the initiator must still answer each one exactly
                    w.r2t(49152, 16384);
                    w.r2t(0, 10000);
                    w.r2t(26000, 16384);
                    w.r2t(10000, 16000);
                }, (p, w) -> {
                    // MaxOutstandingR2T=4: the fifth R2T only once a sequence has ended
                    if (w.outstandingR2ts() < 4 && w.dataOuts.stream().noneMatch(d -> d.offset() == 42384)
                            && !fifth.getAndSet(true)) w.r2t(42384, 6768);
                })));
        Session s = h.login(config(t));
        ByteBuf data = random(65536, 1);
        byte[] expected = bytes(data);

        ScsiResponse r = get(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 128, false), data)));
        assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
        r.release();
        assertThat(data.refCnt()).as("refCnt of the written buffer after GOOD").isZero();

        ScriptedWrite w = writes.values().iterator().next();
        assertThat(w.data).isEqualTo(expected);
        assertThat(w.immediateLength).isZero();
        assertThat(w.unsolicitedLength).isZero();
        Map<Integer, List<ScriptedWrite.DataOut>> byTtt = new HashMap<>();
        for (ScriptedWrite.DataOut d : w.dataOuts) byTtt.computeIfAbsent(d.ttt(), k -> new java.util.ArrayList<>()).add(d);
        assertThat(byTtt).hasSize(5);
        assertThat(w.dataOuts).allMatch(d -> d.length() <= 4096);
        // the 10000-byte R2T: 4096 + 4096 + 1808, DataSN 0..2, F on the last only
        List<ScriptedWrite.DataOut> second = byTtt.values().stream().filter(l -> l.get(0).offset() == 0)
                .findFirst().orElseThrow();
        assertThat(second).containsExactly(new ScriptedWrite.DataOut(second.get(0).ttt(), 0, 0, 4096, false),
                new ScriptedWrite.DataOut(second.get(0).ttt(), 1, 4096, 4096, false),
                new ScriptedWrite.DataOut(second.get(0).ttt(), 2, 8192, 1808, true));
    }

    @ParameterizedTest(name = "InitialR2T={0} ImmediateData={1} FirstBurstLength={2} EDTL={3}: immediate {4}, unsolicited {5}")
    @CsvSource({
            "No,  Yes, 8192,  20000, 4096, 4096",
            "No,  Yes, 8192,  6000,  4096, 1904",
            "No,  Yes, 4096,  20000, 4096, 0",
            "No,  Yes, 2048,  20000, 2048, 0",
            "No,  Yes, 16384, 3000,  3000, 0",
            "No,  No,  8192,  20000, 0,    8192",
            "No,  No,  16384, 12000, 0,    12000",
            "Yes, Yes, 8192,  20000, 4096, 0",
            "Yes, Yes, 2048,  20000, 2048, 0",
            "Yes, No,  8192,  20000, 0,    0",
    })
    void immediateAndUnsolicitedDataFollowTheNegotiation(String initialR2T, String immediateData, int fbl, int edtl,
                                                         int immediate, int unsolicited) throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("InitialR2T", initialR2T)
                .answer("ImmediateData", immediateData).answer("FirstBurstLength", Integer.toString(fbl))
                .answer("MaxBurstLength", "16384").answer("MaxOutstandingR2T", "2"));
        Session s = h.login(config(t));
        ByteBuf data = random(edtl, edtl);
        byte[] expected = bytes(data);

        get(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, (edtl + 511) / 512, false), data))).release();

        ScriptedWrite w = t.peer(0).completedWrites().get(0);
        assertThat(w.immediateLength).as("immediate data bytes").isEqualTo(immediate);
        assertThat(w.unsolicitedLength).as("unsolicited Data-Out bytes").isEqualTo(unsolicited);
        assertThat(w.data).isEqualTo(expected);
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void anR2tBeyondTheBufferDropsTheConnectionNamingTheField() throws Exception {
        Map<Integer, ScriptedWrite> writes = new HashMap<>();
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("InitialR2T", "Yes").answer("ImmediateData", "No")
                .script(soliciting(writes, (p, w) -> w.r2t(60000, 8192), (p, w) -> { })));
        Session s = h.login(config(t));
        ByteBuf data = random(65536, 3);

        TransportException e = ScriptedHarness.failure(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 128, false), data)),
                Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
        assertThat(e).hasMessageContaining("R2T Buffer Offset 60000").hasMessageContaining("Desired Data Transfer Length 8192");
        assertThat(h.warnings("protocol error")).anySatisfy(m -> assertThat(m).contains("R2T Buffer Offset 60000"));
        assertThat(data.refCnt()).isZero();
        assertThat(t.peer(0).received(Opcode.SCSI_DATA_OUT)).isEmpty();
        t.peer(1);                                       // logged in again
    }

    @Test
    void anR2tLongerThanMaxBurstLengthDropsTheConnection() throws Exception {
        Map<Integer, ScriptedWrite> writes = new HashMap<>();
        ScriptedTarget t = h.target(ScriptedTarget.builder().answer("InitialR2T", "Yes").answer("MaxBurstLength", "8192")
                .answer("FirstBurstLength", "8192")
                .script(soliciting(writes, (p, w) -> w.r2t(w.immediateLength, 16384), (p, w) -> { })));
        Session s = h.login(config(t));
        ByteBuf data = random(32768, 4);

        TransportException e = ScriptedHarness.failure(s.lun(0).submit(ScsiCommand.write(Cdb.write10(0, 64, false), data)),
                Duration.ofSeconds(2));
        assertThat(e).hasMessageContaining("Desired Data Transfer Length: 16384").hasMessageContaining("MaxBurstLength 8192");
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void anR2tForAReadDropsTheConnection() throws Exception {
        ScriptedTarget t = h.target(ScriptedTarget.builder().script((p, pdu) -> {
            if (pdu.opcode() == Opcode.SCSI_COMMAND) p.send(p.r2t(pdu.bhs().itt(), 0, 0x42, 0, 0, 512));
            else ScriptedDisk.standard(p, pdu);
        }));
        Session s = h.login(config(t));
        CompletableFuture<ScsiResponse> f = s.lun(0).submit(ScsiCommand.read(Cdb.read10(0, 1), 512));
        assertThat(ScriptedHarness.failure(f, Duration.ofSeconds(2))).hasMessageContaining("R2T for ITT")
                .hasMessageContaining("expected: a WRITE task");
    }
}
