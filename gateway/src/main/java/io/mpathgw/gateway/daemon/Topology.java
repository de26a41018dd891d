package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.DeviceLookup;
import io.mpathgw.dm.table.PathIds;
import io.mpathgw.gateway.check.PathState;
import io.mpathgw.gateway.model.PathCounters;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.initiator.DiscoveredTarget;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Isid;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionListener;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.initiator.TargetAddress;
import io.mpathgw.scsi.Lun;
import io.mpathgw.scsi.ReportLuns;
import io.mpathgw.scsi.Sense;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * iscsid's half and the map-forming half of multipathd: SendTargets discovery, one session per target portal (or N),
 * the LUN scan of each session, Linux names for the paths, and one map per WWID. Control plane only: runs on the
 * starting thread, on session event loops (listeners) and on common pool threads; the shared registries are
 * concurrent and the map planning is serialised by {@link #planLock}.
 */
final class Topology {

    private final Gateway g;
    private final List<GatewaySession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, GatewayPath> byDev = new ConcurrentHashMap<>();
    private final Map<String, GatewayPath> byDevT = new ConcurrentHashMap<>();
    private final Map<String, GatewayMap> mapsByName = new ConcurrentHashMap<>();
    private final Map<String, GatewayMap> mapsByWwid = new ConcurrentHashMap<>();
    private final List<GatewayMap> mapOrder = new CopyOnWriteArrayList<>();
    private final List<GatewayPath> unmapped = new CopyOnWriteArrayList<>();
    /** Paths of a WWID no path could read the capacity of yet, by WWID; under planLock. */
    private final Map<String, List<GatewayPath>> waitingForCapacity = new LinkedHashMap<>();
    private final AtomicInteger diskIndex = new AtomicInteger();
    private final AtomicInteger hostNo = new AtomicInteger(1);
    private final AtomicInteger dmIndex = new AtomicInteger();
    private final Object planLock = new Object();
    private volatile boolean discovered;

    Topology(Gateway g) {
        this.g = g;
    }

    List<GatewaySession> sessions() {
        return sessions;
    }

    List<GatewayMap> maps() {
        return mapOrder;
    }

    GatewayMap map(String name) {
        return name == null ? null : mapsByName.get(name);
    }

    /** By dev ("sdb") or dev_t ("8:16", any spelling the kernel accepts). */
    GatewayPath path(String word) {
        if (word == null) return null;
        GatewayPath p = byDev.get(word);
        if (p != null) return p;
        String canonical = PathIds.canonical(word);
        return canonical == null ? null : byDevT.get(canonical);
    }

    int indexOf(String dev) {
        GatewayPath p = byDev.get(dev);
        return p == null ? Integer.MAX_VALUE : p.index;
    }

    /** fail_path/reinstate_path words: a dev name or a dev_t of any path of the gateway (dm_get_device). */
    DeviceLookup lookup() {
        return word -> {
            GatewayPath p = byDev.get(word);
            if (p != null) return p.devT;
            return DeviceLookup.known(byDevT.keySet()).resolve(word);
        };
    }

    List<PathView> unmappedViews() {
        List<PathView> out = new ArrayList<>();
        for (GatewayPath p : unmapped) {
            GatewaySession s = p.session;
            out.add(new PathView("", p.dev, p.devT, p.hcil(), s.portal(), s.target(), Isid.format(s.session().isid()),
                    s.session().tsih(), p.id.lun(), p.id.wwid(), "undef", "undef",
                    s.loggedIn() ? "running" : "offline", "", 0, 0, "", -1, p.id.tpg(), "", 0, false, false, "",
                    p.unmappedWhy, new PathCounters(0, 0, 0, 0, 0, 0, 0)));
        }
        return out;
    }

    // ---------------------------------------------------------------- discovery

    void discover(long deadlineNanos) throws InterruptedException {
        // one entry per (target portal, target): SendTargets on several portals of one array lists the same ones
        Map<String, Target> targets = new LinkedHashMap<>();
        for (GatewaySetup.Portal p : g.setup.portals()) {
            List<Target> found = p.target().isPresent()
                    ? List.of(new Target(p, p.address(), tpgtOf(p, deadlineNanos), p.target().get()))
                    : sendTargets(p, deadlineNanos);
            for (Target t : found) targets.putIfAbsent(t.address() + " " + t.name(), t);
        }
        for (Target t : targets.values())
            for (int i = 0; i < g.setup.sessionsPerPortal(); i++) open(t);
        awaitFirstAttempts(deadlineNanos);
        List<CompletableFuture<List<LunIdentity>>> scans = new ArrayList<>();
        List<GatewaySession> scanned = new ArrayList<>();
        for (GatewaySession s : sessions) {
            if (s.loggedIn()) {
                scans.add(scan(s));
                scanned.add(s);
            } else {
                g.events.add("LOGIN_FAILED", "", "", s.portal() + " " + s.target() + ": " + s.session().lastFailure()
                        + "; the session keeps trying and joins when it logs in");
            }
        }
        List<GatewayPath> fresh = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            GatewaySession s = scanned.get(i);
            try {
                List<LunIdentity> ids = scans.get(i).get(remaining(deadlineNanos).toMillis(), TimeUnit.MILLISECONDS);
                fresh.addAll(addPaths(s, ids));
            } catch (Exception e) {
                g.events.add("SCAN_FAILED", "", "", s.portal() + " " + s.target() + ": " + e
                        + "; scanning again in " + RESCAN_DELAY.toMillis() + " ms");
                s.scanned = false;
                rescanSessionLater(s);
            }
        }
        CompletableFuture<Void> loads = plan(fresh);
        discovered = true;
        try {
            loads.get(remaining(deadlineNanos).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // maps still forming (or one failed, with its event): start() returns anyway
        }
    }

    /** Until every session logged in, or failed its first attempt (it retries on its own), or the deadline. */
    private void awaitFirstAttempts(long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() - deadlineNanos < 0) {
            if (sessions.stream().allMatch(s -> s.attempted || s.session().state() != SessionState.LOGGING_IN)) return;
            Thread.sleep(5);
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000L, deadlineNanos - System.nanoTime()));
    }

    /** A target portal to log into; tpgt -1 when no SendTargets gave it (a portal configured with its target). */
    private record Target(GatewaySetup.Portal spec, InetSocketAddress address, int tpgt, String name) {
    }

    /**
     * The portal group tag of a portal configured with its target (no discovery asked for): what a SendTargets
     * discovery session to the same portal lists for that target at that address, as iscsiadm records it; -1 (the
     * portal shown without ",tpgt") when the portal answers no discovery. A discovery session, not the normal one:
     * tgt drops a normal session that sends SendTargets.
     */
    private int tpgtOf(GatewaySetup.Portal p, long deadlineNanos) throws InterruptedException {
        Session d = Session.open(config(p, p.address(), null).build(), g.group);
        try {
            d.awaitLoggedIn(remaining(deadlineNanos));
            for (DiscoveredTarget t : d.sendTargets("All")
                    .get(remaining(deadlineNanos).toMillis(), TimeUnit.MILLISECONDS)) {
                if (!t.name().equals(p.target().get())) continue;
                for (TargetAddress a : t.addresses())
                    if (a.tpgt() >= 0 && a.socketAddress().equals(p.address())) return a.tpgt();
            }
            return -1;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return -1;
        } finally {
            d.logout().orTimeout(2, TimeUnit.SECONDS).whenComplete((v, e) -> d.close());
        }
    }

    private List<Target> sendTargets(GatewaySetup.Portal p, long deadlineNanos) throws InterruptedException {
        Session d = Session.open(config(p, p.address(), null).build(), g.group);
        try {
            d.awaitLoggedIn(remaining(deadlineNanos));
            List<DiscoveredTarget> found = d.sendTargets("All").get(remaining(deadlineNanos).toMillis(),
                    TimeUnit.MILLISECONDS);
            List<Target> out = new ArrayList<>();
            for (DiscoveredTarget t : found)
                for (TargetAddress a : t.addresses()) out.add(new Target(p, a.socketAddress(), a.tpgt(), t.name()));
            g.events.add("DISCOVERY", "", "", "SendTargets on " + p.address().getHostString() + ":"
                    + p.address().getPort() + ": " + out.size() + " target portals");
            return out;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            g.events.add("DISCOVERY_FAILED", "", "", "SendTargets on " + p.address() + ": " + e.getMessage());
            return List.of();
        } finally {
            d.logout().orTimeout(2, TimeUnit.SECONDS).whenComplete((v, e) -> d.close());
        }
    }

    private InitiatorConfig.Builder config(GatewaySetup.Portal spec, InetSocketAddress address, String target) {
        GatewaySetup s = g.setup;
        InitiatorConfig.Builder b = InitiatorConfig.builder(address, target).initiatorName(s.initiatorName())
                .nopInterval(s.nopInterval()).nopTimeout(s.nopTimeout()).loginTimeout(s.loginTimeout())
                .commandTimeout(s.commandTimeout()).reconnectCap(s.reconnectCap());
        if (spec.chapUser().isPresent()) b.chap(spec.chapUser().get(), spec.chapSecret().orElseThrow());
        if (spec.mutualUser().isPresent()) b.mutualChap(spec.mutualUser().get(), spec.mutualSecret().orElseThrow());
        return b.headerDigest(s.headerDigest()).dataDigest(s.dataDigest());
    }

    private void open(Target t) {
        AtomicReference<GatewaySession> ref = new AtomicReference<>();
        SessionListener listener = new SessionListener() {
            @Override
            public void stateChanged(Session session, SessionState from, SessionState to, String cause) {
                GatewaySession gs = ref.get();
                if (gs != null) Topology.this.stateChanged(gs, from, to, cause);
            }

            /** A unit attention from the array (e.g. 2A/06 ALUA state changed): check the LU's path now. */
            @Override
            public void asyncSense(Session session, long lun, Sense sense) {
                GatewaySession gs = ref.get();
                if (gs == null) return;
                Lun l = new Lun(lun);
                if (!l.decodable()) return;
                for (GatewayPath p : gs.paths) {
                    GatewayMap m = p.map;
                    if (m == null || p.id.lun() != l.number()) continue;
                    g.events.add("ASYNC_SENSE", m.name, p.dev, "async event: " + sense + "; checking now");
                    m.thread.execute(() -> m.checker.checkNow(p));
                }
            }
        };
        Session s = Session.open(config(t.spec(), t.address(), t.name()).build(), g.group, listener);
        GatewaySession gs = new GatewaySession(s, hostNo.getAndIncrement(), t.address(), t.tpgt(), t.name());
        ref.set(gs);
        sessions.add(gs);
    }

    /** On the session's event loop: a lost connection fails its paths now; a login scans or re-checks WWIDs. */
    private void stateChanged(GatewaySession s, SessionState from, SessionState to, String cause) {
        if (to != SessionState.LOGGING_IN) s.attempted = true;
        if (to == SessionState.LOGGED_IN) {
            g.events.add("LOGIN", "", "", s.portal() + " " + s.target() + ": " + cause);
            if (!s.scanned && discovered) lateScan(s);
            else if (s.scanned) recheckWwids(s);
            return;
        }
        if (from == SessionState.LOGGED_IN) {
            if (to == SessionState.RECOVERING) s.reconnects++;
            g.events.add(to == SessionState.CLOSED ? "LOGOUT" : "CONNECTION_LOST", "", "",
                    s.portal() + " " + s.target() + ": " + cause);
            for (GatewayPath p : s.paths) {
                GatewayMap m = p.map;
                if (m != null) m.thread.execute(() -> m.checker.sessionLost(p, cause));
            }
        }
    }

    /** A relogin: a path whose LU now reports another WWID is failed and removed, never mixed in. */
    private void recheckWwids(GatewaySession s) {
        for (GatewayPath p : s.paths) {
            GatewayMap m = p.map;
            if (m == null) continue;
            LunIdentity.wwid(p.transport, m.settings.checkerTimeout()).whenComplete((wwid, e) ->
                    m.thread.execute(() -> {
                        if (wwid != null && !wwid.equals(p.id.wwid())) {
                            p.removed = true;
                            p.state = PathState.DOWN;
                            p.lastCause = "WWID changed from " + p.id.wwid() + " to " + (wwid.isEmpty() ? "none" : wwid);
                            g.events.add("PATH_REMOVED", m.name, p.dev, p.lastCause + ": failed and removed");
                            m.checker.failInMap(p, p.lastCause);
                            m.reload("path " + p.dev + " removed: " + p.lastCause).whenComplete((v, e2) -> {
                                if (e2 == null) {
                                    m.pathIo.unbind(p.devT);
                                    m.activator.unbind(p.devT);
                                }
                            });
                        } else {
                            m.checker.checkNow(p);
                        }
                    }));
        }
    }

    /** A whole scan failed (REPORT LUNS): again a second later while logged in; a relogin scans anyway. */
    private void rescanSessionLater(GatewaySession s) {
        s.session().eventLoop().schedule(() -> {
            if (s.loggedIn() && !s.scanned) lateScan(s);
        }, RESCAN_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void lateScan(GatewaySession s) {
        s.scanned = true;
        scan(s).whenComplete((ids, e) -> {
            if (e != null) {
                s.scanned = false;
                g.events.add("SCAN_FAILED", "", "", s.portal() + " " + s.target() + ": " + e
                        + "; scanning again in " + RESCAN_DELAY.toMillis() + " ms");
                rescanSessionLater(s);
                return;
            }
            synchronized (planLock) {
                plan(addPaths(s, ids));
            }
        });
    }

    /**
     * REPORT LUNS through LUN 0, then the identity of each LUN. A LUN whose identity cannot be read now (e.g. a
     * command timed out) is scanned again a second later, and again, while the session stays logged in: a path
     * that missed its scan must not stay out of its map until the next relogin.
     */
    private CompletableFuture<List<LunIdentity>> scan(GatewaySession s) {
        s.scanned = true;
        Duration timeout = g.setup.commandTimeout();
        return ScsiQueries.reportLuns(s.session().lun(0), timeout).thenApply(ReportLuns::parse).thenCompose(luns -> {
            List<Integer> numbers = new ArrayList<>();
            for (Lun l : luns) numbers.add(l.number());
            return probe(s, numbers, timeout);
        });
    }

    /** The identities of {@code luns}; those that fail are probed again later ({@link #rescanLater}). */
    private CompletableFuture<List<LunIdentity>> probe(GatewaySession s, List<Integer> luns, Duration timeout) {
        List<CompletableFuture<LunIdentity>> ids = new ArrayList<>();
        Set<Integer> failed = ConcurrentHashMap.newKeySet();
        for (int n : luns) {
            ids.add(LunIdentity.probe(s.session().lun(n), n, timeout)
                    .exceptionally(e -> {
                        g.events.add("SCAN_FAILED", "", "", s.portal() + " lun " + n + ": " + e.getMessage()
                                + "; scanning it again in " + RESCAN_DELAY.toMillis() + " ms");
                        failed.add(n);
                        return null;
                    }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new));
        all.thenRun(() -> {
            if (!failed.isEmpty()) rescanLater(s, failed);
        });
        return all.thenApply(v -> ids.stream()
                .map(CompletableFuture::join).filter(id -> id != null)
                .sorted(Comparator.comparingInt(LunIdentity::lun)).toList());
    }

    /** A failed LUN of a scan is tried again after this (multipathd's one-second tick). */
    private static final Duration RESCAN_DELAY = Duration.ofSeconds(1);

    /**
     * Probes the LUNs that failed their scan again, each second while the session is logged in or logging in again,
     * until they have a path.
     */
    private void rescanLater(GatewaySession s, Set<Integer> failed) {
        s.session().eventLoop().schedule(() -> {
            if (s.session().state() == SessionState.CLOSED || !s.scanned) return;     // a new login scans it all
            if (!s.loggedIn()) {
                rescanLater(s, failed);
                return;
            }
            List<Integer> missing = new ArrayList<>();
            for (int n : failed) if (s.paths.stream().noneMatch(p -> p.id.lun() == n)) missing.add(n);
            if (missing.isEmpty()) return;
            probe(s, missing, g.setup.commandTimeout()).thenAccept(ids -> {
                if (ids.isEmpty()) return;
                synchronized (planLock) {
                    plan(addPaths(s, ids));
                }
            });
        }, RESCAN_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<GatewayPath> addPaths(GatewaySession s, List<LunIdentity> ids) {
        List<GatewayPath> out = new ArrayList<>();
        for (LunIdentity id : ids) {
            int index = diskIndex.getAndIncrement();
            GatewayPath p = new GatewayPath(index, DevNames.dev(index), DevNames.devT(index), s, id);
            byDev.put(p.dev, p);
            byDevT.put(p.devT, p);
            s.paths.add(p);
            out.add(p);
        }
        return out;
    }

    // ---------------------------------------------------------------- maps

    /** Groups new paths by WWID into new maps; completes when those maps are loaded. */
    private CompletableFuture<Void> plan(List<GatewayPath> fresh) {
        synchronized (planLock) {
            Map<String, List<GatewayPath>> byWwid = new LinkedHashMap<>();
            Policies policies = g.policies;
            for (GatewayPath p : fresh) {
                var inq = p.id.inquiry();
                if (p.id.wwid().isEmpty()) unmap(p, "no WWID: VPD 0x83 has no usable designator");
                else if (policies.blacklisted(inq.vendor(), inq.product(), p.id.wwid(), p.dev))
                    unmap(p, "blacklisted");
                else byWwid.computeIfAbsent(p.id.wwid(), w -> new ArrayList<>()).add(p);
            }
            List<CompletableFuture<?>> loads = new ArrayList<>();
            for (var e : byWwid.entrySet()) {
                GatewayMap existing = mapsByWwid.get(e.getKey());
                if (existing != null) {
                    for (GatewayPath p : e.getValue()) join(existing, p);
                    continue;
                }
                List<GatewayPath> paths = withCapacity(e.getKey(), e.getValue());
                if (!paths.isEmpty()) loads.add(create(e.getKey(), paths, policies));
            }
            return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
        }
    }

    /**
     * A new map's paths, with the capacity filled in for those whose port refused READ CAPACITY (ALUA standby or
     * unavailable): the capacity another path of the LU read. When none could read it yet, the paths wait (unmapped,
     * with the reason) and form the map with the first path of that WWID that reads it. Under planLock.
     */
    private List<GatewayPath> withCapacity(String wwid, List<GatewayPath> fresh) {
        List<GatewayPath> paths = new ArrayList<>();
        List<GatewayPath> parked = waitingForCapacity.remove(wwid);
        if (parked != null) {
            unmapped.removeAll(parked);
            for (GatewayPath p : parked) p.unmappedWhy = "";
            paths.addAll(parked);
        }
        paths.addAll(fresh);
        GatewayPath known = paths.stream().filter(p -> p.id.capacityKnown()).findFirst().orElse(null);
        if (known == null) {
            waitingForCapacity.put(wwid, paths);
            for (GatewayPath p : fresh)
                unmap(p, "capacity unknown: READ CAPACITY refused with NOT READY (port in standby or unavailable); "
                        + "joins its map when a path of this LU reads it");
            return List.of();
        }
        for (GatewayPath p : paths)
            if (!p.id.capacityKnown()) p.id = p.id.withCapacity(known.id.capacity());
        paths.sort(Comparator.comparingInt((GatewayPath p) -> p.index));
        return paths;
    }

    private CompletableFuture<?> create(String wwid, List<GatewayPath> paths, Policies policies) {
        long sectors = paths.get(0).id.sectors();
        List<GatewayPath> same = new ArrayList<>();
        for (GatewayPath p : paths) {
            if (p.id.sectors() == sectors) same.add(p);
            else unmap(p, "capacity " + p.id.sectors() + " sectors (expected: " + sectors + " as the map's other paths)");
        }
        var inq = same.get(0).id.inquiry();
        MapSettings settings = policies.settingsFor(inq.vendor(), inq.product(), inq.revision(), wwid, inq.alua());
        Set<String> taken = new HashSet<>(mapsByName.keySet());
        String name = policies.mapName(wwid, taken);
        GatewayMap m = new GatewayMap(g.ctx, name, wwid, "dm-" + dmIndex.getAndIncrement(), settings, same);
        mapsByName.put(name, m);
        mapsByWwid.put(wwid, m);
        mapOrder.add(m);
        return m.load().whenComplete((v, e) -> {
            if (e == null) return;
            g.events.add("MAP_FAILED", name, "", "map " + name + " (" + wwid + ") not created: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            mapsByName.remove(name, m);
            mapsByWwid.remove(wwid, m);
            mapOrder.remove(m);
            for (GatewayPath p : same) unmap(p, "its map failed to load");
        });
    }

    /** A path found after its LU's map was made: same capacity, then the map reloads with it. */
    private void join(GatewayMap m, GatewayPath p) {
        if (!p.id.capacityKnown()) p.id = p.id.withCapacity(m.lu.capacity());    // a standby port's path
        m.thread.execute(() -> {
            long sectors = m.lu.sectors();
            if (p.id.sectors() != sectors)
                unmap(p, "capacity " + p.id.sectors() + " sectors (expected: " + sectors + " as map " + m.name + ")");
            else m.addPath(p, "path " + p.dev + " added");
        });
    }

    private void unmap(GatewayPath p, String why) {
        p.map = null;
        p.unmappedWhy = why;
        unmapped.add(p);
        g.events.add("PATH_UNMAPPED", "", p.dev, p.dev + " (" + p.id.wwid() + "): " + why);
    }

    /** After reconfigure: each map takes its new settings (timers, checker, failback, queueing at once). */
    CompletableFuture<Void> replan(Policies policies) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (GatewayMap m : mapOrder) {
            var inq = m.lu.inquiry();
            MapSettings next = policies.settingsFor(inq.vendor(), inq.product(), inq.revision(), m.wwid,
                    inq.alua());
            fs.add(m.onThread(() -> {
                m.reconfigure(next);
                return null;
            }));
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
    }
}
