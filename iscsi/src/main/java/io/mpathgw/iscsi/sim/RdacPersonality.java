package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * RDAC (LSI/Engenio/NetApp E-Series, spec §6.2) for one LUN: one controller owns it. Vendor VPD pages 0xC0, 0xC2,
 * 0xC4, 0xC8 and 0xC9 describe the array, the controller and the ownership as scsi_dh_rdac reads them. A MODE SELECT
 * of the redundant controller page 0x2C — the 110-byte legacy form or the 308-byte subpage 01h form — moves every
 * LUN marked 0x81 in its LUN table to the controller it is sent to, after the transition time (quiescence).
 * MODE SENSE of page 0x2C shows the table as seen from the controller asked.
 *
 * <p>Through the controller that does not own the LUN, media access is refused with ILLEGAL REQUEST 94/01 in RDAC
 * mode (scsi_dh_rdac then fails the path), moves the LUN (AVT), or is served (IOSHIP); everything else is answered.
 */
final class RdacPersonality extends OwnedPersonality {

    private final SimLun lun;

    RdacPersonality(ArraySimulator array, SimLun lun) {
        super(array, lun);
        this.lun = lun;
    }

    @Override
    public void configure(SbcLogicalUnitBuilder lu) {
        byte[] arrayId = Arrays.copyOf(ArraySimulator.sha256("rdac\0" + s.iqn()), 16);
        byte[] volumeId = Arrays.copyOfRange(lun.naa(), 0, 16);
        lu.vpdPage(0xC0, n -> RdacPages.c0());
        lu.vpdPage(0xC2, n -> RdacPages.c2(s.rdacMaxLunSupported()));
        lu.vpdPage(0xC4, n -> RdacPages.c4(array.serialPrefix(), controller(n.targetPortGroup())));
        lu.vpdPage(0xC8, n -> RdacPages.c8(volumeId, "LUN_" + lun.number(), arrayId, array.serialPrefix(),
                lun.number()));
        lu.vpdPage(0xC9, n -> {
            int c = controller(n.targetPortGroup());
            return RdacPages.c9(s.rdacMode(), owner == c, lun.preferredController() == c);
        });
    }

    private static int controller(int targetPortGroup) {
        return targetPortGroup - 1;
    }

    @Override
    public CompletableFuture<ScsiResponse> intercept(ScsiTask task, SbcLogicalUnit lu) {
        Controller c = array.controllerOf(task.nexus());
        if (c == null) return null;
        byte[] cdb = task.cdb();
        if (Commands.modeSelect(cdb)) {
            ModeSelectList m = ModeSelectList.of(task);
            return m.pageCode() == RdacPages.MODE_PAGE ? modeSelect(task, m, c) : null;
        }
        if (Commands.modeSense(cdb) && (cdb[2] & 0x3F) == RdacPages.MODE_PAGE) return modeSense(task, c);
        if (!Commands.mediumAccess(cdb) || owner == c.index()) return null;
        return switch (s.rdacMode()) {
            case RDAC -> Answers.check(task, Answers.RDAC_NOT_OWNER);
            case AVT -> {
                owner = c.index();              // auto volume transfer: the I/O takes the LUN along
                yield null;
            }
            case IOSHIP -> null;
        };
    }

    /**
     * The ownership MODE SELECT: legacy page 0x2C of length 0x68 with a 32-entry LUN table, or page 0x2C subpage 01h
     * (SPF) of length 0x128 with 256 entries; rdac_mode[1] must be 02h, transfer the specified LUNs.
     */
    private CompletableFuture<ScsiResponse> modeSelect(ScsiTask task, ModeSelectList m, Controller c) {
        Answers.release(task);
        int at = m.pageAt();
        boolean expanded = m.subpageFormat();
        int data = at + (expanded ? 4 : 2);
        int length = expanded ? m.u16(at + 2) : m.u8(at + 1);
        boolean shape = expanded ? m.u8(at + 1) == 0x01 && length == RdacPages.EXPANDED_PAGE_LENGTH
                : length == RdacPages.LEGACY_PAGE_LENGTH;
        if (!shape || data + length > m.length() || m.u8(data + 33) != RdacPages.TRANSFER_SPECIFIED_LUNS)
            return CompletableFuture.completedFuture(Answers.checkCondition(Sense.INVALID_FIELD_IN_PARAMETER_LIST));
        int entries = expanded ? RdacPages.EXPANDED_LUNS : RdacPages.LEGACY_LUNS;
        List<RdacPersonality> moving = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            if (m.u8(data + RdacPages.COMMON + i) != RdacPages.LUN_MARKED) continue;
            int number = i;
            SimLun l = array.luns().stream().filter(x -> x.number() == number).findFirst().orElse(null);
            if (l == null)
                return CompletableFuture.completedFuture(Answers.checkCondition(Sense.INVALID_FIELD_IN_PARAMETER_LIST));
            moving.add((RdacPersonality) l.personality());
        }
        return array.later(null, s.transitionTime().toNanos()).thenApply(v -> {
            for (RdacPersonality p : moving) p.owner = c.index();
            return ScsiResponse.good(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        });
    }

    /** MODE SENSE(6/10) of page 0x2C: subpage 00h the legacy page, 01h the expanded one; no block descriptor. */
    private CompletableFuture<ScsiResponse> modeSense(ScsiTask task, Controller c) {
        byte[] cdb = task.cdb();
        int subpage = cdb[3] & 0xFF;
        if (subpage > 1 || (cdb[2] & 0xC0) == 0xC0) return Answers.check(task, Sense.INVALID_FIELD_IN_CDB);
        boolean[] ownedHere = new boolean[RdacPages.EXPANDED_LUNS];
        for (SimLun l : array.luns()) ownedHere[l.number()] = l.owner() == c.index();
        int alternate = array.survivor(c.index());
        byte[] page = RdacPages.modePage(subpage == 1, array.serialPrefix() + "-" + c.name(),
                alternate < 0 ? "" : array.serialPrefix() + "-" + (char) ('A' + alternate), ownedHere);
        boolean ten = Commands.opcode(cdb) == Commands.MODE_SENSE_10;
        int header = ten ? 8 : 4;
        byte[] b = new byte[header + page.length];
        System.arraycopy(page, 0, b, header, page.length);
        if (ten) {
            b[0] = (byte) ((b.length - 2) >> 8);
            b[1] = (byte) (b.length - 2);
        } else {
            if (b.length > 256) return Answers.check(task, Sense.INVALID_FIELD_IN_CDB);
            b[0] = (byte) (b.length - 1);
        }
        return Answers.good(task, b);
    }

    @Override
    public String describe() {
        return "rdac " + s.rdacMode() + " owner " + (char) ('A' + owner) + " preferred "
                + (char) ('A' + lun.preferredController());
    }
}
