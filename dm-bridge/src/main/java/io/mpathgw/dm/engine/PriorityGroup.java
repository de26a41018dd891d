package io.mpathgw.dm.engine;

import io.mpathgw.dm.selector.PathSelector;
import io.mpathgw.dm.selector.PathSelectorType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One priority group of a map (struct priority_group): number, selector instance, paths, bypass flag. */
public final class PriorityGroup {

    private final int pgNum;
    final PathSelectorType type;
    final PathSelector selector;
    final List<Path> paths = new ArrayList<>();
    boolean bypassed;

    PriorityGroup(int pgNum, PathSelectorType type, PathSelector selector) {
        this.pgNum = pgNum;
        this.type = type;
        this.selector = selector;
    }

    /** 1-based, in table order. */
    public int pgNum() {
        return pgNum;
    }

    /** Set by disable_group and by a TEMP_BUSY pg_init; shown as D in status (spec §2.1). */
    public boolean isBypassed() {
        return bypassed;
    }

    public List<Path> paths() {
        return Collections.unmodifiableList(paths);
    }

    public String selectorName() {
        return type.name();
    }
}
