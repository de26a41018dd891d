package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.DmLog;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.handler.HandlerContext;
import io.mpathgw.dm.handler.HandlerScheduler;
import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.Health;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.gateway.model.SessionView;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.netty.channel.EventLoopGroup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The gateway's daemon: what iscsid and multipathd do on a Linux host, in one object. {@link #start} discovers the
 * configured portals, logs into every target portal, scans the LUNs, forms one map per WWID over the dm-bridge
 * engine and runs each map's checker loop; the {@link GatewayControl} methods read snapshots (never blocking on a map
 * or a path) and hop onto a map's thread for actions. {@link #blockDevice} hands a map to the exports.
 */
public final class Gateway implements GatewayControl, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    final GatewaySetup setup;
    volatile Policies policies;
    final EventLog events;
    final EventLoopGroup group;
    private final ScheduledExecutorService handlerExecutor;
    final GatewayContext ctx;
    final Topology topology;
    private volatile boolean started;
    private volatile boolean closed;

    private Gateway(GatewaySetup setup) {
        this.setup = setup;
        this.policies = setup.policies();
        this.events = new EventLog(setup.eventCapacity());
        this.group = EventLoops.create(Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.handlerExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpathgw-handlers");
            t.setDaemon(true);
            return t;
        });
        this.topology = new Topology(this);
        DmLog dmLog = line -> events.add("KERNEL", "", "", line);
        this.ctx = new GatewayContext(events, new HandlerContext(HandlerScheduler.of(handlerExecutor),
                setup.handlerSettings(), dmLog), topology.lookup(), dmLog, ScsiPathIo.Settings.KERNEL);
    }

    /**
     * Starts the gateway: discovery and login on every configured portal, LUN scan, maps. Returns once that has run
     * once, bounded by the setup's discovery timeout; sessions that log in later join then.
     */
    public static Gateway start(GatewaySetup setup) throws InterruptedException {
        Gateway g = new Gateway(setup);
        try {
            g.topology.discover(System.nanoTime() + setup.discoveryTimeout().toNanos());
        } catch (InterruptedException | RuntimeException e) {
            g.close();
            throw e;
        }
        g.started = true;
        return g;
    }

    /** The map's block device for the exports. */
    public Optional<MultipathBlockDevice> blockDevice(String mapName) {
        GatewayMap m = topology.map(mapName);
        return m == null ? Optional.empty() : Optional.ofNullable(m.block);
    }

    /** Map names, in creation order. */
    public List<String> mapNames() {
        return topology.maps().stream().map(m -> m.name).toList();
    }

    // ---------------------------------------------------------------- reads: snapshots only

    @Override
    public List<MapView> maps() {
        return topology.maps().stream().map(m -> m.view).filter(v -> v != null).toList();
    }

    @Override
    public Optional<MapView> map(String name) {
        GatewayMap m = topology.map(name);
        return m == null ? Optional.empty() : Optional.ofNullable(m.view);
    }

    @Override
    public List<PathView> paths() {
        List<PathView> all = new ArrayList<>();
        for (GatewayMap m : topology.maps()) all.addAll(m.pathViews);
        all.addAll(topology.unmappedViews());
        all.sort(Comparator.comparingInt(v -> topology.indexOf(v.dev())));
        return all;
    }

    @Override
    public List<SessionView> sessions() {
        return topology.sessions().stream().map(GatewaySession::view).toList();
    }

    @Override
    public List<EventView> events(long afterSeq, int limit) {
        return events.after(afterSeq, limit);
    }

    @Override
    public AutoCloseable onEvent(Consumer<EventView> listener) {
        return events.listen(listener);
    }

    @Override
    public Health health() {
        if (!started) return new Health(false, "Starting", List.of("discovery has not run yet"));
        List<MapView> views = maps();
        if (views.isEmpty()) return new Health(false, "Failed", List.of("no map: no LUN was found on any portal"));
        String[] order = {"Optimal", "Degraded", "Queueing", "Failed", "Lost"};
        int worst = 0;
        boolean ready = views.size() == topology.maps().size();
        List<String> reasons = new ArrayList<>();
        for (MapView v : views) {
            int rank = Arrays.asList(order).indexOf(v.health());
            worst = Math.max(worst, rank);
            if (v.nrActivePaths() == 0) ready = false;
            if (rank > 0) reasons.add(v.name() + ": " + v.health() + ": " + v.healthReason());
        }
        return new Health(ready, order[Math.max(worst, 0)], reasons);
    }

    @Override
    public String showConfig() {
        StringBuilder b = new StringBuilder(policies.show());
        b.append("\n# gateway\n");
        for (GatewaySetup.Portal p : setup.portals())
            b.append("portal ").append(p.address().getHostString()).append(':').append(p.address().getPort())
                    .append(p.target().map(t -> " target " + t).orElse(" discover")).append('\n');
        b.append("sessions_per_portal ").append(setup.sessionsPerPortal()).append('\n')
                .append("noop_out_interval ").append(setup.nopInterval().toMillis()).append(" ms\n")
                .append("noop_out_timeout ").append(setup.nopTimeout().toMillis()).append(" ms\n")
                .append("login_timeout ").append(setup.loginTimeout().toMillis()).append(" ms\n");
        return b.toString();
    }

    // ---------------------------------------------------------------- actions: on the map's thread

    @Override
    public CompletionStage<String> message(String map, long sector, String text) {
        return withMap(map, m -> m.call(() -> {
            m.device.message(sector, text);
            return "";
        }));
    }

    @Override
    public CompletionStage<Void> failPath(String dev) {
        return withPath(dev, (m, p) -> m.call(() -> {
            p.adminFailed = true;
            p.lastChange = Instant.now().toString();
            p.lastCause = "fail path " + p.dev + " (operator)";
            events.add("PATH_ADMIN_FAILED", m.name, p.dev, "fail path " + p.dev + ": checker off until reinstated");
            if (m.checker.pathActive(p)) m.device.message(0, "fail_path " + p.devT);
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> reinstatePath(String dev) {
        return withPath(dev, (m, p) -> m.call(() -> {
            if (p.removed)
                throw new ControlException(409, "path " + p.dev + " was removed: its WWID changed");
            p.adminFailed = false;
            p.lastChange = Instant.now().toString();
            p.lastCause = "reinstate path " + p.dev + " (operator)";
            events.add("PATH_ADMIN_REINSTATED", m.name, p.dev, "reinstate path " + p.dev + ": checker on");
            if (!m.checker.pathActive(p)) m.device.message(0, "reinstate_path " + p.devT);
            m.checker.checkNow(p);
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> switchGroup(String map, int group) {
        return groupMessage(map, "switch_group", group);
    }

    @Override
    public CompletionStage<Void> enableGroup(String map, int group) {
        return groupMessage(map, "enable_group", group);
    }

    @Override
    public CompletionStage<Void> disableGroup(String map, int group) {
        return groupMessage(map, "disable_group", group);
    }

    private CompletionStage<Void> groupMessage(String map, String verb, int group) {
        return withMap(map, m -> m.call(() -> {
            m.device.message(0, verb + " " + group);
            events.add("GROUP_" + verb.substring(0, verb.indexOf('_')).toUpperCase(), m.name, "",
                    verb + " " + group + " (operator)");
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> disableQueueing(String map) {
        return eachMap(map, m -> m.call(() -> {
            m.device.disableQueueing();
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> restoreQueueing(String map) {
        return eachMap(map, m -> m.call(() -> {
            m.device.restoreQueueing();
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> retryLogin(String portal) {
        List<GatewaySession> matching = topology.sessions().stream().filter(s -> portal == null
                || s.portal().equals(portal) || s.portal().startsWith(portal + ",")).toList();
        if (matching.isEmpty())
            return CompletableFuture.failedFuture(ControlException.notFound("no session to portal '" + portal
                    + "' (expected: address:port of a session, as sessions list them)"));
        for (GatewaySession s : matching) s.session().retryNow();
        events.add("LOGIN_RETRY", "", "", "retry login now: " + matching.size() + " sessions"
                + (portal == null ? "" : " to " + portal));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> reconfigure() {
        if (setup.policiesReload() == null)
            return CompletableFuture.failedFuture(ControlException.badRequest(
                    "reconfigure: the gateway was started without configuration files"));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return setup.policiesReload().call();
            } catch (Exception e) {
                events.add("CONFIG_REJECTED", "", "", "reconfigure: " + e.getMessage() + "; running config kept");
                throw new ControlException(400, e.getMessage());
            }
        }).thenCompose(p -> {
            policies = p;
            events.add("CONFIG_RELOADED", "", "", "configuration read again");
            return topology.replan(p);
        });
    }

    private <T> CompletionStage<T> withMap(String map, Function<GatewayMap, CompletionStage<T>> f) {
        GatewayMap m = topology.map(map);
        if (m == null) return CompletableFuture.failedFuture(ControlException.notFound("no map named '" + map + "'"));
        return f.apply(m);
    }

    private CompletionStage<Void> eachMap(String map, Function<GatewayMap, CompletionStage<Void>> f) {
        if (map != null) return withMap(map, f);
        return CompletableFuture.allOf(topology.maps().stream().map(f).map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> withPath(String dev,
                                           BiFunction<GatewayMap, GatewayPath, CompletionStage<Void>> f) {
        GatewayPath p = topology.path(dev);
        if (p == null)
            return CompletableFuture.failedFuture(ControlException.notFound("no path named '" + dev
                    + "' (expected: a dev such as sdb or its dev_t such as 8:16)"));
        GatewayMap m = p.map;
        if (m == null)
            return CompletableFuture.failedFuture(ControlException.notFound("path " + p.dev + " belongs to no map"));
        return f.apply(m, p);
    }

    // ---------------------------------------------------------------- life cycle

    /** Stops the checkers, fails queued I/O, logs out of every session (each bounded), frees the threads. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (GatewayMap m : topology.maps())
            stops.add(m.onThread(() -> {
                m.checker.stop();
                if (m.device != null) m.device.disableQueueing();
                return null;
            }));
        await(stops, 2000);
        List<CompletableFuture<?>> logouts = new ArrayList<>();
        for (GatewaySession s : topology.sessions()) logouts.add(s.session().logout());
        await(logouts, setup.loginTimeout().toMillis() + 500);
        for (GatewaySession s : topology.sessions()) s.session().close();
        handlerExecutor.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        LOG.info("gateway closed");
    }

    private static void await(List<CompletableFuture<?>> fs, long millis) {
        try {
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // bounded: whatever did not finish is abandoned (sessions are closed next)
        }
    }
}
