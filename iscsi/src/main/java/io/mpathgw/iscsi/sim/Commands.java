package io.mpathgw.iscsi.sim;

/**
 * Which commands a personality lets through in which state, by CDB. The sets follow SPC-4's lists for the
 * asymmetric access states (§5.16.2.4: standby, unavailable, offline, transitioning) and the commands every array
 * answers through a passive controller (INQUIRY, REPORT LUNS, REQUEST SENSE).
 */
final class Commands {

    static final int TEST_UNIT_READY = 0x00;
    static final int REQUEST_SENSE = 0x03;
    static final int INQUIRY = 0x12;
    static final int MODE_SELECT_6 = 0x15;
    static final int MODE_SENSE_6 = 0x1A;
    static final int START_STOP_UNIT = 0x1B;
    static final int RECEIVE_DIAGNOSTIC_RESULTS = 0x1C;
    static final int SEND_DIAGNOSTIC = 0x1D;
    static final int LOG_SELECT = 0x4C;
    static final int LOG_SENSE = 0x4D;
    static final int MODE_SELECT_10 = 0x55;
    static final int MODE_SENSE_10 = 0x5A;
    static final int PERSISTENT_RESERVE_IN = 0x5E;
    static final int PERSISTENT_RESERVE_OUT = 0x5F;
    static final int SERVICE_ACTION_IN_16 = 0x9E;
    static final int REPORT_LUNS = 0xA0;
    static final int MAINTENANCE_IN = 0xA3;
    static final int MAINTENANCE_OUT = 0xA4;
    static final int SA_TARGET_PORT_GROUPS = 0x0A;
    static final int SA_GET_LBA_STATUS = 0x12;

    /** READ, WRITE, VERIFY, WRITE AND VERIFY, COMPARE AND WRITE, ORWRITE, WRITE SAME, UNMAP, PRE-FETCH, SYNC CACHE. */
    private static final boolean[] MEDIUM = new boolean[256];

    static {
        for (int op : new int[] {0x08, 0x0A, 0x28, 0x2A, 0x2E, 0x2F, 0x34, 0x35, 0x41, 0x42, 0x88, 0x89, 0x8A, 0x8B,
            0x8E, 0x8F, 0x90, 0x91, 0x93, 0xA8, 0xAA, 0xAE, 0xAF})
            MEDIUM[op] = true;
    }

    private Commands() {
    }

    static int opcode(byte[] cdb) {
        return cdb[0] & 0xFF;
    }

    static int serviceAction(byte[] cdb) {
        return cdb.length > 1 ? cdb[1] & 0x1F : -1;
    }

    /** Reads or changes the medium: what a passive controller refuses. */
    static boolean mediumAccess(byte[] cdb) {
        int op = opcode(cdb);
        return MEDIUM[op] || op == SERVICE_ACTION_IN_16 && serviceAction(cdb) == SA_GET_LBA_STATUS;
    }

    static boolean inquiry(byte[] cdb) {
        return opcode(cdb) == INQUIRY;
    }

    /** Standard INQUIRY data (EVPD 0). */
    static boolean standardInquiry(byte[] cdb) {
        return inquiry(cdb) && cdb.length > 1 && (cdb[1] & 0x01) == 0;
    }

    /** INQUIRY of VPD page {@code page}. */
    static boolean vpd(byte[] cdb, int page) {
        return inquiry(cdb) && cdb.length > 2 && (cdb[1] & 0x01) != 0 && (cdb[2] & 0xFF) == page;
    }

    static boolean rtpg(byte[] cdb) {
        return opcode(cdb) == MAINTENANCE_IN && serviceAction(cdb) == SA_TARGET_PORT_GROUPS;
    }

    static boolean stpg(byte[] cdb) {
        return opcode(cdb) == MAINTENANCE_OUT && serviceAction(cdb) == SA_TARGET_PORT_GROUPS;
    }

    static boolean modeSelect(byte[] cdb) {
        return opcode(cdb) == MODE_SELECT_6 || opcode(cdb) == MODE_SELECT_10;
    }

    static boolean modeSense(byte[] cdb) {
        return opcode(cdb) == MODE_SENSE_6 || opcode(cdb) == MODE_SENSE_10;
    }

    /** Answered in every state: INQUIRY, REPORT LUNS, REQUEST SENSE, REPORT TARGET PORT GROUPS. */
    static boolean alwaysAllowed(byte[] cdb) {
        int op = opcode(cdb);
        return op == INQUIRY || op == REPORT_LUNS || op == REQUEST_SENSE || rtpg(cdb);
    }

    /**
     * SPC-4 §5.16.2.4.4, standby: also LOG SELECT/SENSE, MODE SELECT/SENSE, RECEIVE/SEND DIAGNOSTIC, PERSISTENT
     * RESERVE IN/OUT, SET TARGET PORT GROUPS and the other MAINTENANCE IN reports (REPORT SUPPORTED OPERATION CODES).
     */
    static boolean allowedInStandby(byte[] cdb) {
        int op = opcode(cdb);
        return alwaysAllowed(cdb) || op == LOG_SELECT || op == LOG_SENSE || modeSelect(cdb) || modeSense(cdb)
                || op == RECEIVE_DIAGNOSTIC_RESULTS || op == SEND_DIAGNOSTIC || op == PERSISTENT_RESERVE_IN
                || op == PERSISTENT_RESERVE_OUT || op == MAINTENANCE_IN || stpg(cdb);
    }

    /** SPC-4 §5.16.2.4.5, unavailable: also SET TARGET PORT GROUPS. */
    static boolean allowedInUnavailable(byte[] cdb) {
        return alwaysAllowed(cdb) || stpg(cdb);
    }
}
