package io.mpathgw.dm.handler;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ModePage;
import io.mpathgw.scsi.ParameterList;

import java.util.List;

/**
 * The CLARiiON trespass: a MODE SELECT of vendor page 0x22 that moves the LUN to the SP it is sent to (spec §6.3).
 * Long form (CX/AX/VNX): MODE SELECT(10), 19 bytes; short form (FC series): MODE SELECT(6) with PF, 8 bytes. Byte
 * 0 of the page data is the trespass code 0x01, with bit 7 set when honor_reservations is <em>off</em> (the bit the
 * kernel's comment calls "Set Honor Reservations"); the target is 0xFFFF (long) or 0xFF (short).
 */
final class EmcTrespass {

    static final int PAGE_CODE = 0x22;
    static final int TRESPASS = 0x01;
    static final int HR_BIT = 0x80;

    private EmcTrespass() {
    }

    static byte[] data(boolean shortTrespass, boolean honorReservations) {
        int code = TRESPASS | (honorReservations ? 0 : HR_BIT);
        if (shortTrespass)
            return ParameterList.modeSelect6(List.of(ModePage.of(PAGE_CODE, new byte[]{(byte) code, (byte) 0xFF})));
        byte[] p = new byte[9];                 // code, target 0xFFFF, 6 reserved
        p[0] = (byte) code;
        p[1] = (byte) 0xFF;
        p[2] = (byte) 0xFF;
        return ParameterList.modeSelect10(List.of(ModePage.of(PAGE_CODE, p)));
    }

    /** Short: MODE SELECT(6) PF=1; long: MODE SELECT(10) with byte 1 clear, as current kernels send it. */
    static byte[] cdb(boolean shortTrespass, int length) {
        return shortTrespass ? Cdb.modeSelect6(true, false, length) : Cdb.modeSelect10(false, false, length);
    }
}
