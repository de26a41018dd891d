package io.mpathgw.iscsi.pdu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

/**
 * One named BHS field as the test tables spell it ({@code itt}, {@code cmdSn}, {@code csg}…): how many bits it
 * has, how to read it through {@link Bhs} and how to write it. Where {@link Bhs} has no setter for a flag bit
 * (read/write bits, residual flags…) the setter here edits the flags byte, so every field a table names can be
 * both set and checked. Values are unsigned and held in a long.
 */
record BhsField(String name, int bits, ToLongFunction<Bhs> getter, ObjLongConsumer<Bhs> setter) {

    private static final Map<String, BhsField> BY_NAME = new LinkedHashMap<>();

    static {
        // byte 0 and the flags byte (RFC 7143 §11.2.1.1-3)
        add("immediate", 1, b -> bit(b.immediate()), (b, v) -> b.immediate(v != 0));
        add("flags", 8, Bhs::flags, (b, v) -> b.flags((int) v));                 // byte 1, raw
        add("finalBit", 1, b -> bit(b.finalBit()), (b, v) -> b.finalBit(v != 0));
        flag("readBit", Bhs.CMD_READ);                                   // §11.3.1
        flag("writeBit", Bhs.CMD_WRITE);
        add("taskAttribute", 3, b -> b.taskAttribute(), (b, v) -> flags(b, Bhs.CMD_ATTR_MASK, (int) v));
        flag("bidiOverflow", Bhs.RSP_BIDI_OVERFLOW);                     // §11.4.1: o
        flag("bidiUnderflow", Bhs.RSP_BIDI_UNDERFLOW);                   // u
        add("overflow", 1, b -> bit(b.overflow()), (b, v) -> flags(b, Bhs.RSP_OVERFLOW, v != 0 ? 0xff : 0));
        add("underflow", 1, b -> bit(b.underflow()), (b, v) -> flags(b, Bhs.RSP_UNDERFLOW, v != 0 ? 0xff : 0));
        add("ackBit", 1, b -> bit(b.ackBit()), (b, v) -> flags(b, Bhs.DATA_IN_ACK, v != 0 ? 0xff : 0));
        add("statusBit", 1, b -> bit(b.statusBit()), (b, v) -> flags(b, Bhs.DATA_IN_STATUS, v != 0 ? 0xff : 0));
        add("function", 7, Bhs::function, (b, v) -> b.function((int) v));             // §11.5.1
        add("transit", 1, b -> bit(b.transit()), (b, v) -> b.loginStage(v != 0, b.csg(), b.nsg()));
        add("continueBit", 1, b -> bit(b.continueBit()), (b, v) -> b.continueBit(v != 0));
        add("csg", 2, Bhs::csg, (b, v) -> b.loginStage(b.transit(), (int) v, b.nsg()));
        add("nsg", 2, Bhs::nsg, (b, v) -> b.loginStage(b.transit(), b.csg(), (int) v));
        add("reasonCode", 7, Bhs::reasonCode, (b, v) -> b.reasonCode((int) v));        // §11.14.1
        add("snackType", 4, Bhs::snackType, (b, v) -> b.snackType((int) v));           // §11.16.1
        // bytes 2-3
        add("response", 8, Bhs::response, (b, v) -> b.response((int) v));
        add("status", 8, Bhs::status, (b, v) -> b.status((int) v));
        add("versionMax", 8, Bhs::versionMax, (b, v) -> b.versionMax((int) v));
        add("versionMin", 8, Bhs::versionMinOrActive, (b, v) -> b.versionMinOrActive((int) v));
        add("versionActive", 8, Bhs::versionMinOrActive, (b, v) -> b.versionMinOrActive((int) v));
        add("rejectReason", 8, Bhs::rejectReason, (b, v) -> b.rejectReason((int) v));
        // bytes 4-15
        add("totalAhsLength", 8, Bhs::totalAhsLength, (b, v) -> b.totalAhsLength((int) v));
        add("dataSegmentLength", 24, Bhs::dataSegmentLength, (b, v) -> b.dataSegmentLength((int) v));
        add("lun", 64, Bhs::lun, (b, v) -> b.lun(v));
        add("isid", 48, Bhs::isid, (b, v) -> b.isid(v));
        add("tsih", 16, Bhs::tsih, (b, v) -> b.tsih((int) v));
        // words 16..47
        word("itt", Bhs::itt, Bhs::itt);
        word("ttt", Bhs::ttt, Bhs::ttt);
        word("expectedDataTransferLength", Bhs::expectedDataTransferLength, Bhs::expectedDataTransferLength);
        word("referencedTaskTag", Bhs::referencedTaskTag, Bhs::referencedTaskTag);
        word("snackTag", Bhs::snackTag, Bhs::snackTag);
        add("cid", 16, Bhs::cid, (b, v) -> b.cid((int) v));
        word("cmdSn", Bhs::cmdSn, Bhs::cmdSn);
        word("expStatSn", Bhs::expStatSn, Bhs::expStatSn);
        word("statSn", Bhs::statSn, Bhs::statSn);
        word("expCmdSn", Bhs::expCmdSn, Bhs::expCmdSn);
        word("maxCmdSn", Bhs::maxCmdSn, Bhs::maxCmdSn);
        word("refCmdSn", Bhs::refCmdSn, Bhs::refCmdSn);
        word("dataSn", Bhs::dataSn, Bhs::dataSn);
        word("r2tSn", Bhs::r2tSn, Bhs::r2tSn);
        word("expDataSn", Bhs::expDataSn, Bhs::expDataSn);
        word("bufferOffset", Bhs::bufferOffset, Bhs::bufferOffset);
        word("residualCount", Bhs::residualCount, Bhs::residualCount);
        word("bidiReadResidualCount", Bhs::bidiReadResidualCount, Bhs::bidiReadResidualCount);
        word("desiredDataTransferLength", Bhs::desiredDataTransferLength, Bhs::desiredDataTransferLength);
        word("begRun", Bhs::begRun, Bhs::begRun);
        word("runLength", Bhs::runLength, Bhs::runLength);
        add("statusClass", 8, Bhs::statusClass, (b, v) -> b.loginStatus((int) v, b.statusDetail()));
        add("statusDetail", 8, Bhs::statusDetail, (b, v) -> b.loginStatus(b.statusClass(), (int) v));
        add("time2Wait", 16, Bhs::time2Wait, (b, v) -> b.time2Wait((int) v));
        add("time2Retain", 16, Bhs::time2Retain, (b, v) -> b.time2Retain((int) v));
        add("asyncEvent", 8, Bhs::asyncEvent, (b, v) -> b.asyncEvent((int) v));
        add("asyncVCode", 8, Bhs::asyncVCode, (b, v) -> b.asyncVCode((int) v));
        add("parameter1", 16, Bhs::parameter1, (b, v) -> b.parameter1((int) v));
        add("parameter2", 16, Bhs::parameter2, (b, v) -> b.parameter2((int) v));
        add("parameter3", 16, Bhs::parameter3, (b, v) -> b.parameter3((int) v));
        // the 16 CDB bytes of a SCSI Command as two big-endian halves (§11.3.5)
        add("cdb0", 64, b -> cdbHalf(b, 0), (b, v) -> cdbHalf(b, 0, v));
        add("cdb8", 64, b -> cdbHalf(b, 8), (b, v) -> cdbHalf(b, 8, v));
    }

    static BhsField of(String name) {
        BhsField f = BY_NAME.get(name);
        if (f == null)
            throw new IllegalArgumentException("BHS field: " + name + " (expected: one of " + BY_NAME.keySet() + ")");
        return f;
    }

    long get(Bhs bhs) {
        return getter.applyAsLong(bhs);
    }

    void set(Bhs bhs, long value) {
        if (bits < 64 && value >>> bits != 0)
            throw new IllegalArgumentException(
                    name + ": 0x" + Long.toHexString(value) + " (expected: " + bits + " bits)");
        setter.accept(bhs, value);
    }

    long mask() {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    private static void add(String name, int bits, ToLongFunction<Bhs> get, ObjLongConsumer<Bhs> set) {
        BY_NAME.put(name, new BhsField(name, bits, get, set));
    }

    private interface IntGetter { int get(Bhs b); }
    private interface IntSetter { Bhs set(Bhs b, int v); }

    private static void word(String name, IntGetter get, IntSetter set) {
        add(name, 32, b -> Integer.toUnsignedLong(get.get(b)), (b, v) -> set.set(b, (int) v));
    }

    private static void flag(String name, int mask) {
        add(name, 1, b -> bit((b.flags() & mask) != 0), (b, v) -> flags(b, mask, v != 0 ? 0xff : 0));
    }

    private static void flags(Bhs b, int mask, int value) {
        b.flags(b.flags() & ~mask | value & mask);
    }

    private static long bit(boolean on) {
        return on ? 1 : 0;
    }

    private static long cdbHalf(Bhs b, int from) {
        byte[] cdb = new byte[16];
        b.cdb(cdb, 16);
        long v = 0;
        for (int i = from; i < from + 8; i++) v = v << 8 | cdb[i] & 0xff;
        return v;
    }

    private static void cdbHalf(Bhs b, int from, long v) {
        byte[] cdb = new byte[16];
        b.cdb(cdb, 16);
        for (int i = from + 7; i >= from; i--, v >>>= 8) cdb[i] = (byte) v;
        b.cdb(cdb);
    }
}
