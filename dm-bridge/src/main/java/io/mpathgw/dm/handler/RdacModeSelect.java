package io.mpathgw.dm.handler;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ModePage;
import io.mpathgw.scsi.ParameterList;

import java.util.Collection;
import java.util.List;

/**
 * The MODE SELECT that moves LUN ownership to the controller it is sent to: the redundant controller page 0x2C
 * (spec §6.2), legacy (MODE SELECT(6), 110 bytes, 32 LUNs) or expanded (MODE SELECT(10), subpage 0x01, 308 bytes,
 * 256 LUNs). The common block asks to transfer the LUNs marked 0x81 in the LUN table, with forced quiescence.
 */
final class RdacModeSelect {

    static final int PAGE_CODE = 0x2C;
    static final int LEGACY_LUNS = 32;
    static final int EXPANDED_LUNS = 256;
    /** Common block: controller serial[16], alternate serial[16], rdac_mode[2], alt_rdac_mode[2], timeout, options. */
    static final int COMMON = 38;
    static final int RDAC_MODE_TRANSFER_SPECIFIED_LUNS = 0x02;
    static final int QUIESCENCE_TIMEOUT = 20;
    static final int FORCED_QUIESCENCE = 0x02;
    static final int MOVE_LUN = 0x81;

    private RdacModeSelect() {
    }

    /** Parameter list: 4-byte mode header, page 0x2C length 0x68, common block, LUN table[32], 34 reserved. */
    static byte[] legacy(Collection<Integer> luns) {
        byte[] p = page(LEGACY_LUNS, 32 + 2, luns);
        return ParameterList.modeSelect6(List.of(ModePage.of(PAGE_CODE, p)));
    }

    /** Parameter list: 8-byte mode header, page 0x6C subpage 0x01 length 0x0128, common, LUN table[256], 2 reserved. */
    static byte[] expanded(Collection<Integer> luns) {
        byte[] p = page(EXPANDED_LUNS, 2, luns);
        return ParameterList.modeSelect10(List.of(new ModePage(PAGE_CODE, 0x01, true, false, p)));
    }

    /** The CDB for {@code data}: MODE SELECT(6) or (10), PF and SP clear, as scsi_dh_rdac builds it. */
    static byte[] cdb(boolean ms10, int length) {
        return ms10 ? Cdb.modeSelect10(false, false, length) : Cdb.modeSelect6(false, false, length);
    }

    private static byte[] page(int lunTable, int reserved, Collection<Integer> luns) {
        byte[] p = new byte[COMMON + lunTable + reserved];
        p[33] = RDAC_MODE_TRANSFER_SPECIFIED_LUNS;   // rdac_mode[1]
        p[36] = QUIESCENCE_TIMEOUT;
        p[37] = FORCED_QUIESCENCE;
        for (int lun : luns) p[COMMON + lun] = (byte) MOVE_LUN;
        return p;
    }
}
