package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.ScsiResponse;

import java.util.concurrent.CompletableFuture;

/** Plain active/active: every path serves every command; nobody owns anything, so failover changes nothing. */
final class ActiveActivePersonality implements LunPersonality {

    @Override
    public void configure(SbcLogicalUnitBuilder lu) {
    }

    @Override
    public CompletableFuture<ScsiResponse> intercept(ScsiTask task, SbcLogicalUnit lu) {
        return null;
    }

    @Override
    public int owner() {
        return -1;
    }

    @Override
    public void failover(int to) {
    }

    @Override
    public void controllerLost(int index) {
    }

    @Override
    public void controllerRevived(int index) {
    }

    @Override
    public String describe() {
        return "active-active";
    }
}
