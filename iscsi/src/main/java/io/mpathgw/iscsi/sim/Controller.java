package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.Portal;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One controller (storage processor) of a simulated array: one target port group, with a relative target port
 * per portal. Killing it kills all its portals and, if the array is built to, moves the LUNs it owned to a
 * surviving controller as the array's own failover would. Every method may be called from any thread.
 */
public final class Controller {

    private final ArraySimulator array;
    private final int index;
    private final String targetName;
    private final List<Integer> relativeTargetPorts;
    private final List<Portal> portals = new CopyOnWriteArrayList<>();
    private volatile boolean alive = true;

    Controller(ArraySimulator array, int index, String targetName, List<Integer> relativeTargetPorts) {
        this.array = array;
        this.index = index;
        this.targetName = targetName;
        this.relativeTargetPorts = List.copyOf(relativeTargetPorts);
    }

    void attach(Portal p) {
        portals.add(p);
    }

    /** 0 for the first controller. */
    public int index() {
        return index;
    }

    /** {@code A}, {@code B}, … as arrays name their controllers and SPs. */
    public char name() {
        return (char) ('A' + index);
    }

    /** The ALUA target port group id of this controller's ports (VPD 0x83 designator type 5): index + 1. */
    public int targetPortGroup() {
        return index + 1;
    }

    /** The iSCSI target name served through this controller's portals. */
    public String targetName() {
        return targetName;
    }

    public List<Integer> relativeTargetPorts() {
        return relativeTargetPorts;
    }

    public List<Portal> portals() {
        return Collections.unmodifiableList(portals);
    }

    public boolean alive() {
        return alive;
    }

    /**
     * The controller fails: every portal resets its connections and refuses new ones; the LUNs it owned move to the
     * next live controller (after the transition time) unless the array was built without that failover.
     */
    public void kill() {
        if (!alive) return;
        alive = false;
        for (Portal p : portals) p.kill();
        array.controllerLost(this);
    }

    /** The controller is back: its portals listen again; it owns nothing until a failover or a handler moves LUNs. */
    public void revive() throws InterruptedException {
        if (alive) return;
        for (Portal p : portals) p.revive();
        alive = true;
        array.controllerRevived(this);
    }

    /** Black-holes every portal of the controller (a hung controller: connections stay, nothing answers). */
    public void blackhole(boolean on) {
        for (Portal p : portals) p.blackhole(on);
    }

    public void latency(Duration d) {
        for (Portal p : portals) p.latency(d);
    }

    public void refuseLogin(boolean on) {
        for (Portal p : portals) p.refuseLogin(on);
    }

    @Override
    public String toString() {
        return "controller " + name() + " (target port group " + targetPortGroup() + ", relative ports "
                + relativeTargetPorts + (alive ? "" : ", dead") + ")";
    }
}
