package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Sense;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The hp_sw handler attached to one path: active or passive, as TEST UNIT READY says (spec §6.4). */
final class HpSwPath implements AttachedHandler {

    /** hp_sw_tur: the mid-layer retries UNIT ATTENTION without limit. */
    static final RetryRule TUR_RETRIES = new RetryRule(List.of(
            new RetryRule.Condition(Sense.UNIT_ATTENTION, RetryRule.ANY, RetryRule.ANY, RetryRule.NO_LIMIT)), 0);
    /** hp_sw_start_stop: NOT READY 04/03, switch-over in progress, is retried up to HP_SW_RETRIES (3) times. */
    static final RetryRule START_STOP_RETRIES = new RetryRule(List.of(
            new RetryRule.Condition(Sense.NOT_READY, 0x04, 0x03, 3)), 0);

    final String name;
    private final ScsiExchange exchange;
    private final HandlerContext ctx;
    private boolean active;                  // guarded by this
    private boolean known;

    HpSwPath(String name, ScsiExchange exchange, HandlerContext ctx) {
        this.name = name;
        this.exchange = exchange;
        this.ctx = ctx;
    }

    @Override
    public HardwareHandler handler() {
        return HpSwHandler.INSTANCE;
    }

    /** hp_sw_tur + tur_done: GOOD is active, NOT READY 04/02 (initializing command required) passive. */
    CompletableFuture<Integer> tur() {
        return exchange.none(Cdb.testUnitReady(), TUR_RETRIES).thenApply(r -> {
            if (r.good()) return state(true);
            if (r.is(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED)) return state(false);
            log(r.senseValid() ? "TEST UNIT READY failed with sense " + r.sense() : "sending tur failed: " + r);
            return ScsiDh.IO;
        });
    }

    private synchronized int state(boolean isActive) {
        active = isActive;
        known = true;
        return ScsiDh.OK;
    }

    /** hp_sw_start_stop: START STOP UNIT with START=1 makes the passive controller active. */
    CompletableFuture<Integer> startStop() {
        return exchange.none(Cdb.startStopUnit(false, 0, false, true), START_STOP_RETRIES).thenApply(r -> {
            if (r.good()) return state(true);
            if (!r.senseValid()) {
                log("sending start_stop_unit failed: " + r);
                return ScsiDh.IO;
            }
            if (r.is(Sense.NOT_READY_MANUAL_INTERVENTION)) {      // 04/03: switch-over still in progress
                log("start_stop_unit: switch-over in progress, retries exhausted");
                return ScsiDh.RETRY;
            }
            log("START STOP UNIT failed with sense " + r.sense());
            return ScsiDh.IO;
        });
    }

    /** hp_sw_activate: TUR, then START STOP UNIT if the path is passive. */
    @Override
    public CompletableFuture<Integer> activate() {
        return tur().thenCompose(err -> {
            if (err != ScsiDh.OK || isActive()) return CompletableFuture.completedFuture(err);
            return startStop();
        });
    }

    synchronized boolean isActive() {
        return active;
    }

    /** scsi_dh_hp_sw has no check_sense. */
    @Override
    public Disposition checkSense(Sense sense) {
        return Disposition.NOT_HANDLED;
    }

    /** hp_sw_prep_fn: I/O only on an active path. */
    @Override
    public synchronized boolean admits() {
        return known && active;
    }

    /** hp_sw keeps no access state in sysfs; passive shows here as standby for the gateway's own pages. */
    @Override
    public synchronized AccessState accessState() {
        return known ? AccessState.of(active ? AluaState.ACTIVE_OPTIMIZED : AluaState.STANDBY, false)
                : AccessState.NONE;
    }

    @Override
    public void detach() {
    }

    private void log(String text) {
        ctx.log(name, HpSwHandler.NAME, text);
    }

    @Override
    public synchronized String toString() {
        return name + ": hp_sw " + (known ? active ? "active" : "passive" : "uninitialized");
    }
}
