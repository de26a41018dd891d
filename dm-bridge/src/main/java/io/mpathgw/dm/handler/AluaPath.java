package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.Sense;

import java.util.concurrent.CompletableFuture;

/** The alua handler attached to one path (struct alua_dh_data): its port group and relative port (spec §6.1). */
final class AluaPath implements AttachedHandler {

    final String name;
    final ScsiExchange exchange;
    final AluaPortGroup group;
    /** RELATIVE TARGET PORT IDENTIFIER from VPD 0x83, -1 when the device gives none. */
    final int relPort;
    /** Set aside for the current run after it could not reach the device (guarded by the group). */
    boolean disabled;

    AluaPath(String name, ScsiExchange exchange, AluaPortGroup group, int relPort) {
        this.name = name;
        this.exchange = exchange;
        this.group = group;
        this.relPort = relPort;
    }

    @Override
    public HardwareHandler handler() {
        return AluaHandler.INSTANCE;
    }

    /** alua_activate: queue an RTPG (and STPG) run on the group and wait for its result. */
    @Override
    public CompletableFuture<Integer> activate() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (!group.queue(this, done, true)) done.complete(ScsiDh.DEV_OFFLINED);   // detached: nothing to queue on
        return done;
    }

    /** alua_check_sense (spec §6.1 table, with the 2024 UNIT ATTENTION 04/0A). */
    @Override
    public Disposition checkSense(Sense s) {
        int key = s.senseKey();
        if ((key == Sense.NOT_READY || key == Sense.UNIT_ATTENTION) && s.asc() == 0x04 && s.ascq() == 0x0A) {
            group.markTransitioning();           // LU not accessible, asymmetric access state transition
            group.queue(this, null, false);
            return Disposition.NEEDS_RETRY;
        }
        if (key != Sense.UNIT_ATTENTION) return Disposition.NOT_HANDLED;
        if (s.matches(Sense.POWER_ON_RESET) || s.matches(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED)
                || s.matches(Sense.IMPLICIT_TRANSITION_FAILED)) {
            group.queue(this, null, true);       // may hide a state change: re-read it
            return Disposition.ADD_TO_MLQUEUE;
        }
        if (s.matches(Sense.DEVICE_INTERNAL_RESET) || s.matches(Sense.MODE_PARAMETERS_CHANGED)
                || s.matches(Sense.INQUIRY_DATA_CHANGED) || s.matches(Sense.REPORTED_LUNS_DATA_CHANGED))
            return Disposition.ADD_TO_MLQUEUE;
        return Disposition.NOT_HANDLED;
    }

    /** alua_prep_fn: I/O goes in A/O, A/NO, LBA-dependent and transitioning; not in standby, unavailable, offline. */
    @Override
    public boolean admits() {
        int st = group.state();
        return st == AluaPortGroup.AO || st == AluaPortGroup.ANO || st == AluaPortGroup.LBA_DEPENDENT
                || st == AluaPortGroup.TRANSITIONING;
    }

    @Override
    public AccessState accessState() {
        return group.accessState();
    }

    /** The port group id of this path (VPD 0x83 designator type 5). */
    public int groupId() {
        return group.groupId;
    }

    @Override
    public void detach() {
        group.remove(this);
        group.ctx.aluaGroups.removeIfUnused(group);
    }

    @Override
    public String toString() {
        return name + ": alua port group " + AluaPortGroup.hex(group.groupId) + " rel port " + relPort + " "
                + accessState();
    }
}
