package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;

import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SCSI Command and Data-Out handling of one connection (RFC 7143 §3.2.4, §11.3, §11.7, §11.8): immediate data,
 * the unsolicited burst up to FirstBurstLength, R2Ts (up to MaxOutstandingR2T at once, each at most
 * MaxBurstLength), the Data-Out of each R2T checked for DataSN, offset and length, then one
 * {@link LogicalUnit#execute} with all the data, and the answer through {@link DataInSender}. Event loop only.
 */
final class ScsiCommands {

    private static final Logger LOG = Logger.getLogger(ScsiCommands.class.getName());
    /** ABORTED COMMAND, 47/05 PROTOCOL SERVICE CRC ERROR: a Data-Out was discarded for its digest (§7.8). */
    static final Sense PROTOCOL_SERVICE_CRC_ERROR = Sense.of(Sense.ABORTED_COMMAND, 0x47, 0x05);
    /** ABORTED COMMAND, 4B/00 DATA PHASE ERROR: Data-Out out of sequence (DataSN, offset, length). */
    static final Sense DATA_PHASE_ERROR = Sense.of(Sense.ABORTED_COMMAND, 0x4B, 0x00);
    private static final int ENDED_MEMORY = 1024;

    private final TargetConnection conn;
    private final IntObjectHashMap<TargetTask> tasks = new IntObjectHashMap<>();
    /** ITTs of tasks ended before their data was all in: late Data-Out for them is dropped without a Reject. */
    private final IntObjectHashMap<Boolean> ended = new IntObjectHashMap<>();

    ScsiCommands(TargetConnection conn) {
        this.conn = conn;
    }

    int outstanding() {
        return tasks.size();
    }

    TargetTask task(int itt) {
        return tasks.get(itt);
    }

    void onCommand(Pdu pdu) {
        Bhs b = pdu.bhs();
        NegotiatedParameters p = conn.params();
        int edtl = b.expectedDataTransferLength();
        // the frame decoder hands a command whose immediate data failed the digest over with an empty segment
        boolean digestError = b.dataSegmentLength() > 0 && pdu.data().readableBytes() == 0;
        int imm = digestError ? b.dataSegmentLength() : pdu.data().readableBytes();
        String bad = check(b, p, edtl, imm);
        if (bad != null) {
            conn.reject(pdu, bad.startsWith("ITT") ? 0x09 : 0x04, bad);
            return;
        }
        Lun lunField = new Lun(b.lun());
        int lun = lunField.decodable() ? lunField.number() : -1;
        LogicalUnit lu = lun >= 0 ? conn.session().target().luns().get(lun) : null;
        TargetTask t = new TargetTask(b.itt(), b.cmdSn(), b.immediate(), b.lun(), lun, lu, Cdbs.of(pdu), edtl,
                b.readBit(), b.writeBit());
        tasks.put(t.itt, t);
        ended.remove(t.itt);
        conn.window().commandStarted();
        if (digestError) {                  // RFC 7143 §7.8 b): CHECK CONDITION, 47/05; later Data-Out dropped
            fail(t, PROTOCOL_SERVICE_CRC_ERROR);
            return;
        }
        if (imm > 0) {
            t.add(0, pdu.data().retainedSlice());
            t.received = imm;
        }
        if (t.write && edtl > 0) {
            if (!b.finalBit()) {
                t.unsolicitedOpen = true;
                t.unsolicitedEnd = Math.min(p.firstBurstLength(), edtl);
                t.unsolicitedNext = imm;
            } else {
                t.unsolicitedEnd = imm;
            }
            t.nextR2tOffset = t.unsolicitedEnd;
            sendR2ts(t);
        }
        runIfReady(t);
    }

    /** The rules a SCSI Command must meet before a task exists; null if it meets them. */
    private String check(Bhs b, NegotiatedParameters p, int edtl, int imm) {
        if (tasks.containsKey(b.itt()))
            return String.format("ITT: 0x%08x (expected: not in use by another task, RFC 7143 §11.3)", b.itt());
        if (edtl < 0)
            return "Expected Data Transfer Length: " + Integer.toUnsignedString(edtl) + " (expected: < 2^31)";
        if (imm > 0 && !b.writeBit())
            return "immediate data: " + imm + " bytes without the W bit (expected: none, RFC 7143 §11.3.1)";
        if (imm > 0 && !p.immediateData())
            return "immediate data: " + imm + " bytes (expected: none, ImmediateData=No)";
        if (imm > edtl || imm > p.firstBurstLength())
            return String.format("immediate data: %d bytes (expected: <= EDTL %d and FirstBurstLength %d)",
                    imm, edtl, p.firstBurstLength());
        if (!b.finalBit() && (!b.writeBit() || p.initialR2T() || imm >= edtl))
            return "F bit: 0 (expected: 1, no unsolicited Data-Out may follow, RFC 7143 §11.3.1)";
        return null;
    }

    /** Asks for the next ranges, keeping at most MaxOutstandingR2T R2Ts of the task out (RFC 7143 §13.17). */
    private void sendR2ts(TargetTask t) {
        NegotiatedParameters p = conn.params();
        int limit = t.dataOutLength();
        boolean sent = false;
        while (t.r2ts.size() < p.maxOutstandingR2T() && t.failure == null) {
            int offset, length;
            if (!t.holes.isEmpty()) {
                int[] h = t.holes.peek();
                offset = h[0];
                length = Math.min(p.maxBurstLength(), h[1] - h[0]);
                if ((h[0] += length) >= h[1]) t.holes.poll();
            } else if (t.nextR2tOffset < limit) {
                offset = t.nextR2tOffset;
                length = Math.min(p.maxBurstLength(), limit - offset);
                t.nextR2tOffset += length;
            } else {
                break;
            }
            TargetTask.R2t r = new TargetTask.R2t(conn.allocateTtt(), offset, length);
            t.r2ts.put(r.ttt, r);
            Pdu pdu = Pdu.create(conn.alloc(), Opcode.R2T, null);
            pdu.bhs().flags(Bhs.F_BIT).lun(t.lunField).itt(t.itt).ttt(r.ttt).r2tSn(t.r2tSn++)
                    .bufferOffset(offset).desiredDataTransferLength(length);
            conn.stamp(pdu.bhs(), false);               // R2T carries StatSN but does not advance it
            conn.write(pdu);
            sent = true;
        }
        if (sent) conn.flush();
    }

    /**
     * A Data-Out PDU (RFC 7143 §11.7): unsolicited (TTT 0xffffffff) or answering one of our R2Ts. With
     * {@code digestError} its data was discarded (RFC 7143 §7.8): its length still counts, and the task ends
     * with CHECK CONDITION, ABORTED COMMAND, 47/05 once all its data is in.
     */
    void onDataOut(Pdu pdu, boolean digestError) {
        Bhs b = pdu.bhs();
        TargetTask t = tasks.get(b.itt());
        if (t == null || t.executing) {
            if (t == null && ended.containsKey(b.itt())) return;
            conn.reject(pdu, 0x09, String.format("ITT: 0x%08x (expected: a task waiting for Data-Out, RFC 7143 §11.7)", b.itt()));
            return;
        }
        int offset = b.bufferOffset(), length = digestError ? b.dataSegmentLength() : pdu.data().readableBytes();
        String bad = b.ttt() == Bhs.RESERVED_TAG ? unsolicited(t, b, offset, length) : solicited(t, b, offset, length);
        if (bad != null) {
            LOG.fine(() -> conn.describe() + ": Data-Out out of sequence, ending " + t.describe() + ": " + bad);
            fail(t, DATA_PHASE_ERROR);
            return;
        }
        t.received += length;
        if (digestError) t.failure = PROTOCOL_SERVICE_CRC_ERROR;
        else if (length > 0 && t.failure == null) t.add(offset, pdu.data().retainedSlice());
        sendR2ts(t);
        runIfReady(t);
    }

    private static String unsolicited(TargetTask t, Bhs b, int offset, int length) {
        if (!t.unsolicitedOpen)
            return "TTT: 0xffffffff (expected: a TTT of our R2T; no unsolicited Data-Out expected)";
        if (b.dataSn() != t.unsolicitedDataSn)
            return "DataSN: " + b.dataSn() + " (expected: " + t.unsolicitedDataSn + ")";
        if (offset != t.unsolicitedNext || offset + length > t.unsolicitedEnd)
            return String.format("Buffer Offset %d + length %d (expected: offset %d, end <= %d)",
                    offset, length, t.unsolicitedNext, t.unsolicitedEnd);
        t.unsolicitedNext += length;
        t.unsolicitedDataSn++;
        if (b.finalBit() || t.unsolicitedNext == t.unsolicitedEnd) {
            t.unsolicitedOpen = false;
            // RFC 7143 §11.7.1: F ends the unsolicited burst; what it left out is asked for with an R2T
            if (t.unsolicitedNext < t.unsolicitedEnd) t.holes.add(new int[] {t.unsolicitedNext, t.unsolicitedEnd});
        }
        return null;
    }

    private static String solicited(TargetTask t, Bhs b, int offset, int length) {
        TargetTask.R2t r = t.r2ts.get(b.ttt());
        if (r == null) return String.format("TTT: 0x%08x (expected: one of our outstanding R2Ts)", b.ttt());
        if (b.dataSn() != r.nextDataSn) return "DataSN: " + b.dataSn() + " (expected: " + r.nextDataSn + ")";
        if (offset != r.offset + r.received || r.received + length > r.length)
            return String.format("Buffer Offset %d + length %d (expected: offset %d, end <= %d)",
                    offset, length, r.offset + r.received, r.offset + r.length);
        r.received += length;
        r.nextDataSn++;
        if (r.received == r.length) t.r2ts.remove(r.ttt);
        else if (b.finalBit()) return "F bit: 1 after " + r.received + " of " + r.length + " bytes (expected: 0)";
        return null;
    }

    private void runIfReady(TargetTask t) {
        // a failed data phase asks for no more R2Ts, so it ends once the ranges already asked for are in
        boolean failedAndQuiet = t.failure != null && t.r2ts.isEmpty() && !t.unsolicitedOpen;
        if (t.executing || !t.dataComplete() && !failedAndQuiet) return;
        t.executing = true;
        if (t.failure != null) {
            t.releaseData();
            answer(t, new ScsiResponse(ScsiResponse.CHECK_CONDITION, t.failure, conn.alloc().buffer(0), 0, false, false));
            return;
        }
        ByteBuf data = t.write && t.edtl > 0 ? t.assemble(conn.alloc()) : null;
        ScsiResponse local = LunDirectory.answer(conn.session().target(), t, data, conn.alloc());
        if (local != null) {
            answer(t, local);
            return;
        }
        ScsiTask task = new ScsiTask(conn.session().nexus(), t.lun, t.cdb, data, t.edtl, t.read, t.write);
        try {
            t.lu.execute(task).whenComplete((rsp, err) -> conn.onLoop(() -> completed(t, rsp, err)));
        } catch (RuntimeException e) {
            completed(t, null, e);
        }
    }

    private void completed(TargetTask t, ScsiResponse rsp, Throwable err) {
        if (err != null || rsp == null) {
            LOG.log(Level.WARNING, conn.describe() + ": logical unit failed " + t.describe()
                    + " instead of answering CHECK CONDITION", err);
            if (rsp != null) rsp.release();
            rsp = new ScsiResponse(ScsiResponse.CHECK_CONDITION, Sense.INTERNAL_TARGET_FAILURE, conn.alloc().buffer(0),
                    0, false, false);
        }
        if (t.aborted || tasks.get(t.itt) != t || !conn.active()) {
            rsp.release();                              // aborted, or the connection is gone: no answer (§4.2.3.3)
            return;
        }
        answer(t, rsp);
    }

    /** Sends the response of a task that is still ours; takes ownership of {@code rsp}. */
    private void answer(TargetTask t, ScsiResponse rsp) {
        tasks.remove(t.itt);
        conn.window().commandEnded();
        DataInSender.send(conn, t, rsp);
    }

    /** Ends a task whose data phase went wrong, at once: later Data-Out for it is dropped. */
    private void fail(TargetTask t, Sense sense) {
        t.failure = sense;
        t.releaseData();
        t.r2ts.clear();
        t.holes.clear();
        t.unsolicitedOpen = false;
        t.nextR2tOffset = t.dataOutLength();
        t.received = t.dataOutLength();
        remember(t.itt);
        runIfReady(t);
    }

    /** TMF: ends tasks matching {@code which} without a response (RFC 7143 §4.2.3.3); returns how many. */
    int abort(Predicate<TargetTask> which) {
        int n = 0;
        for (TargetTask t : tasks.values().toArray(new TargetTask[0])) {
            if (!which.test(t)) continue;
            tasks.remove(t.itt);
            t.aborted = true;
            t.releaseData();
            conn.window().commandEnded();
            remember(t.itt);
            n++;
        }
        return n;
    }

    private void remember(int itt) {
        if (ended.size() >= ENDED_MEMORY) ended.clear();
        ended.put(itt, Boolean.TRUE);
    }

    /** The connection closed: every task is abandoned, its data released, its late answer discarded. */
    void abandonAll() {
        for (TargetTask t : tasks.values()) {
            t.aborted = true;
            t.releaseData();
        }
        tasks.clear();
        ended.clear();
    }
}
