package io.mpathgw.gateway.daemon;

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
    final LunIdentity id;
    final ScsiTransport transport;
    volatile GatewayMap map;
    /** Why the path is in no map ("blacklisted", "no WWID"…). */
    volatile String unmappedWhy = "";

    // map thread
    CheckState state = CheckState.UNCHECKED;
    PathPrio.Prio prio = PathPrio.Prio.UNDEFINED;
    PathCheck checker;
    PathPrio prioritizer;
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

    /** "H:0:0:L", the session's SCSI host number as open-iscsi gives one host per session. */
    String hcil() {
        return session.hostNo() + ":0:0:" + id.lun();
    }

    @Override
    public String toString() {
        return dev + " (" + devT + ", " + hcil() + ")";
    }
}
