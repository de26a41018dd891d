package io.mpathgw.gateway.check;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ModePage;
import io.mpathgw.scsi.ScsiCommand;
import io.netty.buffer.Unpooled;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The rdac checker's one-time init ({@code rdac.c libcheck_init}): read the Control mode page (0Ah) with MODE
 * SENSE(10), DBD; when TAS (task aborted status) is clear, read the changeable values; when TAS is changeable, set it
 * with MODE SELECT(10) SP=1, so that commands aborted by another initiator end with TASK ABORTED instead of
 * vanishing. The outcome is logged and kept for tests; the check proceeds whatever it is.
 */
final class TasBit {

    /** sizeof(struct control_mode_page): header 8, page code, page length, 3 bytes, the TAS byte, 6 bytes. */
    static final int LENGTH = 20;
    static final int TAS_BYTE = 13;
    static final int TAS = 0x40;

    private static final Logger LOG = Logger.getLogger(TasBit.class.getName());

    private final AtomicBoolean tried = new AtomicBoolean();
    private volatile Boolean set;           // null: not tried yet

    /** Whether TAS was found or made set; null before the first try. */
    Boolean set() {
        return set;
    }

    /** Tries once per path, then runs {@code then}; later calls run {@code then} at once. */
    void setOnce(CommandRun<CheckResult> run, Runnable then) {
        if (!tried.compareAndSet(false, true)) {
            then.run();
            return;
        }
        run.send(controlPage(Cdb.PageControl.CURRENT), (r, e) -> {
            if (e != null || !r.isGood()) {
                failed(run, then, "MODE SENSE " + (e != null ? e.getMessage() : r));
                return;
            }
            byte[] current = VendorPage.of(r, LENGTH);
            if ((current[TAS_BYTE] & TAS) != 0) {
                set = true;
                then.run();
                return;
            }
            run.send(controlPage(Cdb.PageControl.CHANGEABLE), (r2, e2) -> {
                if (e2 != null || !r2.isGood() || (VendorPage.of(r2, LENGTH)[TAS_BYTE] & TAS) == 0)
                    failed(run, then, "TAS not changeable");
                else select(run, then, current);
            });
        });
    }

    private void select(CommandRun<CheckResult> run, Runnable then, byte[] page) {
        page[0] = page[1] = 0;                  // MODE DATA LENGTH is reserved in MODE SELECT
        page[8] = (byte) ModePage.CONTROL;      // PS cleared
        page[9] = 0x0A;                         // PAGE LENGTH of the control mode page
        page[TAS_BYTE] |= TAS;
        run.send(ScsiCommand.write(Cdb.modeSelect10(false, true, LENGTH), Unpooled.wrappedBuffer(page)), (r, e) -> {
            if (e == null && r.isGood()) {
                set = true;
                then.run();
            } else {
                failed(run, then, "MODE SELECT " + (e != null ? e.getMessage() : r));
            }
        });
    }

    private void failed(CommandRun<CheckResult> run, Runnable then, String why) {
        set = false;
        LOG.fine(() -> run.path().describe() + ": rdac checker failed to set TAS bit: " + why);
        then.run();
    }

    private static ScsiCommand controlPage(Cdb.PageControl pc) {
        return ScsiCommand.read(Cdb.modeSense10(true, pc, ModePage.CONTROL, 0, LENGTH), LENGTH);
    }
}
