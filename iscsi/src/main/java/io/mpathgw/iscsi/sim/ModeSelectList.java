package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.ScsiTask;

/**
 * The parameter list of a MODE SELECT(6) or (10), as far as a personality needs it: where the first mode page
 * starts (after the 4- or 8-byte header and any block descriptor), and its code. Reading it does not consume the
 * task's Data-Out, so a personality that finds a page it does not own can still pass the task to the LU.
 *
 * @param list   the Data-Out bytes (a copy)
 * @param length PARAMETER LIST LENGTH from the CDB, bounded by the bytes received
 * @param pageAt offset of the first page, or -1 when the list holds none
 */
record ModeSelectList(byte[] list, int length, int pageAt) {

    static ModeSelectList of(ScsiTask task) {
        byte[] cdb = task.cdb();
        boolean ten = Commands.opcode(cdb) == Commands.MODE_SELECT_10;
        int length = ten ? (cdb[7] & 0xFF) << 8 | cdb[8] & 0xFF : cdb[4] & 0xFF;
        byte[] list = Answers.dataOut(task);
        length = Math.min(length, list.length);
        int header = ten ? 8 : 4;
        int at = -1;
        if (length >= header) {
            int bdl = ten ? (list[6] & 0xFF) << 8 | list[7] & 0xFF : list[3] & 0xFF;
            if (header + bdl + 2 <= length) at = header + bdl;
        }
        return new ModeSelectList(list, length, at);
    }

    /** PAGE CODE of the first page (byte 0 bits 5..0), or -1. */
    int pageCode() {
        return pageAt < 0 ? -1 : list[pageAt] & 0x3F;
    }

    /** SPF: the first page is in sub-page format (byte 1 subpage, bytes 2..3 length). */
    boolean subpageFormat() {
        return pageAt >= 0 && (list[pageAt] & 0x40) != 0;
    }

    /** Byte {@code at}; 0 past the parameter list, so a short list fails a personality's checks, never throws. */
    int u8(int at) {
        return at >= 0 && at < length ? list[at] & 0xFF : 0;
    }

    int u16(int at) {
        return u8(at) << 8 | u8(at + 1);
    }
}
