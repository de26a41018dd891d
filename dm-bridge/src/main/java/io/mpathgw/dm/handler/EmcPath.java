package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Sense;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** The emc handler attached to one path (struct clariion_dh_data): flags, LUN state and SPs (spec §6.3). */
final class EmcPath implements AttachedHandler {

    /** CLARIION_BUFFER_SIZE: the allocation length of VPD 0xC0. */
    static final int C0_SIZE = 252;
    static final int LUN_UNINITIALIZED = -1;
    static final int LUN_UNBOUND = 0;
    static final int LUN_BOUND = 1;
    static final int LUN_OWNED = 2;
    private static final String[] LUN_STATE = {"not bound", "bound", "owned"};

    final String name;
    private final ScsiExchange exchange;
    private final HandlerContext ctx;

    // guarded by this
    private boolean shortTrespass;
    private boolean honorReservations;
    private int lunState = LUN_UNINITIALIZED;
    private int port = -1;
    private int defaultSp = -1;
    private int currentSp = -1;

    EmcPath(String name, ScsiExchange exchange, HandlerContext ctx, boolean shortTrespass) {
        this.name = name;
        this.exchange = exchange;
        this.ctx = ctx;
        this.shortTrespass = shortTrespass;
    }

    @Override
    public HardwareHandler handler() {
        return EmcHandler.INSTANCE;
    }

    synchronized void flags(boolean shortTrespass, boolean honorReservations) {
        this.shortTrespass = shortTrespass;
        this.honorReservations = honorReservations;
    }

    synchronized boolean owned() {
        return lunState == LUN_OWNED;
    }

    synchronized void forgetLunState() {
        lunState = LUN_UNINITIALIZED;
    }

    /** clariion_send_inquiry + parse_sp_info_reply: VPD 0xC0, SP and LUN state. */
    CompletableFuture<Integer> spInfo() {
        return exchange.read(Cdb.inquiryVpd(0xC0, C0_SIZE), C0_SIZE, RetryRule.NONE).thenApply(r -> {
            if (!r.good()) return ScsiDh.IO;
            byte[] c0 = Arrays.copyOf(r.data(), C0_SIZE);
            if (c0[48] != 0) {
                log("Detected in-progress ucode upgrade NDU operation while finding current active SP.");
                return ScsiDh.DEV_TEMP_BUSY;
            }
            if ((c0[4] & 0xFF) > LUN_OWNED) {
                log("invalid VPD page 0xC0 format");
                return ScsiDh.NOSYS;
            }
            int failoverMode = c0[28] & 0x0F;
            if (failoverMode == 6) {
                log("ALUA failover mode detected");
            } else if (failoverMode != 4) {      // 4: PNR, "Linux failover"
                log("Invalid failover mode " + failoverMode);
                return ScsiDh.NOSYS;
            }
            synchronized (this) {
                defaultSp = c0[5] & 0xFF;
                lunState = c0[4] & 0xFF;
                currentSp = c0[8] & 0xFF;
                port = c0[7] & 0xFF;
            }
            return ScsiDh.OK;
        });
    }

    /** send_trespass_cmd. */
    CompletableFuture<Integer> trespass() {
        boolean st;
        boolean hr;
        synchronized (this) {
            st = shortTrespass;
            hr = honorReservations;
        }
        byte[] data = EmcTrespass.data(st, hr);
        return exchange.write(EmcTrespass.cdb(st, data.length), data, RetryRule.NONE).thenApply(r -> {
            if (r.good()) return ScsiDh.OK;
            if (!r.senseValid()) {
                log("failed to send MODE SELECT: " + r);
                return ScsiDh.IO;
            }
            log(String.format("Found valid sense data 0x%2x, 0x%2x, 0x%2x while sending CLARiiON trespass command.",
                    r.sense().senseKey(), r.sense().asc(), r.sense().ascq()));
            if (r.is(Sense.ILLEGAL_REQUEST, 0x04, 0x00)) {           // array based copy in progress
                log("Array Based Copy in progress while sending CLARiiON trespass command.");
                return ScsiDh.DEV_TEMP_BUSY;
            }
            if (r.is(Sense.NOT_READY, 0x04, 0x03)) {                 // ucode upgrade (NDU) in progress
                log("Detected in-progress ucode upgrade NDU operation while sending CLARiiON trespass command.");
                return ScsiDh.DEV_TEMP_BUSY;
            }
            return ScsiDh.DEV_FAILED;
        });
    }

    /** clariion_activate: read the SP state; trespass unless owned, then read it again; that read decides. */
    @Override
    public CompletableFuture<Integer> activate() {
        return spInfo().thenCompose(err -> {
            if (err != ScsiDh.OK || owned()) return CompletableFuture.completedFuture(err);
            return trespass().thenCompose(t -> {
                if (t != ScsiDh.OK) return CompletableFuture.completedFuture(t);
                log((shortTrespassNow() ? "short" : "long") + " trespass command sent");
                return spInfo();
            });
        }).thenApply(result -> {
            log("at " + where());
            return result;
        });
    }

    private synchronized boolean shortTrespassNow() {
        return shortTrespass;
    }

    /** "SP A Port 0 (owned, default SP B)". */
    synchronized String where() {
        return "SP " + sp(currentSp) + " Port " + port + " ("
                + (lunState >= 0 ? LUN_STATE[lunState] : "uninitialized") + ", default SP " + sp(defaultSp) + ")";
    }

    private static char sp(int sp) {
        return sp < 0 ? '?' : (char) ('A' + sp);
    }

    /** clariion_check_sense (spec §6.3). */
    @Override
    public Disposition checkSense(Sense s) {
        if (s.is(Sense.NOT_READY, 0x04, 0x03)) return Disposition.SUCCESS;          // passive path
        if (s.is(Sense.ILLEGAL_REQUEST, 0x25, 0x01)) return Disposition.SUCCESS;    // array copy, inactive snapshot
        if (s.matches(Sense.POWER_ON_RESET)) return Disposition.ADD_TO_MLQUEUE;   // first I/O to the new path
        return Disposition.NOT_HANDLED;
    }

    /** clariion_prep_fn: I/O only while the LUN is owned through this SP. */
    @Override
    public synchronized boolean admits() {
        return lunState == LUN_OWNED;
    }

    @Override
    public synchronized AccessState accessState() {
        return AccessState.of(lunState == LUN_OWNED ? AluaState.ACTIVE_OPTIMIZED : AluaState.STANDBY,
                defaultSp == currentSp);
    }

    synchronized boolean shortTrespass() {
        return shortTrespass;
    }

    @Override
    public void detach() {
    }

    private void log(String text) {
        ctx.log(name, EmcHandler.NAME, text);
    }

    @Override
    public String toString() {
        return name + ": emc " + where();
    }
}
