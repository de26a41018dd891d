package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * HP active/standby (MSA1000, HSG80; spec §6.4) for one LUN: the active controller serves it; the passive one
 * answers TEST UNIT READY and media access with NOT READY 04/02 (initializing command required). START STOP UNIT
 * with START=1 through the passive controller switches the whole array over — every LUN to that controller — and
 * completes after the transition time; a second one during the switch-over gets NOT READY 04/03, which scsi_dh_hp_sw
 * retries. START=0 and START=1 on the active controller change nothing.
 */
final class HpSwPersonality extends OwnedPersonality {

    private volatile boolean switching;

    HpSwPersonality(ArraySimulator array, SimLun lun) {
        super(array, lun);
    }

    @Override
    public void configure(SbcLogicalUnitBuilder lu) {
    }

    @Override
    public CompletableFuture<ScsiResponse> intercept(ScsiTask task, SbcLogicalUnit lu) {
        Controller c = array.controllerOf(task.nexus());
        if (c == null) return null;
        byte[] cdb = task.cdb();
        int op = Commands.opcode(cdb);
        if (op == Commands.START_STOP_UNIT) {
            Answers.release(task);
            boolean start = cdb.length > 4 && (cdb[4] & 0x01) != 0;
            if (!start || owner == c.index()) return CompletableFuture.completedFuture(good());
            return switchOver(c.index());
        }
        if (owner != c.index() && (op == Commands.TEST_UNIT_READY || Commands.mediumAccess(cdb)))
            return Answers.check(task, Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED);
        return null;
    }

    /** Every LUN of the array goes to {@code to} after the transition time; 04/03 while a switch-over runs. */
    private CompletableFuture<ScsiResponse> switchOver(int to) {
        List<HpSwPersonality> all = array.luns().stream().map(l -> (HpSwPersonality) l.personality()).toList();
        synchronized (array) {
            if (all.stream().anyMatch(p -> p.switching))
                return CompletableFuture.completedFuture(Answers.checkCondition(Sense.NOT_READY_MANUAL_INTERVENTION));
            all.forEach(p -> p.switching = true);
        }
        return array.later(null, s.transitionTime().toNanos()).thenApply(v -> {
            synchronized (array) {
                all.forEach(p -> {
                    p.owner = to;
                    p.switching = false;
                });
            }
            return good();
        });
    }

    private static ScsiResponse good() {
        return ScsiResponse.good(io.netty.buffer.Unpooled.EMPTY_BUFFER);
    }

    @Override
    public String describe() {
        return "hp_sw active " + (char) ('A' + owner) + (switching ? " switching" : "");
    }
}
