package io.mpathgw.dm.engine;

import io.mpathgw.dm.selector.SelectorPath;

/**
 * One path entry of a map (struct pgpath): its name as tables print it, its group, and the kernel's per-path state
 * (spec §4.1). A device listed twice in a table is two entries. Touched only on the map's thread.
 */
public final class Path implements SelectorPath {

    private final String name;
    private final PriorityGroup group;
    boolean active = true;
    int failCount;
    /** An activation (pg_init of this path) is scheduled and has not started yet. */
    boolean activationQueued;

    Path(String name, PriorityGroup group) {
        this.name = name;
        this.group = group;
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

    /** Active→failed transitions since the table was loaded; never reset (spec §2.1). */
    public int failCount() {
        return failCount;
    }

    @Override
    public String toString() {
        return name;
    }
}
