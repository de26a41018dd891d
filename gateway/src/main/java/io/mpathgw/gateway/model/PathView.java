package io.mpathgw.gateway.model;

/**
 * One path: one iSCSI session to one portal, one LUN on it.
 *
 * @param map          the map this path belongs to ("" while it belongs to none)
 * @param dev          the path's device name, what messages and the CLI accept ("sdb")
 * @param devT         "maj:min" as in the dm table ("8:16")
 * @param hcil         "host:channel:id:lun" (host = the session's SCSI host number, as open-iscsi gives it)
 * @param portal       "address:port,tpgt"
 * @param target       the target's IQN
 * @param isid         the session's ISID as 12 hex digits
 * @param tsih         the session's TSIH
 * @param lun          the LUN number
 * @param wwid         WWID this path reported
 * @param dmState      "active", "failed" or "undef" (kernel's view)
 * @param checkerState "ready", "faulty", "shaky", "ghost", "i/o pending", "i/o timeout", "delayed", "undef"
 * @param onlineState  "running" or "offline" (session logged in or not)
 * @param checker      checker name ("tur")
 * @param checkTick    seconds until the checker looks at this path again (multipathd's {@code pp->tick}), 0 when
 *                     due or for a path in no map
 * @param checkInterval the path's current checker interval in whole seconds, rounded up (multipathd's
 *                     {@code pp->checkint}: polling_interval, doubled up to max_polling_interval while healthy);
 *                     0 for a path in no map
 * @param prioritizer  prioritizer name ("alua")
 * @param priority     the prioritizer's last value (-1 undefined)
 * @param aluaTpg      ALUA target port group id, -1 when none
 * @param aluaState    "active/optimized", "active/non-optimized", "standby", "unavailable", "transitioning",
 *                     "offline", "lba-dependent" or "" when the LU has no ALUA
 * @param group        PG number this path is in
 * @param adminFailed  failed by an operator (fail path): the checker will not reinstate it
 * @param carryingIo   the selector chose it for I/O in the last second
 * @param lastChange   ISO-8601 instant of the last state change ("" if none)
 * @param lastCause    why it changed ("tur checker reports path is down", "message fail_path", ...)
 * @param counters     I/O counters
 */
public record PathView(String map, String dev, String devT, String hcil, String portal, String target, String isid, int tsih,
                       int lun, String wwid, String dmState, String checkerState, String onlineState, String checker,
                       int checkTick, int checkInterval, String prioritizer, int priority, int aluaTpg,
                       String aluaState, int group,
                       boolean adminFailed, boolean carryingIo, String lastChange, String lastCause,
                       PathCounters counters) {
}
