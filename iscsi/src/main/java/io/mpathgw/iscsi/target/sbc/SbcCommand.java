package io.mpathgw.iscsi.target.sbc;

import java.util.HexFormat;

import static io.mpathgw.iscsi.target.sbc.SbcCommand.Flag.MEDIUM;
import static io.mpathgw.iscsi.target.sbc.SbcCommand.Flag.PROTECT;
import static io.mpathgw.iscsi.target.sbc.SbcCommand.Flag.SPC2_ALLOWED;
import static io.mpathgw.iscsi.target.sbc.SbcCommand.Flag.UA_EXEMPT;

/**
 * Every command the LU knows, as one table: operation code, service action, and the CDB USAGE DATA of REPORT
 * SUPPORTED OPERATION CODES (SPC-4 §6.35.3), which is also the validation mask: a CDB bit set where the usage data
 * has 0 is answered with INVALID FIELD IN CDB naming that byte and bit. Byte 0 is the opcode; for service-action
 * commands byte 1 holds the service action (bits 4..0). The CONTROL byte is checked only for NACA, which this LU
 * does not support (SAM-5 §5.10). Protection fields (RDPROTECT…) are left out of the masks: no protection
 * information is supported, so they are rejected, by the handlers with a pointer to their most significant bit.
 *
 * <p>Access under persistent reservations follows SPC-4 §5.9.1 and SBC-3 §4.17 as tgt's table reads them:
 * {@link Access#READ} conflicts only for the Exclusive Access types, {@link Access#WRITE} for both.
 */
enum SbcCommand {
    TEST_UNIT_READY(0x00, -1, "00 00 00 00 00 00", Access.ALLOWED, Needs.ANY, MEDIUM),
    REQUEST_SENSE(0x03, -1, "03 01 00 00 ff 00", Access.ALLOWED, Needs.ANY, UA_EXEMPT | SPC2_ALLOWED),
    READ_6(0x08, -1, "08 1f ff ff ff 00", Access.READ, Needs.ANY, MEDIUM),
    WRITE_6(0x0A, -1, "0a 1f ff ff ff 00", Access.WRITE, Needs.ANY, MEDIUM),
    INQUIRY(0x12, -1, "12 01 ff ff ff 00", Access.ALLOWED, Needs.ANY, UA_EXEMPT | SPC2_ALLOWED),
    MODE_SELECT_6(0x15, -1, "15 11 00 00 ff 00", Access.WRITE, Needs.ANY, 0),
    RESERVE_6(0x16, -1, "16 00 00 00 00 00", Access.ALLOWED, Needs.ANY, 0),
    RELEASE_6(0x17, -1, "17 00 00 00 00 00", Access.ALLOWED, Needs.ANY, SPC2_ALLOWED),
    MODE_SENSE_6(0x1A, -1, "1a 08 ff ff ff 00", Access.WRITE, Needs.ANY, 0),
    START_STOP_UNIT(0x1B, -1, "1b 01 00 0f f7 00", Access.ALLOWED, Needs.ANY, 0),
    PREVENT_ALLOW_MEDIUM_REMOVAL(0x1E, -1, "1e 00 00 00 03 00", Access.ALLOWED, Needs.ANY, 0),
    READ_CAPACITY_10(0x25, -1, "25 00 ff ff ff ff 00 00 01 00", Access.ALLOWED, Needs.ANY, MEDIUM),
    READ_10(0x28, -1, "28 1a ff ff ff ff 1f ff ff 00", Access.READ, Needs.ANY, MEDIUM | PROTECT),
    WRITE_10(0x2A, -1, "2a 1a ff ff ff ff 1f ff ff 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    WRITE_AND_VERIFY_10(0x2E, -1, "2e 16 ff ff ff ff 1f ff ff 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    VERIFY_10(0x2F, -1, "2f 16 ff ff ff ff 1f ff ff 00", Access.READ, Needs.ANY, MEDIUM | PROTECT),
    PRE_FETCH_10(0x34, -1, "34 02 ff ff ff ff 1f ff ff 00", Access.READ, Needs.ANY, MEDIUM),
    SYNCHRONIZE_CACHE_10(0x35, -1, "35 06 ff ff ff ff 1f ff ff 00", Access.WRITE, Needs.ANY, MEDIUM),
    WRITE_SAME_10(0x41, -1, "41 18 ff ff ff ff 1f ff ff 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    UNMAP(0x42, -1, "42 01 00 00 00 00 1f ff ff 00", Access.WRITE, Needs.THIN, MEDIUM),
    MODE_SELECT_10(0x55, -1, "55 11 00 00 00 00 00 ff ff 00", Access.WRITE, Needs.ANY, 0),
    MODE_SENSE_10(0x5A, -1, "5a 18 ff ff 00 00 00 ff ff 00", Access.WRITE, Needs.ANY, 0),
    PR_IN_READ_KEYS(0x5E, 0x00, "5e 00 00 00 00 00 00 ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_IN_READ_RESERVATION(0x5E, 0x01, "5e 01 00 00 00 00 00 ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_IN_REPORT_CAPABILITIES(0x5E, 0x02, "5e 02 00 00 00 00 00 ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_IN_READ_FULL_STATUS(0x5E, 0x03, "5e 03 00 00 00 00 00 ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_REGISTER(0x5F, 0x00, "5f 00 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_RESERVE(0x5F, 0x01, "5f 01 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_RELEASE(0x5F, 0x02, "5f 02 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_CLEAR(0x5F, 0x03, "5f 03 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_PREEMPT(0x5F, 0x04, "5f 04 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_PREEMPT_AND_ABORT(0x5F, 0x05, "5f 05 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    PR_OUT_REGISTER_AND_IGNORE(0x5F, 0x06, "5f 06 ff 00 00 ff ff ff ff 00", Access.ALLOWED, Needs.ANY, 0),
    READ_16(0x88, -1, "88 1a ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.READ, Needs.ANY, MEDIUM | PROTECT),
    COMPARE_AND_WRITE(0x89, -1, "89 1a ff ff ff ff ff ff ff ff 00 00 00 ff 1f 00", Access.WRITE, Needs.ANY,
            MEDIUM | PROTECT),
    WRITE_16(0x8A, -1, "8a 1a ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    ORWRITE_16(0x8B, -1, "8b 1a ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    WRITE_AND_VERIFY_16(0x8E, -1, "8e 16 ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY,
            MEDIUM | PROTECT),
    VERIFY_16(0x8F, -1, "8f 16 ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.READ, Needs.ANY, MEDIUM | PROTECT),
    PRE_FETCH_16(0x90, -1, "90 02 ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.READ, Needs.ANY, MEDIUM),
    SYNCHRONIZE_CACHE_16(0x91, -1, "91 06 ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY,
            MEDIUM),
    WRITE_SAME_16(0x93, -1, "93 19 ff ff ff ff ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    READ_CAPACITY_16(0x9E, 0x10, "9e 10 00 00 00 00 00 00 00 00 ff ff ff ff 00 00", Access.ALLOWED, Needs.ANY,
            MEDIUM),
    GET_LBA_STATUS(0x9E, 0x12, "9e 12 ff ff ff ff ff ff ff ff ff ff ff ff 00 00", Access.READ, Needs.ANY, MEDIUM),
    REPORT_LUNS(0xA0, -1, "a0 00 ff 00 00 00 ff ff ff ff 00 00", Access.ALLOWED, Needs.ANY,
            UA_EXEMPT | SPC2_ALLOWED),
    REPORT_TARGET_PORT_GROUPS(0xA3, 0x0A, "a3 ea 00 00 00 00 ff ff ff ff 00 00", Access.ALLOWED, Needs.ALUA, 0),
    REPORT_SUPPORTED_OPERATION_CODES(0xA3, 0x0C, "a3 0c 87 ff ff ff ff ff ff ff 00 00", Access.ALLOWED, Needs.ANY,
            0),
    SET_TARGET_PORT_GROUPS(0xA4, 0x0A, "a4 0a 00 00 00 00 ff ff ff ff 00 00", Access.WRITE, Needs.EXPLICIT_ALUA, 0),
    READ_12(0xA8, -1, "a8 1a ff ff ff ff ff ff ff ff 1f 00", Access.READ, Needs.ANY, MEDIUM | PROTECT),
    WRITE_12(0xAA, -1, "aa 1a ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    WRITE_AND_VERIFY_12(0xAE, -1, "ae 16 ff ff ff ff ff ff ff ff 1f 00", Access.WRITE, Needs.ANY, MEDIUM | PROTECT),
    VERIFY_12(0xAF, -1, "af 16 ff ff ff ff ff ff ff ff 1f 00", Access.READ, Needs.ANY, MEDIUM | PROTECT);

    /** What a command may do while a persistent reservation is held by another I_T nexus. */
    enum Access {
        /** Never in conflict (INQUIRY, READ CAPACITY, PERSISTENT RESERVE IN…). */
        ALLOWED,
        /** Reads the medium: conflicts with Exclusive Access types only. */
        READ,
        /** Changes the medium or LU state: conflicts with Write Exclusive and Exclusive Access types. */
        WRITE
    }

    /** Which LU settings make the command exist at all. */
    enum Needs { ANY, THIN, ALUA, EXPLICIT_ALUA }

    /** Row flags. */
    static final class Flag {
        /** Not blocked by, and does not consume, a unit attention (SPC-4 §5.14: INQUIRY, REPORT LUNS, REQUEST SENSE). */
        static final int UA_EXEMPT = 1;
        /** Allowed from other initiators while an SPC-2 RESERVE(6) is held (SPC-2 §5.5.1). */
        static final int SPC2_ALLOWED = 2;
        /** Needs the medium: NOT READY, MEDIUM NOT PRESENT when a removable LU is ejected. */
        static final int MEDIUM = 4;
        /** Byte 1 bits 7..5 are a protection field (RDPROTECT…): non-zero is refused, naming bit 7. */
        static final int PROTECT = 8;

        private Flag() {
        }
    }

    private static final SbcCommand[] BY_OPCODE = new SbcCommand[256];
    private static final boolean[] HAS_SERVICE_ACTIONS = new boolean[256];

    static {
        for (SbcCommand c : values()) {
            if (c.serviceAction >= 0) HAS_SERVICE_ACTIONS[c.opcode] = true;
            else BY_OPCODE[c.opcode] = c;
        }
    }

    final int opcode;
    final int serviceAction;
    private final byte[] usage;
    final Access access;
    final Needs needs;
    private final int flags;

    SbcCommand(int opcode, int serviceAction, String usage, Access access, Needs needs, int flags) {
        this.opcode = opcode;
        this.serviceAction = serviceAction;
        this.usage = HexFormat.ofDelimiter(" ").parseHex(usage);
        this.access = access;
        this.needs = needs;
        this.flags = flags;
        if ((this.usage[0] & 0xFF) != opcode)
            throw new IllegalStateException(name() + " usage byte 0: " + usage + " (expected: the opcode)");
    }

    /** The command a CDB names, or null for an unknown opcode or service action. */
    static SbcCommand find(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        if (!HAS_SERVICE_ACTIONS[op]) return BY_OPCODE[op];
        return cdb.length > 1 ? find(op, cdb[1] & 0x1F) : null;
    }

    static SbcCommand find(int opcode, int serviceAction) {
        for (SbcCommand c : values())
            if (c.opcode == opcode && c.serviceAction == serviceAction) return c;
        return null;
    }

    /** Whether this opcode's commands are told apart by a SERVICE ACTION field. */
    static boolean hasServiceActions(int opcode) {
        return HAS_SERVICE_ACTIONS[opcode & 0xFF];
    }

    /**
     * The ALLOCATION LENGTH of a Data-In command (SPC-4 §4.2.5.6: the device server transfers at most that many
     * bytes, and that is no residual), or -1 when the command has none.
     */
    long allocationLength(byte[] cdb) {
        return switch (this) {
            case INQUIRY -> u16(cdb, 3);
            case REQUEST_SENSE, MODE_SENSE_6 -> cdb[4] & 0xFF;
            case MODE_SENSE_10, PR_IN_READ_KEYS, PR_IN_READ_RESERVATION, PR_IN_REPORT_CAPABILITIES,
                    PR_IN_READ_FULL_STATUS -> u16(cdb, 7);
            case READ_CAPACITY_16, GET_LBA_STATUS -> (long) u16(cdb, 10) << 16 | u16(cdb, 12);
            case REPORT_LUNS, REPORT_TARGET_PORT_GROUPS, REPORT_SUPPORTED_OPERATION_CODES ->
                    (long) u16(cdb, 6) << 16 | u16(cdb, 8);
            default -> -1;
        };
    }

    private static int u16(byte[] cdb, int at) {
        return (cdb[at] & 0xFF) << 8 | cdb[at + 1] & 0xFF;
    }

    int cdbLength() {
        return usage.length;
    }

    /** The CDB USAGE DATA (a copy). */
    byte[] usage() {
        return usage.clone();
    }

    boolean uaExempt() {
        return (flags & UA_EXEMPT) != 0;
    }

    boolean spc2Allowed() {
        return (flags & SPC2_ALLOWED) != 0;
    }

    boolean needsMedium() {
        return (flags & MEDIUM) != 0;
    }

    /**
     * Rejects bits the device server does not evaluate: INVALID FIELD IN CDB at the first such byte, naming its most
     * significant offending bit; NACA in the CONTROL byte likewise.
     */
    void validate(byte[] cdb) {
        if (cdb.length < usage.length) throw CheckCondition.invalidField(0, -1);
        int last = usage.length - 1;
        if ((flags & PROTECT) != 0 && (cdb[1] & 0xE0) != 0) throw CheckCondition.invalidField(1, 7);
        for (int i = 1; i < last; i++) {
            int bad = cdb[i] & ~usage[i] & 0xFF;
            if (bad != 0) throw CheckCondition.invalidField(i, CheckCondition.highestBit(bad));
        }
        if ((cdb[last] & 0x04) != 0) throw CheckCondition.invalidField(last, 2);
    }
}
