package io.mpathgw.iscsi.sim;

/**
 * A personality where one controller owns the LUN at a time (rdac, emc, hp_sw): ownership moves by the
 * personality's own command, by {@link #failover}, and, when the array is set to, to a survivor when the owner
 * is lost. Ownership is read from the target's event loops and written by commands and the fault API.
 */
abstract class OwnedPersonality implements LunPersonality {

    final ArraySimulator array;
    final SimSettings s;
    volatile int owner;

    OwnedPersonality(ArraySimulator array, SimLun lun) {
        this.array = array;
        this.s = array.settings();
        this.owner = lun.spec().owner();
    }

    @Override
    public int owner() {
        return owner;
    }

    @Override
    public void failover(int to) {
        owner = to;
    }

    @Override
    public void controllerLost(int index) {
        int next = array.survivor(index);
        if (owner == index && s.failoverOnControllerLoss() && next >= 0) owner = next;
    }

    @Override
    public void controllerRevived(int index) {
    }
}
