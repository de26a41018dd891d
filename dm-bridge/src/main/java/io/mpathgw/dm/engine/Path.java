package io.mpathgw.dm.engine;

import io.mpathgw.dm.selector.SelectorPath;

/**
 * One path entry of a map (struct pgpath): its name as tables print it, its group, and the kernel's per-path state
 * (spec §4.1). A device listed twice in a table is two entries. Touched only on the map's thread.
 */
public final class Path implements SelectorPath {

    private final String name;
    private final PriorityGroup group;
    private final PathStats stats;
    boolean active = true;
    int failCount;
    /** An activation (pg_init of this path) is scheduled and has not started yet. */
    boolean activationQueued;
    /** Requests of this map sent down this path and not completed yet. */
    int inFlight;
    /**
     * The last attempt that ended here was refused for a full queue (DEV_RESOURCE), and none was sent here since;
     * cleared by any other end.
     */
    boolean refusedFull;

    Path(String name, PriorityGroup group, PathStats stats) {
        this.name = name;
        this.group = group;
        this.stats = stats;
    }

    @Override
    public String name() {
        return name;
    }

    public PriorityGroup group() {
        return group;
    }

    /** A in status; F once failed, until reinstated. */
    public boolean isActive() {
        return active;
    }

    /**
     * Active→failed transitions since the table was loaded; never reset (spec §2.1). A reload keeps it for a device
     * in both tables unless told to start afresh as the kernel does ({@link TableReload.PathStates}).
     */
    public int failCount() {
        return failCount;
    }

    /** Requests of this map sent down this path and not completed yet. Map thread. */
    public int inFlight() {
        return inFlight;
    }

    /** This device's counters (shared by its entries, kept across reloads). Map thread. */
    public PathStats stats() {
        return stats;
    }

    /**
     * pgpath_busy (blk_lld_busy): the path's transport is at its queue depth. We see that when it refuses a command
     * with back-pressure ({@link BlkStatus#DEV_RESOURCE}); it stays busy while requests of ours are still in flight
     * on it, until the first of them completes and frees a slot (blk-mq restarts a queue on a completion the same
     * way) or the map tries it again. Without requests in flight nothing would ever clear it, so a path with none
     * is never busy.
     */
    boolean busy() {
        return refusedFull && inFlight > 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
