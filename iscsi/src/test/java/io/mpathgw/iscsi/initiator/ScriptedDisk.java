package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.text.TextParameters;
import io.mpathgw.scsi.ScsiResponse;
import io.netty.buffer.Unpooled;

import static io.mpathgw.iscsi.pdu.Bhs.RESERVED_TAG;

/** The scripted target's standard script: what a small, well-behaved disk answers. Runs on the peer's event loop. */
final class ScriptedDisk {

    private ScriptedDisk() {
    }

    /**
     * Answers as a small disk would: pings, TMFs (Function complete), Text (empty), Logout; a READ with
     * {@link #pattern} bytes in Data-In with phase collapse; a WRITE collected by {@link ScriptedWrite} with R2Ts
     * (up to MaxOutstandingR2T, each up to MaxBurstLength) for what was not sent unsolicited; anything else GOOD.
     */
    static void standard(ScriptedPeer p, Pdu pdu) {
        Bhs b = pdu.bhs();
        switch (b.opcode()) {
            case NOP_OUT -> {
                if (b.itt() != RESERVED_TAG) p.send(p.nopIn(b.itt(), RESERVED_TAG, pdu.data().retainedDuplicate()));
            }
            case SCSI_COMMAND -> command(p, pdu);
            case SCSI_DATA_OUT -> dataOut(p, pdu);
            case TASK_MGMT_REQUEST -> p.send(p.tmfResponse(b.itt(), TaskManagement.FUNCTION_COMPLETE));
            case TEXT_REQUEST -> p.send(p.textResponse(b.itt(), new TextParameters()));
            case LOGOUT_REQUEST -> p.send(p.logoutResponse(b.itt(), 0));
            default -> { }
        }
    }

    private static void command(ScriptedPeer p, Pdu cmd) {
        Bhs b = cmd.bhs();
        if (b.readBit()) {
            sendReadData(p, b.itt(), b.expectedDataTransferLength(), b.expectedDataTransferLength());
        } else if (b.writeBit()) {
            ScriptedWrite w = new ScriptedWrite(p, cmd);
            p.writes.put(w.itt, w);
            continueWrite(p, w);
        } else {
            p.send(p.scsiResponse(b.itt(), ScsiResponse.GOOD, null));
        }
    }

    private static void dataOut(ScriptedPeer p, Pdu pdu) {
        ScriptedWrite w = p.writes.get(pdu.bhs().itt());
        if (w == null) {
            p.violation(String.format("Data-Out ITT: 0x%08x (expected: a WRITE in progress)", pdu.bhs().itt()));
            return;
        }
        w.onDataOut(pdu);
        continueWrite(p, w);
    }

    private static void continueWrite(ScriptedPeer p, ScriptedWrite w) {
        if (w.complete()) {
            p.writes.remove(w.itt);
            p.completed(w);
            p.send(p.scsiResponse(w.itt, ScsiResponse.GOOD, null));
        } else {
            w.solicit();
        }
    }

    /**
     * Answers a READ from a device that has {@code length} bytes: sends up to {@code edtl} of them ({@link #pattern})
     * in Data-In PDUs no longer than the initiator's declared MaxRecvDataSegmentLength, the last with status GOOD
     * (phase collapse) and the residual, U for fewer bytes than {@code edtl}, O for more (RFC 7143 §11.4.5).
     */
    static void sendReadData(ScriptedPeer p, int itt, int edtl, int length) {
        int mrdsl = p.agreedNumber("initiator.MaxRecvDataSegmentLength", 8192);
        int total = Math.min(edtl, length);
        int off = 0;
        int dataSn = 0;
        do {
            int n = Math.min(mrdsl, total - off);
            Pdu d = p.dataIn(itt, dataSn++, off, Unpooled.wrappedBuffer(pattern(off, n)));
            off += n;
            if (off == total) {
                int residual = edtl - length;
                d.bhs().flags(Bhs.F_BIT | Bhs.DATA_IN_STATUS | (residual > 0 ? Bhs.RSP_UNDERFLOW : 0)
                        | (residual < 0 ? Bhs.RSP_OVERFLOW : 0)).status(ScsiResponse.GOOD).residualCount(Math.abs(residual));
            }
            p.send(d);
        } while (off < total);
    }

    /** Bytes {@code [offset, offset+n)} of the standard disk's content: not constant, so a misplaced byte shows. */
    static byte[] pattern(int offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ((offset + i) * 7 + ((offset + i) >>> 8));
        return b;
    }
}
