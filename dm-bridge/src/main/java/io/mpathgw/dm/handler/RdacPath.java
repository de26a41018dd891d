package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Sense;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** The rdac handler attached to one path (struct rdac_dh_data): its LUN, mode and ownership (spec §6.2). */
final class RdacPath implements AttachedHandler {

    enum Mode { RDAC, AVT, IOSHIP }

    /** sizeof(struct c9_inquiry): the allocation length of VPD 0xC9. */
    static final int C9_SIZE = 48;

    final String name;
    final ScsiExchange exchange;
    final RdacController controller;
    /** The LUN index of the LUN table: VPD 0xC8 byte 174. */
    final int lun;

    // guarded by this
    private Mode mode = Mode.RDAC;
    private boolean owned;
    private boolean preferred;
    /** RDAC_STATE_PASSIVE: I/O is refused (prep_fn). */
    private boolean passive;

    RdacPath(String name, ScsiExchange exchange, RdacController controller, int lun) {
        this.name = name;
        this.exchange = exchange;
        this.controller = controller;
        this.lun = lun;
    }

    @Override
    public HardwareHandler handler() {
        return RdacHandler.INSTANCE;
    }

    /**
     * check_ownership: VPD 0xC9 "vace" — byte 8 AVT/CVP (bit 5 IOSHIP, bit 7 AVT, bit 0 this controller owns the
     * LUN), byte 9 bit 0 preferred path. An unowned LUN in RDAC mode makes the path passive.
     */
    CompletableFuture<Integer> checkOwnership() {
        return exchange.read(Cdb.inquiryVpd(0xC9, C9_SIZE), C9_SIZE, RetryRule.NONE).thenApply(r -> {
            if (!r.good()) {
                synchronized (this) {
                    passive = false;            // as the kernel, which marks the path active before asking
                }
                return ScsiDh.IO;
            }
            byte[] c9 = Arrays.copyOf(r.data(), C9_SIZE);       // short pages read as zeros
            int avtCvp = c9[8] & 0xFF;
            synchronized (this) {
                mode = (avtCvp & 0x20) != 0 ? Mode.IOSHIP : (avtCvp & 0x80) != 0 ? Mode.AVT : Mode.RDAC;
                owned = (avtCvp & 0x01) != 0;
                passive = !owned && mode == Mode.RDAC;
                preferred = (c9[9] & 0x01) != 0;
            }
            return ScsiDh.OK;
        });
    }

    /** rdac_activate: re-read ownership; move the LUN if RDAC mode and unowned, or IOSHIP, unowned and preferred. */
    @Override
    public CompletableFuture<Integer> activate() {
        return checkOwnership().thenCompose(err -> {
            if (err != ScsiDh.OK) return CompletableFuture.completedFuture(err);
            boolean act;
            synchronized (this) {
                act = !owned && (mode == Mode.RDAC || mode == Mode.IOSHIP && preferred);
            }
            if (!act) return CompletableFuture.completedFuture(ScsiDh.OK);
            CompletableFuture<Integer> done = new CompletableFuture<>();
            controller.queueModeSelect(this, done);
            return done;
        });
    }

    /** The ownership MODE SELECT succeeded. */
    synchronized void madeActive() {
        passive = false;
    }

    /** rdac_check_sense (spec §6.2). */
    @Override
    public Disposition checkSense(Sense s) {
        switch (s.senseKey()) {
            case Sense.NOT_READY -> {
                if (s.is(Sense.NOT_READY, 0x04, 0x01)) return Disposition.ADD_TO_MLQUEUE;   // becoming ready
                if (s.is(Sense.NOT_READY, 0x04, 0x81)) return Disposition.SUCCESS;  // firmware incompatible: bypass
                if (s.is(Sense.NOT_READY, 0x04, 0xA1)) return Disposition.ADD_TO_MLQUEUE;   // quiescence in progress
                if (s.is(Sense.NOT_READY, 0xA1, 0x02)) return Disposition.ADD_TO_MLQUEUE;   // quiescence in progress/achieved
            }
            case Sense.ILLEGAL_REQUEST -> {
                if (s.is(Sense.ILLEGAL_REQUEST, 0x94, 0x01)) {   // not the current owner: fail the path
                    synchronized (this) {
                        passive = true;
                    }
                    return Disposition.SUCCESS;
                }
            }
            case Sense.UNIT_ATTENTION -> {
                if (s.matches(Sense.POWER_ON_RESET)) return Disposition.ADD_TO_MLQUEUE;
                if (s.is(Sense.UNIT_ATTENTION, 0x8B, 0x02)) return Disposition.ADD_TO_MLQUEUE;   // quiescence
            }
            default -> {
            }
        }
        return Disposition.NOT_HANDLED;
    }

    /** rdac_prep_fn: no I/O while passive. */
    @Override
    public synchronized boolean admits() {
        return !passive;
    }

    /** Owned: active/optimized; unowned: standby in RDAC mode, active/non-optimized in AVT and IOSHIP. */
    @Override
    public synchronized AccessState accessState() {
        AluaState s = owned ? AluaState.ACTIVE_OPTIMIZED
                : mode == Mode.RDAC ? AluaState.STANDBY : AluaState.ACTIVE_NON_OPTIMIZED;
        return AccessState.of(s, preferred);
    }

    synchronized Mode mode() {
        return mode;
    }

    synchronized boolean owned() {
        return owned;
    }

    @Override
    public void detach() {
        controller.remove(this);
        controller.ctx().rdacControllers.removeIfUnused(controller);
    }

    @Override
    public synchronized String toString() {
        return name + ": rdac LUN " + lun + " (" + mode + ") (" + (owned ? "owned" : "unowned") + ")";
    }
}
