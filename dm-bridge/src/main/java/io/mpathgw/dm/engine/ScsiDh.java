package io.mpathgw.dm.engine;

/** SCSI_DH_* result codes of a path activation (include/scsi/scsi_dh.h, spec §4.5). */
public final class ScsiDh {

    public static final int OK = 0;
    public static final int DEV_FAILED = 1;
    public static final int DEV_TEMP_BUSY = 2;
    public static final int DEV_UNSUPP = 3;
    public static final int NOTCONN = 5;
    public static final int CONN_FAILURE = 6;
    public static final int IO = 8;
    public static final int INVALID_IO = 9;
    public static final int RETRY = 10;
    public static final int IMM_RETRY = 11;
    public static final int TIMED_OUT = 12;
    public static final int RES_TEMP_UNAVAIL = 13;
    public static final int DEV_OFFLINED = 14;
    public static final int NOMEM = 15;
    public static final int NOSYS = 16;

    private ScsiDh() {
    }
}
