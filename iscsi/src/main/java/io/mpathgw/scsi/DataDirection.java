package io.mpathgw.scsi;

/** Direction of a command's data phase, as seen from the initiator. */
public enum DataDirection {
    /** No data phase (TEST UNIT READY, START STOP UNIT…). */
    NONE,
    /** Data-In: the target sends data (READ, INQUIRY…). */
    READ,
    /** Data-Out: the initiator sends data (WRITE, MODE SELECT…). */
    WRITE
}
