package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.MapStats;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PathStats;
import io.mpathgw.dm.engine.PriorityGroup;
import io.mpathgw.gateway.group.PlannedGroup;
import io.mpathgw.gateway.model.GroupView;
import io.mpathgw.gateway.model.MapCounters;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathCounters;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.initiator.Isid;
import io.mpathgw.iscsi.initiator.SessionState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a map's snapshots on its thread (after every change, and at least every second) and publishes them in the
 * map's volatile fields, which is all the API ever reads.
 */
final class MapViews {

    private final GatewayMap m;
    private long lastNanos = System.nanoTime();

    MapViews(GatewayMap m) {
        this.m = m;
    }

    void publish() {
        if (m.device == null) return;
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        boolean rates = now - lastNanos >= 500_000_000L;
        List<GroupView> groups = new ArrayList<>();
        List<PathView> all = new ArrayList<>();
        int active = 0;
        for (PriorityGroup pg : m.device.groups()) {
            List<PathView> pvs = new ArrayList<>();
            List<GatewayPath> members = new ArrayList<>();
            for (Path path : pg.paths()) {
                GatewayPath p = m.pathOf(path);
                if (p == null) continue;
                PathStats.Snapshot st = path.stats().snapshot();
                if (rates) rates(p, st, seconds);
                if (path.isActive()) active++;
                members.add(p);
                PathView v = path(p, path.isActive() ? "active" : "failed", pg.pgNum(), path.failCount(), st, now);
                pvs.add(v);
                all.add(v);
            }
            String status = switch (m.device.groupState(pg)) {
                case 'D' -> "disabled";
                case 'A' -> "active";
                default -> "enabled";
            };
            groups.add(new GroupView(pg.pgNum(), m.settings.pathSelector(),
                    PlannedGroup.priorityOf(members.stream().map(GatewayPath::groupable).toList()), status, pvs));
        }
        int inTable = all.size();
        for (GatewayPath p : m.paths)
            if (p.removed) all.add(path(p, "undef", 0, 0, null, now));
        if (rates) lastNanos = now;
        m.pathViews = List.copyOf(all);
        m.view = map(groups, active, inTable);
    }

    private static void rates(GatewayPath p, PathStats.Snapshot st, double seconds) {
        long ios = st.completed(), lat = st.latencyNanos();
        long dIos = ios - p.lastIos;
        p.iops = Math.round(dIos / seconds);
        p.latencyMicros = dIos == 0 ? 0 : (lat - p.lastLatencyNanos) / dIos / 1000;
        p.lastIos = ios;
        p.lastLatencyNanos = lat;
    }

    private PathView path(GatewayPath p, String dmState, int group, int failCount, PathStats.Snapshot st, long now) {
        GatewaySession s = p.session;
        boolean running = s.session().state() == SessionState.LOGGED_IN;
        PathCounters c = st == null ? new PathCounters(0, 0, 0, 0, failCount, 0, 0)
                : new PathCounters(st.completed(), st.bytes(), p.iops, p.latencyMicros, failCount,
                st.transportErrors(), st.pathErrors() - st.transportErrors() + st.deviceErrors());
        boolean carrying = st != null && st.lastChosenNanos() != 0 && now - st.lastChosenNanos() < 1_000_000_000L;
        return new PathView(m.name, p.dev, p.devT, p.hcil(), s.portal(), s.target(), Isid.format(s.session().isid()),
                s.session().tsih(), p.id.lun(), p.id.wwid(), dmState, p.state.displayName(),
                running ? "running" : "offline", p.checker == null ? "" : p.checker.name(),
                checkTick(p, now), seconds(p.intervalMillis),
                p.prioritizer == null ? "" : p.prioritizer.name(), p.prio.prio(), p.prio.tpgId() >= 0 ? p.prio.tpgId() : p.id.tpg(), p.prio.aluaState(),
                group, p.adminFailed, carrying, p.lastChange,
                p.lastCause, c);
    }

    /** pp->tick: whole seconds until the path's next check, at most its interval; 0 when due or pending. */
    private static int checkTick(GatewayPath p, long now) {
        if (p.removed || p.checkPending) return 0;
        long left = p.nextCheckNanos - now;
        return left <= 0 ? 0 : Math.min(seconds(p.intervalMillis), seconds(left / 1_000_000L));
    }

    /** Milliseconds as whole seconds, rounded up, as multipathd counts its one-second ticks. */
    private static int seconds(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, (Math.max(0, millis) + 999) / 1000);
    }

    private MapView map(List<GroupView> groups, int active, int total) {
        String table = m.device.dmsetupTable();
        List<String> t = Arrays.asList(m.device.table().trim().split("\\s+"));
        int nf = Integer.parseInt(t.get(0));
        String features = String.join(" ", t.subList(0, nf + 1));
        int nh = Integer.parseInt(t.get(nf + 1));
        String hw = String.join(" ", t.subList(nf + 1, nf + 2 + nh));
        MapStats st = m.device.stats();
        MapCounters counters = new MapCounters(st.pathFaults(), st.groupSwitches(), st.mapLoads(),
                st.queueingNanos() / 1_000_000_000L, st.queueingTimeouts(), st.mapFailures(), st.reads(),
                st.writes(), st.readBytes(), st.writeBytes(), st.errors(), m.device.queuedRequests(),
                m.device.inFlightRequests());
        LunIdentity id = m.paths.get(0).id;
        String[] health = health(active, total);
        return new MapView(m.name, m.wwid, m.dmName, blankAsHash(id.inquiry().vendor()),
                blankAsHash(id.inquiry().product()), id.inquiry().revision().trim(), m.device.length(),
                m.block == null ? 512 : m.block.blockSize(), features, hw, "rw", table, m.device.dmsetupStatus(),
                m.device.queueingState(), health[0], health[1], m.settings.pathSelector(), m.settings.failback(),
                m.settings.noPathRetry().toString(), active, total, List.copyOf(groups), counters);
    }

    private String[] health(int active, int total) {
        if (active == total && total > 0) {
            long ports = m.paths.stream().map(p -> p.id.tpg() >= 0 ? "tpg" + p.id.tpg() : p.session.portal())
                    .distinct().count();
            return new String[] {"Optimal", active + "/" + total + " paths, " + ports
                    + (m.paths.stream().anyMatch(p -> p.id.tpg() >= 0) ? " target port groups" : " portals")};
        }
        if (active > 0) return new String[] {"Degraded", active + "/" + total + " paths, " + active
                + (active == 1 ? " path left" : " paths left")};
        if (m.pdl) return new String[] {"Lost", "logical unit not supported on any path (PDL)"};
        if (m.device.queueIfNoPath())
            return new String[] {"Queueing", "no path; queueing " + m.device.queueingState()};
        return new String[] {"Failed", "no path; I/O fails"};
    }

    private static String blankAsHash(String s) {
        return s.isBlank() ? "##" : s.trim();
    }
}
