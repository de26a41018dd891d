package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * EMC CLARiiON/VNX in PNR failover mode 4 (spec §6.3) for one LUN: one storage processor (controller) owns it.
 * The standard INQUIRY is the long CLARiiON form with the array serial and SP model past byte 160 (scsi_dh_emc picks
 * the long or short trespass from the model); VPD 0xC0 tells the LUN state through this SP, the default and current
 * SP and the port, as the handler, the emc_clariion checker and the emc prioritizer read it. A MODE SELECT of page
 * 0x22 with trespass code 01h — long (MODE SELECT(10), page length 9) or short (MODE SELECT(6), length 2) — moves
 * the LUN to the SP it is sent to after the transition time. Through the SP that does not own the LUN, TEST UNIT
 * READY and media access answer NOT READY 04/03, which scsi_dh_emc's check_sense turns into a path failure.
 */
final class EmcPersonality extends OwnedPersonality {

    static final int TRESPASS_PAGE = 0x22;
    /** MANUAL INTERVENTION REQUIRED: what a PNR CLARiiON answers I/O through the passive SP. */
    static final Sense NOT_OWNER = Sense.NOT_READY_MANUAL_INTERVENTION;
    private static final int LUN_BOUND = 1;
    private static final int LUN_OWNED = 2;
    private static final int FAILOVER_MODE_PNR = 4;

    private final SimLun lun;
    private final byte[] longInquiry;
    private volatile String lastTrespass = "none";

    EmcPersonality(ArraySimulator array, SimLun lun) {
        super(array, lun);
        this.lun = lun;
        this.longInquiry = longInquiry(s, array.serialPrefix());
    }

    /** Standard INQUIRY with the SP model at 161 + serial length, its length at byte 99, the serial's at byte 160. */
    private static byte[] longInquiry(SimSettings s, String serial) {
        byte[] head = new InquiryData(InquiryData.QUALIFIER_CONNECTED, InquiryData.TYPE_DISK, false, 4, 2, true,
                InquiryData.TPGS_NONE, false, false, false, true, true, s.vendor(), s.product(), s.revision())
                .toBytes();
        byte[] sn = serial.getBytes(StandardCharsets.US_ASCII);
        byte[] model = (s.emcModel() + "   ").getBytes(StandardCharsets.US_ASCII);   // blank-padded, as arrays do
        byte[] b = new byte[161 + sn.length + model.length];
        System.arraycopy(head, 0, b, 0, head.length);
        b[4] = (byte) (b.length - 5);
        b[99] = (byte) model.length;
        b[160] = (byte) sn.length;
        System.arraycopy(sn, 0, b, 161, sn.length);
        System.arraycopy(model, 0, b, 161 + sn.length, model.length);
        return b;
    }

    @Override
    public void configure(SbcLogicalUnitBuilder lu) {
        lu.vpdPage(0xC0, this::c0);
    }

    /**
     * VPD 0xC0 through {@code n}'s SP: byte 4 LUN state (2 owned through this SP, else 1 bound), 5 default SP,
     * 7 port, 8 current SP (the SP of this path), 10..25 the LUN's WWN, 27 = 3, 28 failover mode 4, 30 bit 2 set
     * (failover configured), 48 no NDU in progress.
     */
    private byte[] c0(Nexus n) {
        int sp = n.targetPortGroup() - 1;
        byte[] b = new byte[252];
        b[1] = (byte) 0xC0;
        b[2] = (byte) ((b.length - 4) >> 8);
        b[3] = (byte) (b.length - 4);
        b[4] = (byte) (owner == sp ? LUN_OWNED : LUN_BOUND);
        b[5] = (byte) lun.preferredController();
        b[7] = (byte) ((n.relativeTargetPort() - 1) % s.portalsPerController());
        b[8] = (byte) sp;
        System.arraycopy(lun.naa(), 0, b, 10, 16);
        b[27] = 3;
        b[28] = FAILOVER_MODE_PNR;
        b[30] = 0x04;
        return b;
    }

    @Override
    public CompletableFuture<ScsiResponse> intercept(ScsiTask task, SbcLogicalUnit lu) {
        Controller c = array.controllerOf(task.nexus());
        if (c == null) return null;
        byte[] cdb = task.cdb();
        if (Commands.standardInquiry(cdb)) return Answers.good(task, longInquiry.clone());
        if (Commands.modeSelect(cdb)) {
            ModeSelectList m = ModeSelectList.of(task);
            return m.pageCode() == TRESPASS_PAGE ? trespass(task, m, c) : null;
        }
        boolean passive = owner != c.index();
        if (passive && (Commands.mediumAccess(cdb) || Commands.opcode(cdb) == Commands.TEST_UNIT_READY))
            return Answers.check(task, NOT_OWNER);
        return null;
    }

    /**
     * Trespass: page 0x22, length 9 (long: code, target FFFFh, 6 reserved) or 2 (short: code, FFh). The code is 01h,
     * with bit 7 set when the host does not ask to honor reservations (scsi_dh_emc's inverted flag).
     */
    private CompletableFuture<ScsiResponse> trespass(ScsiTask task, ModeSelectList m, Controller c) {
        Answers.release(task);
        int at = m.pageAt();
        int length = m.u8(at + 1);
        boolean ok = !m.subpageFormat() && (length == 9 || length == 2) && at + 2 + length <= m.length()
                && (m.u8(at + 2) & 0x7F) == 0x01;
        if (!ok) return CompletableFuture.completedFuture(Answers.checkCondition(Sense.INVALID_FIELD_IN_PARAMETER_LIST));
        lastTrespass = String.format("%s trespass to SP %c, code 0x%02x", length == 9 ? "long" : "short", c.name(),
                m.u8(at + 2));
        return array.later(null, s.transitionTime().toNanos()).thenApply(v -> {
            owner = c.index();
            return ScsiResponse.good(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        });
    }

    /** The last trespass received: form, SP and code byte, for tests and status. */
    String lastTrespass() {
        return lastTrespass;
    }

    @Override
    public String describe() {
        return "emc owner SP " + (char) ('A' + owner) + " default SP " + (char) ('A' + lun.preferredController())
                + ", last " + lastTrespass;
    }
}
