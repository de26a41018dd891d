package io.mpathgw.dm.engine;

/**
 * The events a map raises (spec §4.8), called on the map thread. A DM table event follows every path failure and
 * reinstatement, bypass change and switch_group; path failures and reinstatements also raise a uevent.
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
}
