package io.mpathgw.scsi;

import static io.mpathgw.scsi.Wire.putInt;
import static io.mpathgw.scsi.Wire.putLong;
import static io.mpathgw.scsi.Wire.putShort;
import static io.mpathgw.scsi.Wire.range;

/**
 * Builders of Command Descriptor Blocks. Each returns a fresh array that the caller owns; CONTROL is always 0
 * (no NACA, no linked commands). Arguments outside what the CDB can carry are rejected with
 * {@code field: value (expected: range for COMMAND)}. Data-Out payloads that go with a CDB (STPG, PR OUT, UNMAP,
 * MODE SELECT) are built by {@link ParameterList}.
 */
public final class Cdb {

    // Operation codes, SPC-4 Annex D and SBC-3 command list
    public static final int TEST_UNIT_READY = 0x00;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SELECT_6 = 0x15;
    public static final int MODE_SENSE_6 = 0x1A;
    public static final int START_STOP_UNIT = 0x1B;
    public static final int READ_CAPACITY_10 = 0x25;
    public static final int READ_10 = 0x28;
    public static final int WRITE_10 = 0x2A;
    public static final int SYNCHRONIZE_CACHE_10 = 0x35;
    public static final int UNMAP = 0x42;
    public static final int MODE_SELECT_10 = 0x55;
    public static final int MODE_SENSE_10 = 0x5A;
    public static final int PERSISTENT_RESERVE_IN = 0x5E;
    public static final int PERSISTENT_RESERVE_OUT = 0x5F;
    public static final int READ_16 = 0x88;
    public static final int WRITE_16 = 0x8A;
    public static final int SYNCHRONIZE_CACHE_16 = 0x91;
    public static final int WRITE_SAME_16 = 0x93;
    public static final int SERVICE_ACTION_IN_16 = 0x9E;
    public static final int REPORT_LUNS = 0xA0;
    public static final int MAINTENANCE_IN = 0xA3;
    public static final int MAINTENANCE_OUT = 0xA4;

    /** SERVICE ACTION IN(16) service action of READ CAPACITY(16) (SBC-3). */
    public static final int SA_READ_CAPACITY_16 = 0x10;
    /** MAINTENANCE IN / OUT service action of REPORT / SET TARGET PORT GROUPS (SPC-4). */
    public static final int SA_TARGET_PORT_GROUPS = 0x0A;

    private static final long MAX_U32 = 0xFFFF_FFFFL;

    /** PC field of MODE SENSE (SPC-4 MODE SENSE(6)), in code order. */
    public enum PageControl { CURRENT, CHANGEABLE, DEFAULT, SAVED }

    private Cdb() {
    }

    /** TEST UNIT READY (SPC-4): the path checker's {@code tur}. */
    public static byte[] testUnitReady() {
        return new byte[6];
    }

    /** Standard INQUIRY data, SPC-4 INQUIRY (EVPD 0, page code 0). */
    public static byte[] inquiry(int allocationLength) {
        return inquiry(false, 0, allocationLength);
    }

    /** INQUIRY of a vital product data page (EVPD 1), SPC-4 INQUIRY and VPD parameters. */
    public static byte[] inquiryVpd(int pageCode, int allocationLength) {
        return inquiry(true, pageCode, allocationLength);
    }

    private static byte[] inquiry(boolean evpd, int pageCode, int allocationLength) {
        range("page code", pageCode, 0, 0xFF, "INQUIRY");
        range("allocation length", allocationLength, 0, 0xFFFF, "INQUIRY");
        byte[] c = new byte[6];
        c[0] = INQUIRY;
        c[1] = (byte) (evpd ? 0x01 : 0);
        c[2] = (byte) pageCode;
        putShort(c, 3, allocationLength);
        return c;
    }

    /** READ CAPACITY(10) (SBC-3): LBA and PMI are obsolete and left 0. */
    public static byte[] readCapacity10() {
        byte[] c = new byte[10];
        c[0] = READ_CAPACITY_10;
        return c;
    }

    /** READ CAPACITY(16) (SBC-3): SERVICE ACTION IN(16) 0x9E / 0x10, allocation length at bytes 10..13. */
    public static byte[] readCapacity16(int allocationLength) {
        range("allocation length", allocationLength, 0, Integer.MAX_VALUE, "READ CAPACITY(16)");
        byte[] c = new byte[16];
        c[0] = (byte) SERVICE_ACTION_IN_16;
        c[1] = SA_READ_CAPACITY_16;
        putInt(c, 10, allocationLength);
        return c;
    }

    /** READ(10) (SBC-3). */
    public static byte[] read10(long lba, int blocks) {
        return rw10(READ_10, "READ(10)", lba, blocks, false);
    }

    /** READ(16) (SBC-3). */
    public static byte[] read16(long lba, long blocks) {
        return rw16(READ_16, "READ(16)", lba, blocks, false);
    }

    /** WRITE(10) (SBC-3); {@code fua}: the device acknowledges only once the data is on the medium. */
    public static byte[] write10(long lba, int blocks, boolean fua) {
        return rw10(WRITE_10, "WRITE(10)", lba, blocks, fua);
    }

    /** WRITE(16) (SBC-3). */
    public static byte[] write16(long lba, long blocks, boolean fua) {
        return rw16(WRITE_16, "WRITE(16)", lba, blocks, fua);
    }

    // byte 1 of READ/WRITE(10/16): RDPROTECT/WRPROTECT 7..5, DPO 4, FUA 3 (SBC-3 Table 37)
    private static byte[] rw10(int opcode, String name, long lba, int blocks, boolean fua) {
        range("lba", lba, 0, MAX_U32, name);
        range("transfer length", blocks, 0, 0xFFFF, name);
        byte[] c = new byte[10];
        c[0] = (byte) opcode;
        c[1] = (byte) (fua ? 0x08 : 0);
        putInt(c, 2, lba);
        putShort(c, 7, blocks);
        return c;
    }

    private static byte[] rw16(int opcode, String name, long lba, long blocks, boolean fua) {
        range("lba", lba, 0, Long.MAX_VALUE, name);
        range("transfer length", blocks, 0, MAX_U32, name);
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        c[1] = (byte) (fua ? 0x08 : 0);
        putLong(c, 2, lba);
        putInt(c, 10, blocks);
        return c;
    }

    /** SYNCHRONIZE CACHE(10) (SBC-3); {@code blocks} 0 means "from lba to the end of the medium". */
    public static byte[] synchronizeCache10(long lba, int blocks, boolean immed) {
        range("lba", lba, 0, MAX_U32, "SYNCHRONIZE CACHE(10)");
        range("number of logical blocks", blocks, 0, 0xFFFF, "SYNCHRONIZE CACHE(10)");
        byte[] c = new byte[10];
        c[0] = SYNCHRONIZE_CACHE_10;
        c[1] = (byte) (immed ? 0x02 : 0);
        putInt(c, 2, lba);
        putShort(c, 7, blocks);
        return c;
    }

    /** SYNCHRONIZE CACHE(16) (SBC-3). */
    public static byte[] synchronizeCache16(long lba, long blocks, boolean immed) {
        range("lba", lba, 0, Long.MAX_VALUE, "SYNCHRONIZE CACHE(16)");
        range("number of logical blocks", blocks, 0, MAX_U32, "SYNCHRONIZE CACHE(16)");
        byte[] c = new byte[16];
        c[0] = (byte) SYNCHRONIZE_CACHE_16;
        c[1] = (byte) (immed ? 0x02 : 0);
        putLong(c, 2, lba);
        putInt(c, 10, blocks);
        return c;
    }

    /**
     * WRITE SAME(16) (SBC-3). {@code unmap}: the device may deallocate the blocks instead of writing them
     * (SBC-3 logical block provisioning); {@code ndob} (SBC-4): no Data-Out buffer, the blocks read back as zeroes.
     */
    public static byte[] writeSame16(long lba, long blocks, boolean unmap, boolean ndob) {
        range("lba", lba, 0, Long.MAX_VALUE, "WRITE SAME(16)");
        range("number of logical blocks", blocks, 0, MAX_U32, "WRITE SAME(16)");
        byte[] c = new byte[16];
        c[0] = (byte) WRITE_SAME_16;
        c[1] = (byte) ((unmap ? 0x08 : 0) | (ndob ? 0x01 : 0));
        putLong(c, 2, lba);
        putInt(c, 10, blocks);
        return c;
    }

    /** UNMAP (SBC-3); the parameter list comes from {@link ParameterList#unmap}. */
    public static byte[] unmap(int parameterListLength) {
        range("parameter list length", parameterListLength, 0, 0xFFFF, "UNMAP");
        byte[] c = new byte[10];
        c[0] = UNMAP;
        putShort(c, 7, parameterListLength);
        return c;
    }

    /** REPORT LUNS with SELECT REPORT 0 (all LUs but well-known ones), SPC-4 REPORT LUNS. */
    public static byte[] reportLuns(int allocationLength) {
        return reportLuns(0x00, allocationLength);
    }

    /** REPORT LUNS; SPC-4 requires an allocation length of at least 16 bytes. */
    public static byte[] reportLuns(int selectReport, int allocationLength) {
        range("select report", selectReport, 0, 0xFF, "REPORT LUNS");
        range("allocation length", allocationLength, 16, Integer.MAX_VALUE, "REPORT LUNS");
        byte[] c = new byte[12];
        c[0] = (byte) REPORT_LUNS;
        c[2] = (byte) selectReport;
        putInt(c, 6, allocationLength);
        return c;
    }

    /**
     * REPORT TARGET PORT GROUPS (SPC-4): MAINTENANCE IN 0xA3 / 0x0A. With {@code extendedHeader} the PARAMETER
     * DATA FORMAT field (byte 1 bits 7..5) is 001b, asking for the header with the implicit transition time; an
     * array that rejects it answers ILLEGAL REQUEST and the kernel retries without (scsi_dh_alua.c).
     */
    public static byte[] reportTargetPortGroups(boolean extendedHeader, int allocationLength) {
        range("allocation length", allocationLength, 0, Integer.MAX_VALUE, "REPORT TARGET PORT GROUPS");
        byte[] c = new byte[12];
        c[0] = (byte) MAINTENANCE_IN;
        c[1] = (byte) ((extendedHeader ? 0x20 : 0) | SA_TARGET_PORT_GROUPS);
        putInt(c, 6, allocationLength);
        return c;
    }

    /** SET TARGET PORT GROUPS (SPC-4): MAINTENANCE OUT 0xA4 / 0x0A; see {@link ParameterList#stpg}. */
    public static byte[] setTargetPortGroups(int parameterListLength) {
        range("parameter list length", parameterListLength, 0, Integer.MAX_VALUE, "SET TARGET PORT GROUPS");
        byte[] c = new byte[12];
        c[0] = (byte) MAINTENANCE_OUT;
        c[1] = SA_TARGET_PORT_GROUPS;
        putInt(c, 6, parameterListLength);
        return c;
    }

    /** MODE SENSE(6) (SPC-4); {@code dbd}: no block descriptors. */
    public static byte[] modeSense6(boolean dbd, PageControl pc, int pageCode, int subpage, int allocationLength) {
        checkPage(pageCode, subpage, "MODE SENSE(6)");
        range("allocation length", allocationLength, 0, 0xFF, "MODE SENSE(6)");
        byte[] c = new byte[6];
        c[0] = MODE_SENSE_6;
        c[1] = (byte) (dbd ? 0x08 : 0);
        c[2] = (byte) (pc.ordinal() << 6 | pageCode);
        c[3] = (byte) subpage;
        c[4] = (byte) allocationLength;
        return c;
    }

    /** MODE SENSE(10) (SPC-4), LLBAA 0. */
    public static byte[] modeSense10(boolean dbd, PageControl pc, int pageCode, int subpage, int allocationLength) {
        checkPage(pageCode, subpage, "MODE SENSE(10)");
        range("allocation length", allocationLength, 0, 0xFFFF, "MODE SENSE(10)");
        byte[] c = new byte[10];
        c[0] = MODE_SENSE_10;
        c[1] = (byte) (dbd ? 0x08 : 0);
        c[2] = (byte) (pc.ordinal() << 6 | pageCode);
        c[3] = (byte) subpage;
        putShort(c, 7, allocationLength);
        return c;
    }

    private static void checkPage(int pageCode, int subpage, String where) {
        range("page code", pageCode, 0, 0x3F, where);
        range("subpage code", subpage, 0, 0xFF, where);
    }

    /**
     * MODE SELECT(6) (SPC-4). {@code pf}: the pages follow the standard format (set it for every page this
     * project sends); {@code sp}: save them.
     */
    public static byte[] modeSelect6(boolean pf, boolean sp, int parameterListLength) {
        range("parameter list length", parameterListLength, 0, 0xFF, "MODE SELECT(6)");
        byte[] c = new byte[6];
        c[0] = MODE_SELECT_6;
        c[1] = (byte) ((pf ? 0x10 : 0) | (sp ? 0x01 : 0));
        c[4] = (byte) parameterListLength;
        return c;
    }

    /** MODE SELECT(10) (SPC-4). */
    public static byte[] modeSelect10(boolean pf, boolean sp, int parameterListLength) {
        range("parameter list length", parameterListLength, 0, 0xFFFF, "MODE SELECT(10)");
        byte[] c = new byte[10];
        c[0] = MODE_SELECT_10;
        c[1] = (byte) ((pf ? 0x10 : 0) | (sp ? 0x01 : 0));
        putShort(c, 7, parameterListLength);
        return c;
    }

    /**
     * START STOP UNIT (SBC-3). {@code powerCondition} 0 means "use START and LOEJ"; hp_sw activates a
     * passive path with START=1 (scsi_dh_hp_sw.c).
     */
    public static byte[] startStopUnit(boolean immed, int powerCondition, boolean loej, boolean start) {
        range("power condition", powerCondition, 0, 0xF, "START STOP UNIT");
        byte[] c = new byte[6];
        c[0] = START_STOP_UNIT;
        c[1] = (byte) (immed ? 0x01 : 0);
        c[4] = (byte) (powerCondition << 4 | (loej ? 0x02 : 0) | (start ? 0x01 : 0));
        return c;
    }

    /** PERSISTENT RESERVE IN (SPC-4). */
    public static byte[] persistentReserveIn(PersistentReserve.InAction action, int allocationLength) {
        range("allocation length", allocationLength, 0, 0xFFFF, "PERSISTENT RESERVE IN");
        byte[] c = new byte[10];
        c[0] = PERSISTENT_RESERVE_IN;
        c[1] = (byte) action.code();
        putShort(c, 7, allocationLength);
        return c;
    }

    /**
     * PERSISTENT RESERVE OUT (SPC-4), SCOPE 0 (LU_SCOPE). {@code type} is {@code null} for service actions
     * that ignore it (REGISTER, CLEAR…). The basic parameter list is 24 bytes: {@link ParameterList#prOut}.
     */
    public static byte[] persistentReserveOut(PersistentReserve.OutAction action, PersistentReserve.Type type,
                                              int parameterListLength) {
        range("parameter list length", parameterListLength, 0, MAX_U32, "PERSISTENT RESERVE OUT");
        byte[] c = new byte[10];
        c[0] = PERSISTENT_RESERVE_OUT;
        c[1] = (byte) action.code();
        c[2] = (byte) (type == null ? 0 : type.code());
        putInt(c, 5, parameterListLength);
        return c;
    }

    /** Operation code of a CDB, for logs: {@code 0x2a}. */
    public static int opcode(byte[] cdb) {
        return cdb[0] & 0xFF;
    }
}
