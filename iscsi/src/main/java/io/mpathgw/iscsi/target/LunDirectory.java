package io.mpathgw.iscsi.target;

import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the target answers itself rather than a logical unit: REPORT LUNS (only the target knows its LUN map,
 * SPC-4 §6.33) and any command to a LUN it does not have (SPC-4 §4.6.2: INQUIRY answers peripheral qualifier
 * 011b, everything else LOGICAL UNIT NOT SUPPORTED).
 */
final class LunDirectory {

    static final int REPORT_LUNS = 0xA0, INQUIRY = 0x12, REQUEST_SENSE = 0x03;

    private LunDirectory() {
    }

    /**
     * The target's own answer to {@code t}, or null when the task's logical unit is to execute it. Takes
     * ownership of {@code dataOut} when it answers.
     */
    static ScsiResponse answer(TargetNode target, TargetTask t, ByteBuf dataOut, ByteBufAllocator alloc) {
        int opcode = t.cdb[0] & 0xff;
        if (opcode != REPORT_LUNS && t.lu != null && t.lu.present()) return null;
        if (dataOut != null) dataOut.release();
        if (opcode == REPORT_LUNS) return reportLuns(target, t.cdb, alloc);
        if (opcode == INQUIRY) return inquiryNoLun(t.cdb, alloc);
        if (opcode == REQUEST_SENSE) return requestSenseNoLun(t.cdb, alloc);
        return check(Sense.LOGICAL_UNIT_NOT_SUPPORTED, alloc);
    }

    private static ScsiResponse reportLuns(TargetNode target, byte[] cdb, ByteBufAllocator alloc) {
        if (cdb.length < 12) return check(Sense.INVALID_FIELD_IN_CDB, alloc);
        int select = cdb[2] & 0xff;
        long allocation = ((cdb[6] & 0xffL) << 24) | ((cdb[7] & 0xff) << 16) | ((cdb[8] & 0xff) << 8) | (cdb[9] & 0xff);
        // SPC-4 §6.33: SELECT REPORT 00h/02h list the LUNs, 01h only well-known ones (we have none)
        if (select > 2 || allocation < 16) return check(Sense.INVALID_FIELD_IN_CDB, alloc);
        List<Integer> present = new ArrayList<>();
        if (select != 1) target.luns().forEach((lun, lu) -> { if (lu.present()) present.add(lun); });
        ByteBuf data = alloc.buffer(8 + 8 * present.size());
        data.writeInt(8 * present.size()).writeInt(0);
        for (int lun : present) data.writeLong(Lun.of(lun).raw());
        if (data.readableBytes() > allocation) data.writerIndex((int) allocation);
        return ScsiResponse.good(data);
    }

    /** Standard INQUIRY data for a LUN that is not there: qualifier 011b, type 1Fh (SPC-4 §6.6.2). */
    private static ScsiResponse inquiryNoLun(byte[] cdb, ByteBufAllocator alloc) {
        int allocation = ((cdb[3] & 0xff) << 8) | (cdb[4] & 0xff);
        ByteBuf data = alloc.buffer(36);
        if ((cdb[1] & 1) != 0) {                          // EVPD: the page header with qualifier 011b, no data
            data.writeByte(0x7f).writeByte(cdb[2]).writeShort(0);
        } else {
            data.writeByte(0x7f).writeByte(0).writeByte(0x06).writeByte(0x02).writeByte(31).writeZero(3);
            data.writeCharSequence("MPATHGW NO LUN          0001", StandardCharsets.US_ASCII);
        }
        if (data.readableBytes() > allocation) data.writerIndex(allocation);
        return ScsiResponse.good(data);
    }

    /** REQUEST SENSE to a missing LUN returns LOGICAL UNIT NOT SUPPORTED as data (SPC-4 §4.6.2). */
    private static ScsiResponse requestSenseNoLun(byte[] cdb, ByteBufAllocator alloc) {
        byte[] s = Sense.LOGICAL_UNIT_NOT_SUPPORTED.toBytes();
        int allocation = cdb[4] & 0xff;
        ByteBuf data = alloc.buffer(s.length).writeBytes(s, 0, Math.min(s.length, allocation));
        return ScsiResponse.good(data);
    }

    static ScsiResponse check(Sense sense, ByteBufAllocator alloc) {
        return new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense, alloc.buffer(0), 0, false, false);
    }
}
