package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.check.PathChecker;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.gateway.check.PathState;
import io.mpathgw.gateway.group.GroupablePath;
import io.mpathgw.gateway.prio.PrioResult;
import io.mpathgw.gateway.prio.Prioritizer;
import io.mpathgw.scsi.ScsiTransport;

/**
 * One path: one LUN on one session, named as Linux names a SCSI disk. Identity fields are fixed at scan; the
 * checker's state is touched only on the thread of the map the path belongs to (before it joins a map, by whoever
 * scans it); the engine keeps its I/O counters (PathStats).
 */
final class GatewayPath {

    /** Discovery order: sda is 0. */
    final int index;
    final String dev;
    final String devT;
    final GatewaySession session;
    /**
     * Replaced once, before the path joins a map, when its own READ CAPACITY was refused (standby port) and the
     * map's capacity fills it in ({@link LunIdentity#withCapacity}); fixed from then on.
     */
    volatile LunIdentity id;
    final ScsiTransport transport;
    volatile GatewayMap map;
    /** Why the path is in no map ("blacklisted", "no WWID"…). */
    volatile String unmappedWhy = "";

    // map thread
    PathState state = PathState.UNCHECKED;
    PrioResult prio = PrioResult.undef("not evaluated yet");
    PathChecker checker;
    Prioritizer prioritizer;
    boolean adminFailed;
    /** Its WWID changed on a rescan: failed for good and kept out of the map. */
    boolean removed;
    boolean checkPending;
    long intervalMillis;
    long nextCheckNanos;
    String lastChange = "";
    String lastCause = "";

    /** Completions and latency at the last snapshot, for the per-second rates (map thread). */
    long lastIos;
    long lastLatencyNanos;
    long iops;
    long latencyMicros;

    GatewayPath(int index, String dev, String devT, GatewaySession session, LunIdentity id) {
        this.index = index;
        this.dev = dev;
        this.devT = devT;
        this.session = session;
        this.id = id;
        this.transport = session.session().lun(id.lun());
    }

    /** What checkers and prioritizers know of the path. */
    PathIdentity identity() {
        var inq = id.inquiry();
        return new PathIdentity(dev, devT, hcil(), session.portal(), session.target(), id.wwid(), id.serial(),
                inq.vendor(), inq.product());
    }

    /** As the grouping policies and the table see it now. */
    GroupablePath groupable() {
        return new GroupablePath(devT, prio.prio() < 0 ? GroupablePath.PRIO_UNDEF : prio.prio(),
                !removed && state.usable(), id.serial(), session.target(), id.tpg() < 0 ? GroupablePath.TPG_NONE
                : id.tpg(), 1);
    }

    /** "H:0:0:L", the session's SCSI host number as open-iscsi gives one host per session. */
    String hcil() {
        return session.hostNo() + ":0:0:" + id.lun();
    }

    @Override
    public String toString() {
        return dev + " (" + devT + ", " + hcil() + ")";
    }
}
