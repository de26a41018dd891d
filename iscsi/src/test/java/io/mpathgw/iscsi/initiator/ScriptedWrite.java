package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Pdu;
import io.netty.buffer.ByteBuf;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpathgw.iscsi.pdu.Bhs.RESERVED_TAG;

/**
 * The target's side of one WRITE (RFC 7143 §3.2.4.2, §11.7, §11.8): takes the immediate data of the SCSI Command,
 * expects unsolicited Data-Out when the command's F bit is clear, issues R2Ts, and checks every Data-Out against
 * its sequence — TTT, DataSN from 0, Buffer Offset in order, segment length, F on the last PDU only, no byte twice.
 * What breaks a rule goes to {@link ScriptedTarget#violations()}. Runs on the peer's event loop.
 */
final class ScriptedWrite {

    /** One Data-Out PDU as it arrived. */
    record DataOut(int ttt, int dataSn, int offset, int length, boolean fin) {
    }

    /** The range a sequence (one R2T, or the unsolicited burst) covers, and where it has got to. */
    private static final class Sequence {
        final int offset;
        final int end;
        int nextDataSn;
        int nextOffset;

        Sequence(int offset, int end) {
            this.offset = offset;
            this.end = end;
            this.nextOffset = offset;
        }

        boolean done() {
            return nextOffset == end;
        }
    }

    final int itt;
    final long lun;
    final int edtl;
    final byte[] data;
    final int immediateLength;
    final int unsolicitedLength;
    final List<DataOut> dataOuts = new CopyOnWriteArrayList<>();
    private final ScriptedPeer peer;
    private final BitSet covered;
    private final Map<Integer, Sequence> sequences = new LinkedHashMap<>();
    private final int mrdsl;
    private int nextSolicit;
    private int r2tSn;

    ScriptedWrite(ScriptedPeer peer, Pdu cmd) {
        Bhs b = cmd.bhs();
        this.peer = peer;
        this.itt = b.itt();
        this.lun = b.lun();
        this.edtl = b.expectedDataTransferLength();
        this.data = new byte[edtl];
        this.covered = new BitSet(edtl);
        this.mrdsl = peer.maxRecvDataSegmentLength();
        boolean initialR2T = peer.agreedYes("InitialR2T", true);
        int fbl = peer.agreedNumber("FirstBurstLength", 65536);
        ByteBuf imm = cmd.data();
        immediateLength = imm.readableBytes();
        if (immediateLength > 0) {
            if (!peer.agreedYes("ImmediateData", true))
                violation("immediate data: " + immediateLength + " bytes (expected: none, ImmediateData=No)");
            if (immediateLength > Math.min(mrdsl, fbl))
                violation("immediate data: " + immediateLength + " bytes (expected: <= MaxRecvDataSegmentLength "
                        + mrdsl + " and FirstBurstLength " + fbl + ")");
            take(0, imm);
        }
        int firstBurst = initialR2T ? immediateLength : Math.min(fbl, edtl);
        if (!b.finalBit() && initialR2T)
            violation("SCSI Command F bit: 0 (expected: 1, InitialR2T=Yes allows no unsolicited Data-Out)");
        else if (!b.finalBit() && immediateLength >= firstBurst)
            violation("SCSI Command F bit: 0 (expected: 1, immediate data already filled the first burst)");
        if (!b.finalBit() && firstBurst > immediateLength) {
            sequences.put(RESERVED_TAG, new Sequence(immediateLength, firstBurst));
            unsolicitedLength = firstBurst - immediateLength;
        } else {
            unsolicitedLength = 0;
        }
        nextSolicit = immediateLength + unsolicitedLength;
    }

    /** Sends an R2T for {@code [offset, offset+length)}; returns its TTT. */
    int r2t(int offset, int length) {
        int ttt = peer.nextTtt();
        sequences.put(ttt, new Sequence(offset, offset + length));
        peer.send(peer.r2t(itt, lun, ttt, r2tSn++, offset, length));
        return ttt;
    }

    /** R2Ts in offset order for what is neither sent nor solicited, up to MaxOutstandingR2T, each <= MaxBurstLength. */
    void solicit() {
        int mbl = peer.agreedNumber("MaxBurstLength", 262144);
        int maxR2t = peer.agreedNumber("MaxOutstandingR2T", 1);
        while (nextSolicit < edtl && outstandingR2ts() < maxR2t) {
            int n = Math.min(mbl, edtl - nextSolicit);
            r2t(nextSolicit, n);
            nextSolicit += n;
        }
    }

    /** The solicitation is the test's: the standard script must not add R2Ts. */
    void solicitedByTest() {
        nextSolicit = edtl;
    }

    long outstandingR2ts() {
        return sequences.entrySet().stream().filter(e -> e.getKey() != RESERVED_TAG && !e.getValue().done()).count();
    }

    void onDataOut(Pdu pdu) {
        Bhs b = pdu.bhs();
        ByteBuf d = pdu.data();
        int len = d.readableBytes();
        int off = b.bufferOffset();
        dataOuts.add(new DataOut(b.ttt(), b.dataSn(), off, len, b.finalBit()));
        String where = String.format("; Data-Out ITT 0x%08x TTT 0x%08x DataSN %d", itt, b.ttt(), b.dataSn());
        Sequence s = sequences.get(b.ttt());
        if (s == null || s.done()) {
            violation(String.format("TTT: 0x%08x (expected: an R2T's with data still due, or 0xffffffff while the "
                    + "unsolicited burst lasts)%s", b.ttt(), where));
            return;
        }
        if (len == 0 || len > mrdsl)
            violation("DataSegmentLength: " + len + " (expected: 1.." + mrdsl + ", MaxRecvDataSegmentLength)" + where);
        if (b.dataSn() != s.nextDataSn)
            violation("DataSN: " + b.dataSn() + " (expected: " + s.nextDataSn + ", from 0 in each sequence)" + where);
        if (off != s.nextOffset)
            violation("Buffer Offset: " + off + " (expected: " + s.nextOffset + ", DataPDUInOrder=Yes)" + where);
        if (off < s.offset || (long) off + len > s.end) {
            violation("Buffer Offset " + off + " + " + len + " bytes (expected: within " + s.offset + ".." + s.end
                    + ", the sequence's range)" + where);
            return;
        }
        if (b.lun() != lun) violation(String.format("LUN: 0x%016x (expected: 0x%016x)%s", b.lun(), lun, where));
        take(off, d);
        s.nextDataSn++;
        s.nextOffset = off + len;
        if (b.finalBit() != s.done())
            violation("F bit: " + (b.finalBit() ? 1 : 0) + " (expected: " + (s.done() ? 1 : 0)
                    + ", set on the sequence's last PDU only)" + where);
    }

    private void take(int off, ByteBuf d) {
        int len = d.readableBytes();
        if (covered.get(off, off + len).cardinality() > 0)
            violation("bytes " + off + ".." + (off + len) + " (expected: each byte once)");
        d.getBytes(d.readerIndex(), data, off, len);
        covered.set(off, off + len);
    }

    /** Every byte arrived and every sequence ended. */
    boolean complete() {
        return covered.cardinality() == edtl && sequences.values().stream().allMatch(Sequence::done);
    }

    private void violation(String v) {
        peer.violation(v);
    }
}
