package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.VpdPage;

import static io.mpathgw.gateway.check.VendorPage.u8;

/**
 * {@code rdac} (LSI/Engenio/NetApp E-Series and their OEMs, spec §7.1): INQUIRY of the Volume Access Control page
 * 0xC9, decoded as multipath-tools' {@code rdac.c}. Up when this controller owns the volume (CVP, byte 8 bit 0) or
 * ships I/O (byte 8 bit 5), ghost otherwise; down when the LU is not connected, or when the target port group data
 * (byte 8 bit 4) says this controller is unavailable or booting — with the reason from byte 11. Retryable transport
 * errors are sent again, five tries in all; ILLEGAL REQUEST means the device has no such page (wild).
 *
 * <p>Before its first check it does what multipath-tools' init does once per path: set the TAS bit of the Control
 * mode page ({@link TasBit}). The outcome is only logged; it never changes a verdict.
 */
final class RdacChecker extends AsyncChecker {

    static final String NAME = "rdac";
    static final int TRIES = 5;
    /** sizeof(struct volume_access_inq). */
    static final int LENGTH = 48;

    // asymmetric access states of byte 10/12, reason codes of byte 11 (rdac.c RTPG_*)
    static final int AAS_UNAVAILABLE = 0x3;
    static final int AAS_TRANSITIONING = 0xF;

    static final String DOWN_PREFIX = CheckResult.DOWN + ": ";
    static final String INQUIRY_FAILED = DOWN_PREFIX + "inquiry failed";

    private final TasBit tas = new TasBit();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    void start(CommandRun<CheckResult> run) {
        tas.setOnce(run, () -> attempt(run, TRIES));
    }

    /** Whether the init found or made TAS set; null before the first check. */
    Boolean tasSet() {
        return tas.set();
    }

    private void attempt(CommandRun<CheckResult> run, int tries) {
        run.send(ScsiCommand.read(Cdb.inquiryVpd(VpdPage.RDAC_C9, LENGTH), LENGTH),
                retrying(run, Retry.TRANSPORT, tries, INQUIRY_FAILED, () -> attempt(run, tries - 1), r -> {
                    if (r.isGood() || senseKey(r) == Sense.RECOVERED_ERROR)
                        run.complete(decode(VendorPage.of(r, LENGTH)));
                    else if (senseKey(r) == Sense.ILLEGAL_REQUEST)
                        run.complete(result(PathState.WILD, CheckResult.UNSUPPORTED));
                    else run.complete(result(PathState.DOWN, INQUIRY_FAILED));
                }));
    }

    /** The verdict on a page 0xC9 (48 bytes, zero-filled), as rdac.c libcheck_check() decides. */
    CheckResult decode(byte[] c9) {
        int pqPdt = u8(c9, 0);
        int avtcvp = u8(c9, 8);
        int aasCur = u8(c9, 10) & 0x0F;
        int aasAlt = u8(c9, 12) & 0x0F;
        if (notConnected(pqPdt))
            return result(PathState.DOWN, DOWN_PREFIX + "lun not connected");
        if ((avtcvp & 0x10) != 0) {                              // TPGDE: target port group data present
            if (aasCur == AAS_UNAVAILABLE || aasCur == AAS_TRANSITIONING && aasAlt != AAS_TRANSITIONING)
                return result(PathState.DOWN, downReason(c9));
        }
        if ((avtcvp & 0x01) != 0 || (avtcvp & 0x20) != 0)       // CVP: owned here; or IOSHIP
            return result(PathState.UP, CheckResult.UP);
        return result(PathState.GHOST, CheckResult.GHOST);
    }

    /** Peripheral qualifier 001b, or anything but qualifier 000b with a direct-access device. */
    private static boolean notConnected(int pqPdt) {
        return (pqPdt & 0xE0) == 0x20 || (pqPdt & 0x7F) != 0;
    }

    /** rdac.c checker_msg_string() for a down path whose page was read. */
    static String downReason(byte[] c9) {
        if (notConnected(u8(c9, 0))) return DOWN_PREFIX + "lun not connected";
        if ((u8(c9, 8) & 0x10) == 0) return CheckResult.DOWN;
        int aasCur = u8(c9, 10) & 0x0F;
        if (aasCur == AAS_TRANSITIONING && (u8(c9, 12) & 0x0F) != AAS_TRANSITIONING)
            return DOWN_PREFIX + "ctlr is in startup sequence";
        if (aasCur != AAS_UNAVAILABLE) return CheckResult.DOWN;
        return DOWN_PREFIX + switch (u8(c9, 11)) {
            case 0x2 -> "non-responsive to queries";
            case 0x3 -> "ctlr held in reset";
            case 0x4, 0x5 -> "ctlr firmware downloading";
            case 0x6 -> "ctlr quiesced by admin request";
            case 0x7 -> "ctlr is in service mode";
            default -> "ctlr is unavailable";
        };
    }
}
