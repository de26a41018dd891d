package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * A view over one 48-byte Basic Header Segment (RFC 7143 §11.2.1) with a getter and a setter per field, named
 * as the RFC names them. Several fields share an offset across opcodes (CmdSN in requests, StatSN in
 * responses); the accessor names which one the caller means. The view reads and writes the buffer at its
 * reader index and never moves the indexes; it does not own the buffer.
 */
public final class Bhs {

    public static final int LENGTH = 48;

    // Offsets shared by several opcodes (RFC 7143 §11.2.1 and each PDU's section).
    private static final int FLAGS = 1;
    private static final int BYTE2 = 2;               // response, VersionMax, reason…
    private static final int BYTE3 = 3;               // status, VersionMin/Active
    private static final int TOTAL_AHS_LENGTH = 4;
    private static final int DATA_SEGMENT_LENGTH = 5;
    private static final int LUN = 8;                 // also ISID+TSIH in login PDUs
    private static final int TSIH = 14;
    private static final int ITT = 16;
    private static final int WORD20 = 20;             // TTT, Expected Data Transfer Length, RTT, CID, SNACK Tag
    private static final int WORD24 = 24;             // CmdSN (requests) or StatSN (responses)
    private static final int WORD28 = 28;             // ExpStatSN (requests) or ExpCmdSN (responses)
    private static final int WORD32 = 32;             // MaxCmdSN, RefCmdSN, CDB start
    private static final int WORD36 = 36;             // DataSN, R2TSN, ExpDataSN, Status-Class, AsyncEvent
    private static final int WORD40 = 40;             // Buffer Offset, BegRun, Time2Wait, Parameter2
    private static final int WORD44 = 44;             // Residual Count, Desired Data Transfer Length, RunLength

    public static final int F_BIT = 0x80;
    public static final int IMMEDIATE_BIT = 0x40;
    public static final int RESERVED_TAG = 0xffffffff;

    private final ByteBuf buf;
    private final int base;

    public Bhs(ByteBuf buf) {
        this.buf = buf;
        this.base = buf.readerIndex();
    }

    public ByteBuf buffer() {
        return buf;
    }

    private int u8(int off) { return buf.getUnsignedByte(base + off); }
    private int i32(int off) { return buf.getInt(base + off); }
    private Bhs u8(int off, int v) { buf.setByte(base + off, v); return this; }
    private Bhs i32(int off, int v) { buf.setInt(base + off, v); return this; }
    private Bhs flag(int mask, boolean on) { return u8(FLAGS, on ? u8(FLAGS) | mask : u8(FLAGS) & ~mask); }

    // ---- byte 0 and the common header

    /** The raw six-bit opcode; {@link Opcode#of} may map it to null for an undefined code. */
    public int opcodeCode() { return u8(0) & 0x3f; }
    public Opcode opcode() { return Opcode.of(u8(0)); }
    public Bhs opcode(Opcode o) { return u8(0, (u8(0) & IMMEDIATE_BIT) | o.code); }
    public boolean immediate() { return (u8(0) & IMMEDIATE_BIT) != 0; }
    public Bhs immediate(boolean on) { return u8(0, on ? u8(0) | IMMEDIATE_BIT : u8(0) & ~IMMEDIATE_BIT); }
    public int flags() { return u8(FLAGS); }
    public Bhs flags(int v) { return u8(FLAGS, v); }
    public boolean finalBit() { return (u8(FLAGS) & F_BIT) != 0; }
    public Bhs finalBit(boolean on) { return flag(F_BIT, on); }
    public int totalAhsLength() { return u8(TOTAL_AHS_LENGTH); }
    public Bhs totalAhsLength(int words) { return u8(TOTAL_AHS_LENGTH, words); }
    public int dataSegmentLength() { return buf.getUnsignedMedium(base + DATA_SEGMENT_LENGTH); }
    public Bhs dataSegmentLength(int v) { buf.setMedium(base + DATA_SEGMENT_LENGTH, v); return this; }
    public long lun() { return buf.getLong(base + LUN); }
    public Bhs lun(long v) { buf.setLong(base + LUN, v); return this; }
    public int itt() { return i32(ITT); }
    public Bhs itt(int v) { return i32(ITT, v); }

    // ---- sequence numbers

    public int cmdSn() { return i32(WORD24); }
    public Bhs cmdSn(int v) { return i32(WORD24, v); }
    public int expStatSn() { return i32(WORD28); }
    public Bhs expStatSn(int v) { return i32(WORD28, v); }
    public int statSn() { return i32(WORD24); }
    public Bhs statSn(int v) { return i32(WORD24, v); }
    public int expCmdSn() { return i32(WORD28); }
    public Bhs expCmdSn(int v) { return i32(WORD28, v); }
    public int maxCmdSn() { return i32(WORD32); }
    public Bhs maxCmdSn(int v) { return i32(WORD32, v); }
    public int dataSn() { return i32(WORD36); }
    public Bhs dataSn(int v) { return i32(WORD36, v); }
    public int r2tSn() { return i32(WORD36); }
    public Bhs r2tSn(int v) { return i32(WORD36, v); }
    public int expDataSn() { return i32(WORD36); }
    public Bhs expDataSn(int v) { return i32(WORD36, v); }
    /** Task Management Request RefCmdSN (§11.5.4). */
    public int refCmdSn() { return i32(WORD32); }
    public Bhs refCmdSn(int v) { return i32(WORD32, v); }

    // ---- word 20: tags and lengths

    public int ttt() { return i32(WORD20); }
    public Bhs ttt(int v) { return i32(WORD20, v); }
    public int expectedDataTransferLength() { return i32(WORD20); }
    public Bhs expectedDataTransferLength(int v) { return i32(WORD20, v); }
    public int referencedTaskTag() { return i32(WORD20); }
    public Bhs referencedTaskTag(int v) { return i32(WORD20, v); }
    public int snackTag() { return i32(WORD20); }
    public Bhs snackTag(int v) { return i32(WORD20, v); }
    /** Connection ID of Login and Logout Requests (§11.12.7, §11.14.3). */
    public int cid() { return buf.getUnsignedShort(base + WORD20); }
    public Bhs cid(int v) { buf.setShort(base + WORD20, v); return this; }

    // ---- data transfer

    public int bufferOffset() { return i32(WORD40); }
    public Bhs bufferOffset(int v) { return i32(WORD40, v); }
    public int residualCount() { return i32(WORD44); }
    public Bhs residualCount(int v) { return i32(WORD44, v); }
    public int desiredDataTransferLength() { return i32(WORD44); }
    public Bhs desiredDataTransferLength(int v) { return i32(WORD44, v); }
    public int bidiReadResidualCount() { return i32(WORD40); }
    public Bhs bidiReadResidualCount(int v) { return i32(WORD40, v); }

    // ---- SCSI Command (§11.3) and Response / Data-In (§11.4, §11.7)

    public static final int CMD_READ = 0x40, CMD_WRITE = 0x20, CMD_ATTR_MASK = 0x07;
    public static final int RSP_BIDI_OVERFLOW = 0x10, RSP_BIDI_UNDERFLOW = 0x08;
    public static final int RSP_OVERFLOW = 0x04, RSP_UNDERFLOW = 0x02;
    public static final int DATA_IN_ACK = 0x40, DATA_IN_STATUS = 0x01;

    public boolean readBit() { return (u8(FLAGS) & CMD_READ) != 0; }
    public boolean writeBit() { return (u8(FLAGS) & CMD_WRITE) != 0; }
    public int taskAttribute() { return u8(FLAGS) & CMD_ATTR_MASK; }
    /** Bytes 32..47 of a SCSI Command: the first 16 CDB bytes. */
    public void cdb(byte[] dst, int length) { buf.getBytes(base + WORD32, dst, 0, Math.min(16, length)); }
    public Bhs cdb(byte[] cdb) {
        buf.setZero(base + WORD32, 16);
        buf.setBytes(base + WORD32, cdb, 0, Math.min(16, cdb.length));
        return this;
    }
    public boolean overflow() { return (u8(FLAGS) & RSP_OVERFLOW) != 0; }
    public boolean underflow() { return (u8(FLAGS) & RSP_UNDERFLOW) != 0; }
    public boolean statusBit() { return (u8(FLAGS) & DATA_IN_STATUS) != 0; }
    public boolean ackBit() { return (u8(FLAGS) & DATA_IN_ACK) != 0; }
    public int response() { return u8(BYTE2); }
    public Bhs response(int v) { return u8(BYTE2, v); }
    public int status() { return u8(BYTE3); }
    public Bhs status(int v) { return u8(BYTE3, v); }

    // ---- Task Management (§11.5, §11.6)

    public int function() { return u8(FLAGS) & 0x7f; }
    public Bhs function(int f) { return u8(FLAGS, F_BIT | f); }

    // ---- Login (§11.12, §11.13), Text (§11.10), Logout (§11.14)

    public static final int LOGIN_TRANSIT = 0x80, CONTINUE = 0x40;

    public boolean transit() { return (u8(FLAGS) & LOGIN_TRANSIT) != 0; }
    public boolean continueBit() { return (u8(FLAGS) & CONTINUE) != 0; }
    public Bhs continueBit(boolean on) { return flag(CONTINUE, on); }
    public int csg() { return (u8(FLAGS) >> 2) & 0x03; }
    public int nsg() { return u8(FLAGS) & 0x03; }
    public Bhs loginStage(boolean transit, int csg, int nsg) {
        return u8(FLAGS, (transit ? LOGIN_TRANSIT : 0) | (u8(FLAGS) & CONTINUE) | (csg & 3) << 2 | (nsg & 3));
    }
    public int versionMax() { return u8(BYTE2); }
    public Bhs versionMax(int v) { return u8(BYTE2, v); }
    /** VersionMin in a Login Request, VersionActive in a Login Response. */
    public int versionMinOrActive() { return u8(BYTE3); }
    public Bhs versionMinOrActive(int v) { return u8(BYTE3, v); }
    /** The 6-byte ISID as a long (bytes 8..13). */
    public long isid() { return buf.getUnsignedInt(base + LUN) << 16 | buf.getUnsignedShort(base + LUN + 4); }
    public Bhs isid(long v) {
        buf.setInt(base + LUN, (int) (v >>> 16));
        buf.setShort(base + LUN + 4, (int) v);
        return this;
    }
    public int tsih() { return buf.getUnsignedShort(base + TSIH); }
    public Bhs tsih(int v) { buf.setShort(base + TSIH, v); return this; }
    public int statusClass() { return u8(WORD36); }
    public int statusDetail() { return u8(WORD36 + 1); }
    public Bhs loginStatus(int statusClass, int statusDetail) {
        return u8(WORD36, statusClass).u8(WORD36 + 1, statusDetail);
    }
    public int reasonCode() { return u8(FLAGS) & 0x7f; }
    public Bhs reasonCode(int v) { return u8(FLAGS, F_BIT | v); }
    public int time2Wait() { return buf.getUnsignedShort(base + WORD40); }
    public Bhs time2Wait(int v) { buf.setShort(base + WORD40, v); return this; }
    public int time2Retain() { return buf.getUnsignedShort(base + WORD40 + 2); }
    public Bhs time2Retain(int v) { buf.setShort(base + WORD40 + 2, v); return this; }

    // ---- SNACK (§11.16)

    public int snackType() { return u8(FLAGS) & 0x0f; }
    public Bhs snackType(int v) { return u8(FLAGS, F_BIT | v); }
    public int begRun() { return i32(WORD40); }
    public Bhs begRun(int v) { return i32(WORD40, v); }
    public int runLength() { return i32(WORD44); }
    public Bhs runLength(int v) { return i32(WORD44, v); }

    // ---- Async Message (§11.9) and Reject (§11.17)

    public int asyncEvent() { return u8(WORD36); }
    public Bhs asyncEvent(int v) { return u8(WORD36, v); }
    public int asyncVCode() { return u8(WORD36 + 1); }
    public Bhs asyncVCode(int v) { return u8(WORD36 + 1, v); }
    public int parameter1() { return buf.getUnsignedShort(base + WORD36 + 2); }
    public Bhs parameter1(int v) { buf.setShort(base + WORD36 + 2, v); return this; }
    public int parameter2() { return buf.getUnsignedShort(base + WORD40); }
    public Bhs parameter2(int v) { buf.setShort(base + WORD40, v); return this; }
    public int parameter3() { return buf.getUnsignedShort(base + WORD40 + 2); }
    public Bhs parameter3(int v) { buf.setShort(base + WORD40 + 2, v); return this; }
    public int rejectReason() { return u8(BYTE2); }
    public Bhs rejectReason(int v) { return u8(BYTE2, v); }

    @Override
    public String toString() {
        Opcode op = opcode();
        return String.format("%s%s itt=0x%08x dsl=%d sn24=%d sn28=%d sn32=%d",
                op == null ? String.format("opcode 0x%02x", opcodeCode()) : op, immediate() ? "(I)" : "",
                itt(), dataSegmentLength(), i32(WORD24), i32(WORD28), i32(WORD32));
    }
}
