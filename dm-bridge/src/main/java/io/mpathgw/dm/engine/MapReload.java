package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.QueueMode;
import io.mpathgw.dm.table.TableException;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A table reload of a running map ({@link MultipathDevice#reload(TableReload)}): checks, noflush suspend and drain,
 * the swap, resume. One at a time; map thread only.
 */
final class MapReload {

    private final MultipathDevice m;
    private final boolean hasActivator;
    private boolean inProgress;

    MapReload(MultipathDevice m, boolean hasActivator) {
        this.m = m;
        this.hasActivator = hasActivator;
    }

    boolean inProgress() {
        return inProgress;
    }

    /** The new table, built and checked before the map is touched. */
    private record Prepared(TableReload reload, List<PriorityGroup> groups, Map<String, PathStats> stats) {
    }

    CompletionStage<Void> start(TableReload r) {
        Prepared p;
        try {
            p = prepare(r);
        } catch (TableException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        inProgress = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        m.suspend(true).whenComplete((v, e) -> {
            // the suspend completes on the map thread once nothing is on a path and no activation runs
            RuntimeException failed = null;
            try {
                swap(p);
            } catch (RuntimeException ex) {     // a broken selector or event listener: never stay suspended
                failed = ex;
            }
            inProgress = false;
            m.resume();
            if (failed != null) done.completeExceptionally(failed);
            else done.complete(null);
        });
        return done;
    }

    private Prepared prepare(TableReload r) throws TableException {
        if (inProgress)
            throw new IllegalStateException("map " + m.name() + ": a reload is in progress (expected: one at a time;"
                    + " reload again when it completed)");
        if (!m.isRunning())
            throw new IllegalStateException("map " + m.name() + " is suspended (expected: a running map; resume it"
                    + " before a reload)");
        if (r.lengthSectors() != m.length())
            throw new IllegalArgumentException("map " + m.name() + ": reload length: " + r.lengthSectors()
                    + " sectors (expected: " + m.length() + ", the map's length; a reload does not resize)");
        MultipathTable next = r.table();
        QueueMode was = m.features.queueMode();
        QueueMode now = next.features().queueMode();
        if (was != now) {
            String line = "can't change device type (old=" + dmType(was) + " vs new=" + dmType(now)
                    + ") after initial table load.";
            m.log.line("device-mapper: ioctl: " + line);
            throw new TableException(line, "queue_mode: " + name(now) + " (expected: " + name(was)
                    + ", the first table's)");
        }
        if (next.hwHandler().present() && !hasActivator)
            throw new IllegalStateException("map " + m.name() + ": hardware handler " + next.hwHandler().name()
                    + " (expected: a map built with an activator to run pg_init)");
        Map<String, PathStats> stats = new HashMap<>(m.pathStats);
        List<PriorityGroup> groups = MultipathDevice.buildGroups(next, stats);
        Set<String> names = new LinkedHashSet<>();
        for (PriorityGroup pg : groups) for (Path p : pg.paths) names.add(p.name());
        stats.keySet().retainAll(names);
        for (String f : r.failedPaths())
            if (!names.contains(f))
                throw new IllegalArgumentException("map " + m.name() + ": reload failed path: '" + f
                        + "' (expected: a path of the new table: " + String.join(", ", names) + ")");
        return new Prepared(r, groups, stats);
    }

    /** dm's DM_TYPE_* of a multipath table: bio-based 1, request-based 2. */
    private static int dmType(QueueMode mode) {
        return mode == QueueMode.BIO ? 1 : 2;
    }

    private static String name(QueueMode mode) {
        return mode == QueueMode.BIO ? "bio" : "rq";
    }

    /** The map is suspended and quiet: nothing on a path, no activation, requests only in its queues. */
    private void swap(Prepared p) {
        MultipathTable next = p.reload().table();
        int before = m.nrValidPaths;
        Map<String, Path> old = new HashMap<>();
        for (PriorityGroup pg : m.groups) for (Path o : pg.paths) old.putIfAbsent(o.name(), o);

        m.features = next.features();
        m.hwHandler = next.hwHandler();
        m.groups = p.groups();
        m.pathStats = p.stats();
        boolean keep = p.reload().pathStates() == TableReload.PathStates.KEPT;
        int valid = 0;
        for (PriorityGroup pg : m.groups)
            for (Path n : pg.paths) {
                Path o = keep ? old.get(n.name()) : null;
                if (o != null) {
                    n.failCount = o.failCount;
                    if (!o.active) {
                        pg.selector.failPath(n);
                        n.active = false;
                    }
                }
                if (n.active) valid++;
            }
        m.nrValidPaths = valid;
        loaded(next);
        m.messages = m.newMessages();

        TableReload r = p.reload();
        if (r.noPathRetry() != null || r.checkInterval() != null)
            m.noPath.reconfigure(r.noPathRetry() != null ? r.noPathRetry() : m.noPath.retry(),
                    r.checkInterval() != null ? r.checkInterval().toMillis() : m.noPath.checkIntervalMillis());
        boolean queue = m.noPath.queueIfNoPathAtReload(next.features().queueIfNoPath());
        m.savedQueueIfNoPath = false;           // the new target's own flags: nothing saved
        m.setQueueIfNoPath(queue, false, "table reload");
        if (before > 0 && valid == 0) m.noPath.lastPathLost();
        else if (before == 0 && valid > 0) m.noPath.pathRestored();
        else if (valid == 0) m.noPath.reloadedWithoutPath();

        for (PriorityGroup pg : m.groups)
            for (Path n : pg.paths)
                if (p.reload().failedPaths().contains(n.name())) m.failPath(n, "known down at reload");
        m.counters.mapLoads++;
        m.events().tableLoaded(m.counters.mapLoads);
    }

    /** Spec §1.8: the pg_init and PG state of a freshly loaded table. */
    private void loaded(MultipathTable next) {
        m.nextPg = MultipathDevice.initialGroup(m.groups, next.initialPg());
        m.forgetCurrent();
        m.queueIo = true;
        m.pgInitRequired = false;
        m.pgInitDelayRetry = false;
        m.pgInitDisabled = false;
        m.pgInitCount = 0;
    }
}
