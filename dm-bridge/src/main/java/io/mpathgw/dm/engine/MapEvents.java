package io.mpathgw.dm.engine;

/**
 * The events a map raises, called on the map thread; implementations must not block. The kernel's (spec §4.8): a DM
 * table event follows every path failure and reinstatement, bypass change and switch_group, and path failures and
 * reinstatements also raise a uevent. mpathgw adds the state changes an operator wants to see with their cause:
 * path failed or reinstated and why, current group switched, pg_init results, queue_if_no_path switched on or off
 * (messages, suspend, no_path_retry, timeouts), I/O held for lack of a path, and a table reloaded.
 */
public interface MapEvents {

    MapEvents NONE = new MapEvents() {
    };

    /** event_nr was incremented (what DM_DEV_WAIT waits for). */
    default void tableEvent(long eventNr) {
    }

    /** KOBJ_CHANGE uevent: {@code action} is PATH_FAILED or PATH_REINSTATED. */
    default void pathEvent(String action, Path path, int nrValidPaths) {
    }

    /**
     * A path went from active to failed. {@code cause}: "message fail_path", "I/O error TRANSPORT: …",
     * "pg_init error 14", …
     */
    default void pathFailed(Path path, String cause, int nrValidPaths) {
    }

    /** A failed path became active again ({@code cause}: "message reinstate_path", …). */
    default void pathReinstated(Path path, String cause, int nrValidPaths) {
    }

    /** __switch_pg: {@code to} became the current group ({@code from} null when there was none). */
    default void groupSwitched(PriorityGroup from, PriorityGroup to) {
    }

    /** pg_init_done for one path: the {@link ScsiDh} code the activation ended with. */
    default void pgInitDone(Path path, int scsiDhResult) {
    }

    /** queue_if_no_path was switched {@code on} or off; {@code cause} names who did it. */
    default void queueIfNoPath(boolean on, String cause) {
    }

    /**
     * The map started ({@code holding}) or stopped holding I/O because no path is usable; {@code queued} is the
     * number of requests it holds at that moment.
     */
    default void noPathQueueing(boolean holding, int queued, String cause) {
    }

    /**
     * A reload swapped in a new table ({@link MultipathDevice#reload(TableReload)}), before the map resumes;
     * {@code mapLoads} counts the tables loaded so far, the first included (multipathd's map_loads).
     */
    default void tableLoaded(long mapLoads) {
    }
}
