package io.mpathgw.dm.engine;

import io.mpathgw.dm.selector.SelectorPath;

/** choose_pgpath and __switch_pg (spec §4.3), on the map's state. */
final class PathChoice {

    private final MultipathDevice m;

    PathChoice(MultipathDevice m) {
        this.m = m;
    }

    /** The path for a request of {@code nrBytes}, or null: no valid path anywhere, or no selector yields one. */
    Path choose(long nrBytes) {
        if (m.nrValidPaths == 0) {
            m.queueIo = false;
            m.forgetCurrent();
            return null;
        }
        // Linux 6.1 (the kernel-golden kernel) consumes next_pg before asking current_pg; the two are never both set
        // outside a path probe, which mpathgw does not implement, so the order of spec §4.3 gives the same result.
        if (m.nextPg != null) {
            PriorityGroup next = m.nextPg;
            m.nextPg = null;
            Path p = chooseIn(next, nrBytes);
            if (p != null) return p;
        }
        if (m.currentPg != null) {
            Path p = chooseIn(m.currentPg, nrBytes);
            if (p != null) return p;
        }
        Path p = scan(false, nrBytes);
        if (p == null) {
            p = scan(true, nrBytes);
            // bypassed groups are tried only after all others, and then pg_init is not hammered
            if (p != null) m.pgInitDelayRetry = true;
        }
        if (p == null) m.forgetCurrent();
        return p;
    }

    /** One pass over the groups in table order, considering only those whose bypass flag is {@code bypassed}. */
    private Path scan(boolean bypassed, long nrBytes) {
        for (PriorityGroup pg : m.groups) {
            if (pg.bypassed != bypassed) continue;
            Path p = chooseIn(pg, nrBytes);
            if (p != null) return p;
        }
        return null;
    }

    /** choose_path_in_pg: current_pgpath is recorded only when the group changes. */
    private Path chooseIn(PriorityGroup pg, long nrBytes) {
        SelectorPath chosen = pg.selector.selectPath(nrBytes);
        if (chosen == null) return null;
        Path p = (Path) chosen;
        if (m.currentPg != pg) {
            m.currentPath = p;
            switchPg(pg);
        }
        return p;
    }

    /** __switch_pg: with a hardware handler the new group needs pg_init before any I/O. */
    private void switchPg(PriorityGroup pg) {
        PriorityGroup from = m.currentPg;
        m.currentPg = pg;
        boolean handler = m.hwHandler.present();
        m.pgInitRequired = handler;
        m.queueIo = handler;
        m.pgInitCount = 0;
        m.counters.groupChosen(pg.pgNum());
        m.events().groupSwitched(from, pg);
    }
}
