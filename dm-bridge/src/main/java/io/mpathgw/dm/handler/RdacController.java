package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.Sense;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * One RDAC controller of one array (struct rdac_controller, spec §6.2): the LUNs that need moving to it are batched
 * into one MODE SELECT, sent through the path of the first activation that queued one (ms_sdev). Guarded by its
 * monitor; the command is sent with it released.
 */
final class RdacController {

    /**
     * The mid-layer retries of the ownership MODE SELECT (spec §6.2): up to 5 in total for NO SENSE, ABORTED COMMAND,
     * any UNIT ATTENTION, NOT READY 04/01 and ILLEGAL REQUEST 91/36 (command lock contention).
     */
    static final RetryRule MODE_SELECT_RETRIES = new RetryRule(List.of(
            RetryRule.any(Sense.NO_SENSE),
            RetryRule.any(Sense.ABORTED_COMMAND),
            RetryRule.any(Sense.UNIT_ATTENTION),
            new RetryRule.Condition(Sense.NOT_READY, 0x04, 0x01, 0),
            new RetryRule.Condition(Sense.ILLEGAL_REQUEST, 0x91, 0x36, RetryRule.NO_LIMIT)), 5);

    final String arrayId;
    final int index;
    final String arrayName;
    private final HandlerContext ctx;

    // guarded by this
    /** From VPD 0xC2: more than 32 LUNs, so the expanded page and MODE SELECT(10). */
    private boolean useMs10;
    private final List<Queued> msHead = new ArrayList<>();
    private boolean msQueued;
    private RdacPath msPath;
    private final List<RdacPath> members = new ArrayList<>();

    private record Queued(RdacPath path, CompletableFuture<Integer> done) {
    }

    RdacController(String arrayId, int index, String arrayName, HandlerContext ctx) {
        this.arrayId = arrayId;
        this.index = index;
        this.arrayName = arrayName;
        this.ctx = ctx;
    }

    HandlerContext ctx() {
        return ctx;
    }

    synchronized void add(RdacPath p) {
        if (!members.contains(p)) members.add(p);
    }

    synchronized void remove(RdacPath p) {
        members.remove(p);
    }

    synchronized boolean hasMembers() {
        return !members.isEmpty();
    }

    synchronized void useMs10(boolean ms10) {
        useMs10 = ms10;
    }

    synchronized boolean usesMs10() {
        return useMs10;
    }

    /** queue_mode_select: joins the pending batch, or starts one through {@code p}. */
    void queueModeSelect(RdacPath p, CompletableFuture<Integer> done) {
        boolean start;
        synchronized (this) {
            msHead.add(new Queued(p, done));
            start = !msQueued;
            if (start) {
                msQueued = true;
                msPath = p;
            }
        }
        if (start) ctx.scheduler().schedule(this::sendModeSelect, 0);
    }

    /** send_mode_select: one MODE SELECT for every queued LUN; its outcome is every activation's. */
    private void sendModeSelect() {
        List<Queued> batch;
        RdacPath via;
        boolean ms10;
        synchronized (this) {
            batch = new ArrayList<>(msHead);
            msHead.clear();
            msQueued = false;
            via = msPath;
            msPath = null;
            ms10 = useMs10;
        }
        int tableSize = ms10 ? RdacModeSelect.EXPANDED_LUNS : RdacModeSelect.LEGACY_LUNS;
        TreeSet<Integer> luns = new TreeSet<>();
        List<Queued> sent = new ArrayList<>();
        for (Queued q : batch) {
            if (q.path.lun >= 0 && q.path.lun < tableSize) {
                luns.add(q.path.lun);
                sent.add(q);
            } else {                            // the kernel would write past its LUN table; refuse instead
                log(q.path, "LUN " + q.path.lun + " does not fit the " + tableSize + "-entry LUN table");
                q.done.complete(ScsiDh.IO);
            }
        }
        if (sent.isEmpty()) return;
        byte[] data = ms10 ? RdacModeSelect.expanded(luns) : RdacModeSelect.legacy(luns);
        log(via, "array " + arrayName + ", ctlr " + index + ", queueing MODE_SELECT command");
        via.exchange.write(RdacModeSelect.cdb(ms10, data.length), data, MODE_SELECT_RETRIES).thenAccept(r -> {
            int err = ScsiDh.OK;
            if (r.good()) {
                log(via, "array " + arrayName + ", ctlr " + index + ", MODE_SELECT completed");
            } else {
                err = ScsiDh.IO;                // current mainline: any failure, sense or not, is SCSI_DH_IO
                if (r.senseValid())
                    log(via, String.format("array %s, ctlr %d, MODE_SELECT returned with sense %02x/%02x/%02x",
                            arrayName, index, r.sense().senseKey(), r.sense().asc(), r.sense().ascq()));
            }
            for (Queued q : sent) {
                if (err == ScsiDh.OK) q.path.madeActive();
                q.done.complete(err);
            }
        });
    }

    private void log(RdacPath p, String text) {
        ctx.log(p.name, RdacHandler.NAME, text);
    }
}
