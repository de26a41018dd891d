package io.mpathgw.iscsi.pdu;

import org.jscsi.parser.AbstractMessageParser;
import org.jscsi.parser.BasicHeaderSegment;
import org.jscsi.parser.InitiatorMessageParser;
import org.jscsi.parser.OperationCode;
import org.jscsi.parser.ProtocolDataUnit;
import org.jscsi.parser.ProtocolDataUnitFactory;
import org.jscsi.parser.TargetMessageParser;
import org.jscsi.parser.data.DataInParser;
import org.jscsi.parser.data.DataOutParser;
import org.jscsi.parser.login.ISID;
import org.jscsi.parser.login.LoginRequestParser;
import org.jscsi.parser.login.LoginResponseParser;
import org.jscsi.parser.login.LoginStage;
import org.jscsi.parser.login.LoginStatus;
import org.jscsi.parser.logout.LogoutRequestParser;
import org.jscsi.parser.logout.LogoutResponse;
import org.jscsi.parser.logout.LogoutResponseParser;
import org.jscsi.parser.nop.NOPInParser;
import org.jscsi.parser.nop.NOPOutParser;
import org.jscsi.parser.r2t.Ready2TransferParser;
import org.jscsi.parser.reject.RejectParser;
import org.jscsi.parser.scsi.SCSICommandParser;
import org.jscsi.parser.scsi.SCSIResponseParser;
import org.jscsi.parser.scsi.SCSIStatus;
import org.jscsi.parser.snack.SNACKRequestParser;
import org.jscsi.parser.text.TextRequestParser;
import org.jscsi.parser.text.TextResponseParser;
import org.jscsi.parser.tmf.TaskManagementFunctionRequestParser;
import org.jscsi.parser.tmf.TaskManagementFunctionResponseParser;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * jSCSI 2.6.0 (org.jscsi:commons) as a second BHS codec, reached through its public API only: for each opcode,
 * which getter and which setter of its parser corresponds to each {@link BhsField} name. A field with no
 * getter here cannot be compared; one with no setter cannot be produced by jSCSI (e.g. NOP-Out TTT, every
 * TMF Request field, Reject reason: spec/jscsi-eval.md §1 "API warts").
 *
 * <p>jSCSI's parser wants the whole PDU in one ByteBuffer starting at index 0 and digests it with its own
 * CRC32C, which is wrong (spec/jscsi-eval.md §1 defect 1): it is always used here with digests "None".
 */
final class JscsiBhs {

    /** Getters and setters of one opcode's parser, by BhsField name. */
    record Accessors(Map<String, ToLongFunction<ProtocolDataUnit>> getters,
                     Map<String, ObjLongConsumer<ProtocolDataUnit>> setters) {
    }

    private static final Map<Opcode, Accessors> BY_OPCODE = new EnumMap<>(Opcode.class);

    private JscsiBhs() {
    }

    static Accessors of(Opcode op) {
        return BY_OPCODE.get(op);
    }

    /** Parses one frame (no digests) with jSCSI; throws what jSCSI throws. */
    static ProtocolDataUnit parse(byte[] frame) throws Exception {
        ProtocolDataUnit pdu = new ProtocolDataUnitFactory().create("None", "None");
        pdu.deserialize(ByteBuffer.wrap(frame));
        return pdu;
    }

    /** Builds and serialises a PDU with jSCSI's setters; the values of fields it cannot set are ignored. */
    static byte[] serialize(Opcode op, Map<String, Long> values, byte[] data) throws Exception {
        ProtocolDataUnit pdu = new ProtocolDataUnitFactory().create(values.getOrDefault("immediate", 0L) != 0,
                values.getOrDefault(finalBitName(op), 0L) != 0, OperationCode.valueOf((byte) op.code), "None", "None");
        Map<String, ObjLongConsumer<ProtocolDataUnit>> setters = of(op).setters();
        values.forEach((name, v) -> {
            ObjLongConsumer<ProtocolDataUnit> s = setters.get(name);
            if (s != null) s.accept(pdu, v);
        });
        if (data.length > 0) pdu.setDataSegment(ByteBuffer.wrap(data));
        ByteBuffer out = pdu.serialize();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** Byte 1 bit 7 is T in login PDUs (jSCSI's "final flag" either way). */
    private static String finalBitName(Opcode op) {
        return op == Opcode.LOGIN_REQUEST || op == Opcode.LOGIN_RESPONSE ? "transit" : "finalBit";
    }

    /** Builds one opcode's table: common BHS fields, then what its parser adds. */
    private static final class Table<P extends AbstractMessageParser> {
        final Map<String, ToLongFunction<ProtocolDataUnit>> get = new LinkedHashMap<>();
        final Map<String, ObjLongConsumer<ProtocolDataUnit>> set = new LinkedHashMap<>();
        final Class<P> type;

        Table(Opcode op, Class<P> type) {
            this.type = type;
            get.put("immediate", pdu -> bit(bhs(pdu).isImmediateFlag()));
            get.put(finalBitName(op), pdu -> bit(bhs(pdu).isFinalFlag()));
            get.put("totalAhsLength", pdu -> bhs(pdu).getTotalAHSLength() & 0xff);
            get.put("dataSegmentLength", pdu -> bhs(pdu).getDataSegmentLength());
            get.put("itt", pdu -> u32(bhs(pdu).getInitiatorTaskTag()));
            set.put("itt", (pdu, v) -> bhs(pdu).setInitiatorTaskTag((int) v));
            if (op != Opcode.LOGIN_REQUEST && op != Opcode.LOGIN_RESPONSE)     // bytes 8-15 are ISID+TSIH there
                field("lun", AbstractMessageParser::getLogicalUnitNumber, AbstractMessageParser::setLogicalUnitNumber);
            if (InitiatorMessageParser.class.isAssignableFrom(type)) {
                sequence("cmdSn", InitiatorMessageParser.class, InitiatorMessageParser::getCommandSequenceNumber,
                        InitiatorMessageParser::setCommandSequenceNumber);
                sequence("expStatSn", InitiatorMessageParser.class,
                        InitiatorMessageParser::getExpectedStatusSequenceNumber,
                        InitiatorMessageParser::setExpectedStatusSequenceNumber);
            } else {
                sequence("statSn", TargetMessageParser.class, TargetMessageParser::getStatusSequenceNumber,
                        TargetMessageParser::setStatusSequenceNumber);
                sequence("expCmdSn", TargetMessageParser.class, TargetMessageParser::getExpectedCommandSequenceNumber,
                        TargetMessageParser::setExpectedCommandSequenceNumber);
                sequence("maxCmdSn", TargetMessageParser.class, TargetMessageParser::getMaximumCommandSequenceNumber,
                        TargetMessageParser::setMaximumCommandSequenceNumber);
            }
            BY_OPCODE.put(op, new Accessors(get, set));
        }

        private <S> void sequence(String name, Class<S> base, ToIntFunction<S> getter, ObjIntSetter<S> setter) {
            get.put(name, pdu -> u32(getter.applyAsInt(base.cast(parser(pdu)))));
            set.put(name, (pdu, v) -> setter.set(base.cast(parser(pdu)), (int) v));
        }

        Table<P> field(String name, ToLongFunction<P> getter, ObjLongConsumer<P> setter) {
            get.put(name, pdu -> getter.applyAsLong(type.cast(parser(pdu))));
            if (setter != null) set.put(name, (pdu, v) -> setter.accept(type.cast(parser(pdu)), v));
            else set.remove(name);
            return this;
        }

        Table<P> word(String name, ToIntFunction<P> getter, ObjIntSetter<P> setter) {
            return field(name, p -> u32(getter.applyAsInt(p)),
                    setter == null ? null : (p, v) -> setter.set(p, (int) v));
        }

        Table<P> flag(String name, Predicate<P> getter, FlagSetter<P> setter) {
            return field(name, p -> bit(getter.test(p)), setter == null ? null : (p, v) -> setter.set(p, v != 0));
        }
    }

    interface ObjIntSetter<P> { void set(P p, int v); }
    interface FlagSetter<P> { void set(P p, boolean v); }

    static {
        new Table<>(Opcode.NOP_OUT, NOPOutParser.class)
                .word("ttt", NOPOutParser::getTargetTransferTag, null);                     // no setter in jSCSI
        new Table<>(Opcode.NOP_IN, NOPInParser.class)
                .word("ttt", NOPInParser::getTargetTransferTag, NOPInParser::setTargetTransferTag);
        new Table<>(Opcode.SCSI_COMMAND, SCSICommandParser.class)
                .flag("readBit", SCSICommandParser::isReadExpectedFlag, SCSICommandParser::setReadExpectedFlag)
                .flag("writeBit", SCSICommandParser::isWriteExpectedFlag, SCSICommandParser::setWriteExpectedFlag)
                .field("taskAttribute", p -> p.getTaskAttributes().value(),
                        (p, v) -> p.setTaskAttributes(SCSICommandParser.TaskAttributes.valueOf((byte) v)))
                .word("expectedDataTransferLength", SCSICommandParser::getExpectedDataTransferLength,
                        SCSICommandParser::setExpectedDataTransferLength)
                .field("cdb0", p -> p.getCDB().getLong(0), (p, v) -> setCdbHalf(p, 0, v))
                .field("cdb8", p -> p.getCDB().getLong(8), (p, v) -> setCdbHalf(p, 8, v));
        new Table<>(Opcode.SCSI_RESPONSE, SCSIResponseParser.class)
                .flag("bidiOverflow", SCSIResponseParser::isBidirectionalReadResidualOverflow,
                        SCSIResponseParser::setBidirectionalReadResidualOverflow)
                .flag("bidiUnderflow", SCSIResponseParser::isBidirectionalReadResidualUnderflow,
                        SCSIResponseParser::setBidirectionalReadResidualUnderflow)
                .flag("overflow", SCSIResponseParser::isResidualOverflow, SCSIResponseParser::setResidualOverflow)
                .flag("underflow", SCSIResponseParser::isResidualUnderflow, SCSIResponseParser::setResidualUnderflow)
                .field("response", p -> p.getResponse().value() & 0xff,
                        (p, v) -> p.setResponse(SCSIResponseParser.ServiceResponse.valueOf((byte) v)))
                .field("status", p -> p.getStatus().value() & 0xff, (p, v) -> p.setStatus(SCSIStatus.valueOf((byte) v)))
                .word("snackTag", SCSIResponseParser::getSNACKTag, SCSIResponseParser::setSNACKTag)
                .word("expDataSn", SCSIResponseParser::getExpectedDataSequenceNumber,
                        SCSIResponseParser::setExpectedDataSequenceNumber)
                .word("bidiReadResidualCount", SCSIResponseParser::getBidirectionalReadResidualCount,
                        SCSIResponseParser::setBidirectionalReadResidualCount)
                .word("residualCount", SCSIResponseParser::getResidualCount, SCSIResponseParser::setResidualCount);
        new Table<>(Opcode.TASK_MGMT_REQUEST, TaskManagementFunctionRequestParser.class)          // no setters at all
                .field("function", p -> p.getFunction().value() & 0xff, null)
                .word("referencedTaskTag", TaskManagementFunctionRequestParser::getReferencedTaskTag, null)
                .word("refCmdSn", TaskManagementFunctionRequestParser::getRefCmdSN, null)
                .word("expDataSn", TaskManagementFunctionRequestParser::getExpDataSN, null);
        new Table<>(Opcode.TASK_MGMT_RESPONSE, TaskManagementFunctionResponseParser.class)
                .field("response", p -> p.getResponse().value() & 0xff,
                        (p, v) -> p.setResponse(TaskManagementFunctionResponseParser.ResponseCode.valueOf((byte) v)));
        new Table<>(Opcode.LOGIN_REQUEST, LoginRequestParser.class)
                .flag("continueBit", LoginRequestParser::isContinueFlag, LoginRequestParser::setContinueFlag)
                .field("csg", p -> p.getCurrentStageNumber().value(),
                        (p, v) -> p.setCurrentStageNumber(LoginStage.valueOf((byte) v)))
                .field("nsg", p -> p.getNextStageNumber().value(),
                        (p, v) -> p.setNextStageNumber(LoginStage.valueOf((byte) v)))
                .field("versionMax", p -> p.getMaxVersion() & 0xff, (p, v) -> p.setMaxVersion((byte) v))
                .field("versionMin", p -> p.getMinVersion() & 0xff, (p, v) -> p.setMinVersion((byte) v))
                .field("isid", p -> isid(p.getInitiatorSessionID()), (p, v) -> p.setInitiatorSessionID(isid(v)))
                .field("tsih", p -> p.getTargetSessionIdentifyingHandle() & 0xffff,
                        (p, v) -> p.setTargetSessionIdentifyingHandle((short) v))
                .field("cid", p -> p.getConnectionID() & 0xffff, (p, v) -> p.setConnectionID((int) v));
        new Table<>(Opcode.LOGIN_RESPONSE, LoginResponseParser.class)
                .flag("continueBit", LoginResponseParser::isContinueFlag, LoginResponseParser::setContinueFlag)
                .field("csg", p -> p.getCurrentStageNumber().value(),
                        (p, v) -> p.setCurrentStageNumber(LoginStage.valueOf((byte) v)))
                .field("nsg", p -> p.getNextStageNumber().value(),
                        (p, v) -> p.setNextStageNumber(LoginStage.valueOf((byte) v)))
                .field("versionMax", p -> p.getMaxVersion() & 0xff, null)
                .field("versionActive", p -> p.getActiveVersion() & 0xff, null)
                .field("isid", p -> isid(p.getInitiatorSessionID()), (p, v) -> p.setInitiatorSessionID(isid(v)))
                .field("tsih", p -> p.getTargetSessionIdentifyingHandle() & 0xffff,
                        (p, v) -> p.setTargetSessionIdentifyingHandle((short) v))
                // one LoginStatus enum holds both bytes: each setter keeps the other half
                .field("statusClass", p -> (p.getStatus().value() >> 8) & 0xff,
                        (p, v) -> p.setStatus(LoginStatus.valueOf((short) (v << 8 | statusHalf(p, 0)))))
                .field("statusDetail", p -> p.getStatus().value() & 0xff,
                        (p, v) -> p.setStatus(LoginStatus.valueOf((short) (statusHalf(p, 8) << 8 | v))));
        new Table<>(Opcode.TEXT_REQUEST, TextRequestParser.class)
                .flag("continueBit", TextRequestParser::isContinueFlag, null)
                .word("ttt", TextRequestParser::getTargetTransferTag, TextRequestParser::setTargetTransferTag);
        new Table<>(Opcode.TEXT_RESPONSE, TextResponseParser.class)
                .flag("continueBit", TextResponseParser::isContinueFlag, TextResponseParser::setContinueFlag)
                .word("ttt", TextResponseParser::getTargetTransferTag, TextResponseParser::setTargetTransferTag);
        new Table<>(Opcode.SCSI_DATA_OUT, DataOutParser.class)
                .word("ttt", DataOutParser::getTargetTransferTag, DataOutParser::setTargetTransferTag)
                .word("dataSn", DataOutParser::getDataSequenceNumber, DataOutParser::setDataSequenceNumber)
                .word("bufferOffset", DataOutParser::getBufferOffset, DataOutParser::setBufferOffset);
        new Table<>(Opcode.SCSI_DATA_IN, DataInParser.class)
                .flag("ackBit", DataInParser::isAcknowledgeFlag, DataInParser::setAcknowledgeFlag)
                .flag("overflow", DataInParser::isResidualOverflow, DataInParser::setResidualOverflowFlag)
                .flag("underflow", DataInParser::isResidualUnderflow, DataInParser::setResidualUnderflowFlag)
                .flag("statusBit", DataInParser::isStatusFlag, DataInParser::setStatusFlag)
                .field("status", p -> p.getStatus().value() & 0xff, (p, v) -> p.setStatus(SCSIStatus.valueOf((byte) v)))
                .word("ttt", DataInParser::getTargetTaskTag, DataInParser::setTargetTransferTag)
                .word("dataSn", DataInParser::getDataSequenceNumber, DataInParser::setDataSequenceNumber)
                .word("bufferOffset", DataInParser::getBufferOffset, DataInParser::setBufferOffset)
                .word("residualCount", DataInParser::getResidualCount, DataInParser::setResidualCount);
        new Table<>(Opcode.LOGOUT_REQUEST, LogoutRequestParser.class)
                .field("reasonCode", p -> p.getReasonCode().value() & 0xff,
                        (p, v) -> p.setReasonCode(LogoutRequestParser.LogoutReasonCode.valueOf((byte) v)))
                .field("cid", p -> p.getConnectionID() & 0xffff, (p, v) -> p.setConnectionID((short) v));
        new Table<>(Opcode.LOGOUT_RESPONSE, LogoutResponseParser.class)
                .field("response", p -> p.getResponse().value() & 0xff,
                        (p, v) -> p.setResponse(LogoutResponse.valueOf((byte) v)))
                .field("time2Wait", p -> p.getTime2Wait() & 0xffff, (p, v) -> p.setTime2Wait((short) v))
                .field("time2Retain", p -> p.getTime2Retain() & 0xffff, (p, v) -> p.setTime2Retain((short) v));
        new Table<>(Opcode.SNACK_REQUEST, SNACKRequestParser.class)
                .field("snackType", p -> p.getType().value() & 0xff,
                        (p, v) -> p.setType(SNACKRequestParser.SNACKType.valueOf((byte) v)))
                .word("snackTag", SNACKRequestParser::getTargetTransferTag, SNACKRequestParser::setTargetTransferTag)
                .word("begRun", SNACKRequestParser::getBegRun, SNACKRequestParser::setBegRun)
                .word("runLength", SNACKRequestParser::getRunLength, SNACKRequestParser::setRunLength);
        new Table<>(Opcode.R2T, Ready2TransferParser.class)
                .word("ttt", Ready2TransferParser::getTargetTransferTag, Ready2TransferParser::setTargetTransferTag)
                .word("r2tSn", Ready2TransferParser::getReady2TransferSequenceNumber,
                        Ready2TransferParser::setReady2TransferSequenceNumber)
                .word("bufferOffset", Ready2TransferParser::getBufferOffset, Ready2TransferParser::setBufferOffset)
                .word("desiredDataTransferLength", Ready2TransferParser::getDesiredDataTransferLength,
                        Ready2TransferParser::setDesiredDataTransferLength);
        new Table<>(Opcode.REJECT, RejectParser.class)                                      // no setters at all
                .field("rejectReason", p -> p.getReasonCode().value() & 0xff, null)
                .word("dataSn", RejectParser::getDataSequenceNumber, null);
        // ASYNC_MESSAGE (0x32): MessageParserFactory has no case for it, parsing throws NoSuchElementException
        // (spec/jscsi-eval.md §1 "Opcodes"), so it has no table and the oracle tests skip it by name.
    }

    private static BasicHeaderSegment bhs(ProtocolDataUnit pdu) {
        return pdu.getBasicHeaderSegment();
    }

    private static AbstractMessageParser parser(ProtocolDataUnit pdu) {
        return pdu.getBasicHeaderSegment().getParser();
    }

    private static long bit(boolean b) {
        return b ? 1 : 0;
    }

    private static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    /** jSCSI's ISID.serialize() puts the six ISID bytes in the top 48 bits of a long. */
    private static long isid(ISID isid) {
        try {
            return isid.serialize() >>> 16;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An ISID holding exactly {@code v}. jSCSI's public ISID(Format, …) constructor cannot be called because
     * ISID.Format is package-private (spec/jscsi-eval.md §1 "API warts"), so this calls the package-private
     * ISID.deserialize(long) that its own LoginRequestParser uses.
     */
    private static ISID isid(long v) {
        try {
            ISID isid = new ISID();
            Method m = ISID.class.getDeclaredMethod("deserialize", long.class);
            m.setAccessible(true);
            m.invoke(isid, v << 16);
            return isid;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jSCSI ISID.deserialize(long) not reachable", e);
        }
    }

    private static int statusHalf(LoginResponseParser p, int shift) {
        return p.getStatus() == null ? 0 : (p.getStatus().value() >> shift) & 0xff;
    }

    private static void setCdbHalf(SCSICommandParser p, int at, long v) {
        ByteBuffer cdb = ByteBuffer.allocate(16);
        ByteBuffer old = p.getCDB();
        if (old != null) cdb.put(old.duplicate().rewind()).rewind();
        cdb.putLong(at, v);
        p.setCommandDescriptorBlock(cdb);
    }
}
