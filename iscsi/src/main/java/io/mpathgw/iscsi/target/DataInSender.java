package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.NegotiatedParameters;
import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.ByteBuf;

/**
 * Turns a logical unit's {@link ScsiResponse} into Data-In and SCSI Response PDUs (RFC 7143 §11.4, §11.7):
 * Data-In segments of at most the initiator's MaxRecvDataSegmentLength, sequences of at most MaxBurstLength
 * (F bit at each end), each a retained slice of the LU's buffer, and the status in the last Data-In (phase
 * collapse) when it is GOOD without sense, else in a SCSI Response carrying the sense.
 *
 * <p>Residuals: for a command with the R bit they compare the data the LU returned with the Expected Data
 * Transfer Length (more is cut and reported as overflow, less as underflow). For a write the LU alone knows the
 * transfer length its CDB asked for, so its own residual, underflow and overflow are passed on.
 */
final class DataInSender {

    private DataInSender() {
    }

    /** Sends the answer of {@code t}; takes ownership of {@code rsp}. Event loop only. */
    static void send(TargetConnection conn, TargetTask t, ScsiResponse rsp) {
        try {
            ByteBuf data = rsp.data();
            int len = data.readableBytes();
            int residual = rsp.residual();
            boolean under = rsp.underflow(), over = rsp.overflow();
            int send = 0;
            if (t.read) {
                send = Math.min(len, t.edtl);
                under = len < t.edtl;
                over = len > t.edtl;
                residual = under ? t.edtl - len : over ? len - t.edtl : 0;
            }
            boolean collapse = send > 0 && rsp.status() == ScsiResponse.GOOD && rsp.sense() == null;
            sendData(conn, t, data, send, collapse, rsp.status(), residual, under, over);
            if (!collapse) sendResponse(conn, t, rsp, residual, under, over);
        } finally {
            rsp.release();
        }
        conn.flush();
    }

    private static void sendData(TargetConnection conn, TargetTask t, ByteBuf data, int length, boolean collapse,
                                 int status, int residual, boolean under, boolean over) {
        NegotiatedParameters p = conn.params();
        int segment = conn.initiatorMaxRecvDataSegmentLength();
        int burst = p.maxBurstLength();
        int inBurst = 0;
        for (int offset = 0; offset < length; ) {
            int n = Math.min(Math.min(segment, length - offset), burst - inBurst);
            boolean last = offset + n == length;
            inBurst += n;
            boolean burstEnd = last || inBurst == burst;
            if (burstEnd) inBurst = 0;
            Pdu pdu = Pdu.create(conn.alloc(), Opcode.SCSI_DATA_IN, data.retainedSlice(data.readerIndex() + offset, n));
            Bhs b = pdu.bhs();
            int flags = burstEnd ? Bhs.F_BIT : 0;
            if (last && collapse) {
                flags |= Bhs.DATA_IN_STATUS | (over ? Bhs.RSP_OVERFLOW : 0) | (under ? Bhs.RSP_UNDERFLOW : 0);
                b.status(status).residualCount(residual);
            }
            b.flags(flags).lun(t.lunField).itt(t.itt).ttt(Bhs.RESERVED_TAG).dataSn(t.dataSn++).bufferOffset(offset);
            conn.stamp(b, last && collapse);               // StatSN only counts with the S bit (§11.7.4)
            conn.write(pdu);
            offset += n;
        }
    }

    private static void sendResponse(TargetConnection conn, TargetTask t, ScsiResponse rsp, int residual,
                                     boolean under, boolean over) {
        ByteBuf sense = null;
        if (rsp.sense() != null) {
            byte[] s = rsp.sense().toBytes();
            sense = conn.alloc().buffer(2 + s.length).writeShort(s.length).writeBytes(s);   // SenseLength, §11.4.7
        }
        Pdu pdu = Pdu.create(conn.alloc(), Opcode.SCSI_RESPONSE, sense);
        Bhs b = pdu.bhs();
        b.flags(Bhs.F_BIT | (over ? Bhs.RSP_OVERFLOW : 0) | (under ? Bhs.RSP_UNDERFLOW : 0))
                .response(0).status(rsp.status()).itt(t.itt).expDataSn(t.dataSn + t.r2tSn)
                .residualCount(over || under ? residual : 0);
        conn.stamp(b, true);
        conn.write(pdu);
    }
}
