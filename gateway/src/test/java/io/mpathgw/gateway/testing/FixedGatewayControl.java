package io.mpathgw.gateway.testing;

import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.GroupView;
import io.mpathgw.gateway.model.Health;
import io.mpathgw.gateway.model.MapCounters;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathCounters;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.gateway.model.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A test-only {@link GatewayControl} with one fixed map (two groups of two paths) for unit-level tests of the HTTP
 * layer: JSON shape, error mapping, auth, OpenAPI. It records every action it was asked for, refuses what the daemon
 * refuses (unknown map, path or group) with the same kind of {@link ControlException}, and can be told to leave the
 * next action unanswered (a stuck map thread) or to raise events. Enabled only by {@link FixedGatewayProfile}; the
 * behaviour of the real daemon is tested over {@link SimulatorArray}.
 */
@Alternative
@ApplicationScoped
public class FixedGatewayControl implements GatewayControl {

    public static final String MAP = "mpatha";
    public static final String WWID = "36001405aabbccddeeff00112233445566";

    private final List<String> actions = new CopyOnWriteArrayList<>();
    private final List<EventView> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean hangNext;
    private volatile Health health = new Health(true, "Degraded", List.of("mpatha: Degraded: 3/4 paths"));
    private volatile long pathFaults = 7;

    public static PathView path(String dev, String devT, int group, String dmState, String alua, int prio) {
        return new PathView(MAP, dev, devT, "3:0:0:0", "127.0.0.1:3260,1", "iqn.2026-01.io.mpathgw.sim:array",
                "400001370000", 1, 0, WWID, dmState, dmState.equals("active") ? "ready" : "faulty", "running", "tur",
                4, 5, "alua", prio, group, alua, group, false, dmState.equals("active"), "2026-11-24T10:00:00Z",
                "tur checker reports path is up", new PathCounters(100 + group, 4096L * (100 + group), 5, 250, 1, 2, 3));
    }

    private List<PathView> mapPaths() {
        return List.of(path("sdb", "8:16", 1, "active", "active/optimized", 50),
                path("sdc", "8:32", 1, "failed", "active/optimized", 50),
                path("sdd", "8:48", 2, "active", "active/non-optimized", 10),
                path("sde", "8:64", 2, "active", "active/non-optimized", 10));
    }

    private MapView mapView() {
        List<PathView> ps = mapPaths();
        List<GroupView> groups = new ArrayList<>();
        groups.add(new GroupView(1, "service-time 0", 50, "active", ps.subList(0, 2)));
        groups.add(new GroupView(2, "service-time 0", 10, "enabled", ps.subList(2, 4)));
        return new MapView(MAP, WWID, "dm-0", "LIO-ORG", "SIM", "0001", 131072, 512, "1 queue_if_no_path", "1 alua", "rw",
                "0 131072 multipath 1 queue_if_no_path 1 alua 2 1 service-time 0 2 1 8:16 1 8:32 1 service-time 0 2 1 8:48 1 8:64 1",
                "0 131072 multipath 2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 F 1 0 1 E 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1",
                "on", "Degraded", "3/4 paths", "service-time 0", "immediate", "12", 3, 4, groups,
                new MapCounters(pathFaults, 2, 1, 0, 0, 3, 1000, 500, 4096000, 2048000, 0, 0, 0));
    }

    /** The actions asked for since {@link #reset()}, oldest first ("failPath sdb", "switchGroup mpatha 2", ...). */
    public List<String> actions() {
        return List.copyOf(actions);
    }

    /** The next action completes never (a map thread that does not answer). */
    public void hangNext() {
        hangNext = true;
    }

    public void health(Health h) {
        health = h;
    }

    public void pathFaults(long v) {
        pathFaults = v;
    }

    /** Appends an event and hands it to every listener, as the daemon does. */
    public EventView raise(String kind, String path, String message) {
        EventView e = new EventView(events.size() + 1, "2026-11-24T10:00:0" + (events.size() % 10) + "Z", kind, MAP, path,
                message);
        events.add(e);
        listeners.forEach(l -> l.accept(e));
        return e;
    }

    public void reset() {
        actions.clear();
        hangNext = false;
    }

    @Override
    public List<MapView> maps() {
        return List.of(mapView());
    }

    @Override
    public Optional<MapView> map(String name) {
        return MAP.equals(name) || WWID.equals(name) ? Optional.of(mapView()) : Optional.empty();
    }

    @Override
    public List<PathView> paths() {
        List<PathView> all = new ArrayList<>(mapPaths());
        all.add(new PathView("", "sdf", "8:80", "4:0:0:1", "127.0.0.1:3261,2", "iqn.2026-01.io.mpathgw.sim:array",
                "400001370001", 2, 1, "", "undef", "undef", "running", "tur", 0, 0, "const", -1, -1, "", 0, false,
                false, "", "no WWID", new PathCounters(0, 0, 0, 0, 0, 0, 0)));
        return all;
    }

    @Override
    public List<SessionView> sessions() {
        return List.of(new SessionView("127.0.0.1:3260,1", "iqn.2026-01.io.mpathgw.sim:array", "400001370000", 1,
                "LOGGED_IN", "", 0, List.of("sdb")));
    }

    @Override
    public List<EventView> events(long afterSeq, int limit) {
        return events.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public AutoCloseable onEvent(Consumer<EventView> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public CompletionStage<String> message(String map, long sector, String text) {
        checkMap(map);
        String action = "message " + map + " " + sector + " " + text;
        if (!text.startsWith("fail_path") && !text.startsWith("reinstate_path")) {
            actions.add(action);
            return CompletableFuture.failedFuture(ControlException.badRequest(
                    "device-mapper: multipath: Unrecognised multipath message received: " + text));
        }
        return done(action, "");
    }

    @Override
    public CompletionStage<Void> failPath(String dev) {
        if (dev.equals("sdf")) return CompletableFuture.failedFuture(new ControlException(409, "path sdf belongs to no map"));
        return done("failPath " + dev, null);
    }

    @Override
    public CompletionStage<Void> reinstatePath(String dev) {
        return done("reinstatePath " + dev, null);
    }

    @Override
    public CompletionStage<Void> switchGroup(String map, int group) {
        return groupAction("switchGroup", map, group);
    }

    @Override
    public CompletionStage<Void> enableGroup(String map, int group) {
        return groupAction("enableGroup", map, group);
    }

    @Override
    public CompletionStage<Void> disableGroup(String map, int group) {
        return groupAction("disableGroup", map, group);
    }

    @Override
    public CompletionStage<Void> disableQueueing(String map) {
        if (map != null) checkMap(map);
        return done("disableQueueing " + map, null);
    }

    @Override
    public CompletionStage<Void> restoreQueueing(String map) {
        if (map != null) checkMap(map);
        return done("restoreQueueing " + map, null);
    }

    @Override
    public CompletionStage<Void> retryLogin(String portal) {
        if (portal != null && !portal.equals("127.0.0.1:3260"))
            return CompletableFuture.failedFuture(ControlException.notFound("no session to portal " + portal));
        return done("retryLogin " + portal, null);
    }

    @Override
    public String showConfig() {
        return "defaults {\n\tpolling_interval 5\n}\n";
    }

    @Override
    public CompletionStage<Void> reconfigure() {
        return done("reconfigure", null);
    }

    private CompletionStage<Void> groupAction(String what, String map, int group) {
        checkMap(map);
        if (group > 2) return CompletableFuture.failedFuture(ControlException.badRequest(
                "group: " + group + " (expected: 1..2, the groups of " + map + ")"));
        return done(what + " " + map + " " + group, null);
    }

    private void checkMap(String map) {
        if (map(map).isEmpty()) throw ControlException.notFound("no map named '" + map + "'");
    }

    private <T> CompletionStage<T> done(String action, T value) {
        actions.add(action);
        if (hangNext) {
            hangNext = false;
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(value);
    }
}
