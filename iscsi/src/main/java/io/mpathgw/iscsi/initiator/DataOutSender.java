package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.netty.buffer.ByteBuf;

/**
 * Builds SCSI Command PDUs with their immediate data, unsolicited Data-Out, and the Data-Out answering each R2T
 * (RFC 7143 §3.2.4.2, §11.7). Data segments are retained slices of the command's buffer: never copied, and
 * never longer than the target's MaxRecvDataSegmentLength.
 */
final class DataOutSender {

    private static final int ATTR_SIMPLE = 1;
    private final Connection conn;

    DataOutSender(Connection conn) {
        this.conn = conn;
    }

    void sendCommand(Task t, int cmdSn) {
        NegotiatedParameters p = conn.params();
        t.cmdSn = cmdSn;
        t.sent = true;
        byte[] cdb = t.command.cdb();
        int edtl = t.command.expectedLength();
        int unsolicited = t.isWrite() && !p.initialR2T() ? Math.min(p.firstBurstLength(), edtl) : 0;
        int immediate = t.isWrite() && p.immediateData()
                ? Math.min(Math.min(p.firstBurstLength(), p.targetMaxRecvDataSegmentLength()), edtl) : 0;
        if (!p.initialR2T()) unsolicited = Math.max(unsolicited, immediate);
        ByteBuf imm = immediate > 0 ? t.dataOut().retainedSlice(t.dataOut().readerIndex(), immediate) : null;
        Pdu pdu = cdb.length > 16
                ? Pdu.create(conn.channel.alloc(), Opcode.SCSI_COMMAND, imm, extendedCdbAhs(cdb))
                : Pdu.create(conn.channel.alloc(), Opcode.SCSI_COMMAND, imm);
        int flags = (unsolicited > immediate ? 0 : Bhs.F_BIT) | ATTR_SIMPLE
                | (t.isRead() ? Bhs.CMD_READ : 0) | (t.isWrite() ? Bhs.CMD_WRITE : 0);
        pdu.bhs().flags(flags).lun(t.lun).itt(t.itt).expectedDataTransferLength(edtl)
                .cmdSn(cmdSn).expStatSn(conn.expStatSn()).cdb(cdb);
        conn.send(pdu);
        t.unsolicitedSent = immediate;
        if (unsolicited > immediate) sendSequence(t, Bhs.RESERVED_TAG, immediate, unsolicited - immediate);
        t.unsolicitedSent = unsolicited;
    }

    /** RFC 7143 §11.8: answer one R2T with a Data-Out sequence for exactly the requested range. */
    void onR2t(Task t, int ttt, int r2tSn, int offset, int length) {
        if (!t.isWrite())
            throw new IscsiProtocolException(String.format("R2T for ITT 0x%08x (expected: a WRITE task)", t.itt), 0x09);
        int edtl = t.command.expectedLength();
        if (offset < 0 || length <= 0 || (long) offset + length > edtl)
            throw new IscsiProtocolException(String.format(
                    "R2T Buffer Offset %d + Desired Data Transfer Length %d (expected: within %d bytes, length > 0); ITT 0x%08x",
                    offset, length, edtl, t.itt), 0x09);
        if (length > conn.params().maxBurstLength())
            throw new IscsiProtocolException(String.format(
                    "Desired Data Transfer Length: %d (expected: <= MaxBurstLength %d); ITT 0x%08x",
                    length, conn.params().maxBurstLength(), t.itt), 0x09);
        if (t.aborting) return;        // RFC 7143 §4.2.3.3: no new data for a task being aborted
        sendSequence(t, ttt, offset, length);
    }

    private void sendSequence(Task t, int ttt, int offset, int length) {
        int mrdsl = conn.params().targetMaxRecvDataSegmentLength();
        ByteBuf src = t.dataOut();
        int dataSn = 0;
        for (int done = 0; done < length; dataSn++) {
            int n = Math.min(mrdsl, length - done);
            Pdu pdu = Pdu.create(conn.channel.alloc(), Opcode.SCSI_DATA_OUT,
                    src.retainedSlice(src.readerIndex() + offset + done, n));
            done += n;
            pdu.bhs().finalBit(done == length).lun(t.lun).itt(t.itt).ttt(ttt).expStatSn(conn.expStatSn())
                    .dataSn(dataSn).bufferOffset(offset + done - n);
            conn.channel.write(pdu, conn.channel.voidPromise());
        }
        conn.channel.flush();
    }

    /** RFC 7143 §11.2.2.3: Extended CDB AHS, AHSType 1, holding CDB bytes from 16 on, padded to 4. */
    private static byte[] extendedCdbAhs(byte[] cdb) {
        int rest = cdb.length - 16;
        int ahsLength = rest + 1;                       // AHSLength counts the reserved byte too
        byte[] ahs = new byte[(3 + ahsLength + 3) & ~3];
        ahs[0] = (byte) (ahsLength >> 8);
        ahs[1] = (byte) ahsLength;
        ahs[2] = 1;
        System.arraycopy(cdb, 16, ahs, 4, rest);
        return ahs;
    }
}
