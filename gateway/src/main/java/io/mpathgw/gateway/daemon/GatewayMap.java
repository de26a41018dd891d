package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.EventLoopMapThread;
import io.mpathgw.dm.engine.MapEvents;
import io.mpathgw.dm.engine.MapThread;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PriorityGroup;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.engine.TableReload;
import io.mpathgw.dm.handler.AttachedHandler;
import io.mpathgw.dm.handler.HandlerActivator;
import io.mpathgw.dm.handler.HardwareHandler;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;

import io.mpathgw.gateway.check.CheckerMapContext;
import io.mpathgw.gateway.check.Checkers;
import io.mpathgw.gateway.check.PathState;
import io.mpathgw.gateway.group.GroupablePath;
import io.mpathgw.gateway.group.HwHandlerChoice;
import io.mpathgw.gateway.group.PathGrouping;
import io.mpathgw.gateway.group.PlannedGroup;
import io.mpathgw.gateway.group.TableAssembler;
import io.mpathgw.gateway.prio.Prioritizers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One map of the gateway: the dm-bridge {@link MultipathDevice} over its paths, on the event loop of its first
 * path's session, with the checker loop ({@link MapChecker}) and the snapshots the API reads ({@link MapViews}).
 * Everything mutable is touched on the map thread only; the API hops onto it with {@link #call}.
 */
final class GatewayMap implements MapEvents {

    final GatewayContext ctx;
    final String name;
    final String wwid;
    final String dmName;
    /** The LU as the first path saw it at scan: INQUIRY identity and capacity (fixed for the map's life). */
    final LunIdentity lu;
    volatile MapSettings settings;
    final MapThread thread;
    /** Table order once loaded. */
    final List<GatewayPath> paths;
    final Map<String, GatewayPath> byDevT = new HashMap<>();
    final HandlerActivator activator = new HandlerActivator();
    final ScsiPathIo pathIo;
    final MapChecker checker;
    final MapViews views;
    final CheckerMapContext checkerContext = new CheckerMapContext();
    String hwHandler = "";
    /** The groups of the table loaded last. */
    List<PlannedGroup> plan = List.of();
    MultipathDevice device;
    volatile MultipathBlockDevice block;

    // map thread
    boolean pdl;
    boolean apd;

    volatile MapView view;
    volatile List<PathView> pathViews = List.of();

    GatewayMap(GatewayContext ctx, String name, String wwid, String dmName, MapSettings settings,
               List<GatewayPath> paths) {
        this.ctx = ctx;
        this.name = name;
        this.wwid = wwid;
        this.dmName = dmName;
        this.settings = settings;
        this.paths = new ArrayList<>(paths);
        this.lu = paths.get(0).id;
        this.thread = new EventLoopMapThread(paths.get(0).session.session().eventLoop());
        this.pathIo = new ScsiPathIo(thread, ctx.ioSettings()).hooks(activator);
        this.checker = new MapChecker(this);
        this.views = new MapViews(this);
        for (GatewayPath p : paths) {
            p.map = this;
            byDevT.put(p.devT, p);
            pathIo.bind(p.devT, p.transport);
        }
    }

    /**
     * First check and priority of every path (multipathd's pathinfo before it creates a map), handler attach,
     * grouping, table load; completes once the map takes I/O.
     */
    CompletableFuture<GatewayMap> load() {
        MapSettings s = settings;
        try {
            for (GatewayPath p : paths) {
                p.checker = Checkers.create(s.pathChecker(), checkerContext);
                p.prioritizer = Prioritizers.create(s.prio(), s.prioArgs());
                p.intervalMillis = s.pollingInterval().toMillis();
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ControlException(400, "map " + name + ": " + e.getMessage()));
        }
        hwHandler = handlerFor(s);
        List<CompletableFuture<?>> steps = new ArrayList<>();
        for (GatewayPath p : paths) {
            steps.add(p.checker.check(p.transport, s.checkerTimeout()).toCompletableFuture()
                    .thenCombine(p.prioritizer.evaluate(p.transport, p.identity(), s.checkerTimeout()),
                            (c, pr) -> {
                                thread.execute(() -> {
                                    p.state = c.state().keepsPreviousState() ? PathState.UP : c.state();
                                    p.prio = pr;
                                });
                                return null;
                            }));
            if (!hwHandler.isEmpty()) steps.add(attach(p));
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                .thenCompose(v -> onThread(this::build));
    }

    /**
     * select_hwhandler with retain_attached_hw_handler on: the handler the kernel attached to the first path wins;
     * else the configured one; "1 alua" when every path reports TPGS and nothing was configured.
     */
    private String handlerFor(MapSettings s) {
        List<HwHandlerChoice.PathHandler> ph = paths.stream().map(p -> new HwHandlerChoice.PathHandler(
                emptyAsNull(ScsiDhAttach.attached(p.id.inquiry())),
                p.id.inquiry().alua() ? HwHandlerChoice.Tpgs.SUPPORTED : HwHandlerChoice.Tpgs.NONE)).toList();
        String section = HwHandlerChoice.select(true, s.hardwareHandler().isEmpty() ? null
                : "1 " + s.hardwareHandler(), ph);
        return section.equals("0") ? "" : section.substring(section.indexOf(' ') + 1);
    }

    private static String emptyAsNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private CompletableFuture<Void> attach(GatewayPath p) {
        HardwareHandler h = HardwareHandlers.REGISTRY.find(hwHandler).orElseThrow(() -> new ControlException(400,
                "map " + name + ": hardware_handler \"" + hwHandler + "\" (expected: alua, rdac, emc or hp_sw)"));
        return h.attach(p.transport, List.of(), ctx.handlers()).handle((AttachedHandler a, Throwable e) -> {
            if (e == null) activator.bind(p.devT, a);
            else ctx.events().add("HANDLER_ATTACH_FAILED", name, p.dev, hwHandler + ": " + e.getMessage());
            return null;
        });
    }

    private GatewayMap build() throws Exception {
        MultipathTable table = plan();
        LunIdentity first = paths.get(0).id;
        device = MultipathDevice.builder(name, first.sectors(), table).devName(dmName).thread(thread)
                .pathIo(pathIo).activator(activator).lookup(ctx.lookup()).events(this)
                .log(ctx.dmLog()).noPathRetry(settings.noPathRetry(), settings.pollingInterval()).build();
        failPlannedDown();
        block = MultipathBlockDevice.builder(device).capacity(first.capacity()).build();
        ctx.events().add("MAP_CREATED", name, "", "created " + dmName + " with " + paths.size() + " paths: "
                + device.dmsetupTable().trim());
        checker.start();
        views.publish();
        return this;
    }

    /** Groups the map's paths as its policy says and assembles the table; {@link #paths} takes table order. */
    private MultipathTable plan() throws Exception {
        List<GatewayPath> members = paths.stream().filter(p -> !p.removed).toList();
        plan = PathGrouping.group(settings.pathGroupingPolicy(), members.stream().map(GatewayPath::groupable).toList());
        int best = PathGrouping.bestGroup(plan);
        String line = TableAssembler.assemble(settings.features(), hwHandler.isEmpty() ? "0" : "1 " + hwHandler,
                settings.pathSelector(), plan, best, settings.rrMinIo(), "uniform", settings.noPathRetry());
        List<GatewayPath> ordered = new ArrayList<>();
        for (PlannedGroup g : plan) for (GroupablePath gp : g.paths()) ordered.add(byDevT.get(gp.devT()));
        paths.stream().filter(p -> p.removed).forEach(ordered::add);
        paths.clear();
        paths.addAll(ordered);
        return MultipathTable.parse(line, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH);
    }

    /** Paths the checker found down before the load are failed at once, as multipathd's table carries them. */
    private void failPlannedDown() {
        for (GatewayPath p : paths)
            if (!p.removed && !p.state.usable()) checker.failInMap(p, "checker: " + p.state.logName() + " at load");
    }

    /**
     * Groups again and reloads the table without flushing (multipathd's reload): queued I/O stays queued and goes
     * to the new table. Paths not usable now are loaded failed. Map thread.
     */
    CompletableFuture<Void> reload(String why) {
        if (device == null || device.isReloading()) return CompletableFuture.completedFuture(null);
        MultipathTable table;
        try {
            table = plan();
        } catch (Exception e) {
            ctx.events().add("MAP_RELOAD_FAILED", name, "", why + ": " + e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        Set<String> failed = new HashSet<>();
        for (GatewayPath p : paths) if (!p.removed && (!p.state.usable() || p.adminFailed)) failed.add(p.devT);
        CompletableFuture<Void> done = new CompletableFuture<>();
        // as multipathd's reload: fresh path states, the known-down ones failed, and the map's no_path_retry now
        TableReload r = TableReload.of(device.length(), table).pathStates(TableReload.PathStates.FRESH)
                .failing(failed).noPathRetry(settings.noPathRetry(), settings.pollingInterval());
        device.reload(r).whenComplete((v, e) -> {
            if (e != null) ctx.events().add("MAP_RELOAD_FAILED", name, "", why + ": " + e.getMessage());
            else ctx.events().add("MAP_RELOADED", name, "", why + ": " + device.dmsetupTable().trim());
            views.publish();
            if (e != null) done.completeExceptionally(e);
            else done.complete(null);
        });
        return done;
    }

    /** A late path of this map's LU (its session logged in after the map was made): bind it and reload. */
    void addPath(GatewayPath p, String why) {
        p.map = this;
        p.checker = Checkers.create(settings.pathChecker(), checkerContext);
        p.prioritizer = Prioritizers.create(settings.prio(), settings.prioArgs());
        p.intervalMillis = settings.pollingInterval().toMillis();
        byDevT.put(p.devT, p);
        pathIo.bind(p.devT, p.transport);
        CompletableFuture<Void> attached = hwHandler.isEmpty() ? CompletableFuture.completedFuture(null) : attach(p);
        attached.thenCompose(v -> p.checker.check(p.transport, settings.checkerTimeout()).toCompletableFuture())
                .thenCombine(p.prioritizer.evaluate(p.transport, p.identity(), settings.checkerTimeout()),
                        (c, pr) -> {
                            thread.execute(() -> {
                                p.state = c.state().keepsPreviousState() ? PathState.UP : c.state();
                                p.prio = pr;
                                paths.add(p);
                                reload(why);
                            });
                            return null;
                        });
    }

    /** Runs {@code action} on the map thread; a failure completes the future exceptionally. */
    <T> CompletableFuture<T> onThread(ThrowingSupplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                f.complete(action.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** An API action on the map thread: a MessageException becomes a 400 with the kernel's text. */
    <T> CompletableFuture<T> call(ThrowingSupplier<T> action) {
        return onThread(() -> {
            if (device == null) throw new ControlException(409, "map " + name + " is still being created");
            try {
                T t = action.get();
                views.publish();
                return t;
            } catch (MessageException e) {
                throw new ControlException(400, name + ": " + e.getMessage());
            }
        });
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** dm message as multipathd sends it; refusals are logged as events, never thrown (map thread). */
    boolean dmMessage(String text, String why) {
        try {
            device.message(0, text);
            return true;
        } catch (MessageException e) {
            ctx.events().add("MESSAGE_REFUSED", name, "", text + " (" + why + "): " + e.getMessage());
            return false;
        }
    }

    void switchGroup(int pg, String why) {
        if (dmMessage("switch_group " + pg, why)) {
            ctx.events().add("GROUP_SWITCH", name, "", "switch_group " + pg + ": " + why);
        }
    }

    /**
     * New settings after reconfigure (map thread). Timers, checker, prioritizer and failback take effect now; what
     * the table carries (grouping, selector, features, handler, and queue_if_no_path with no_path_retry) and
     * no_path_retry's countdown (N and the polling_interval it counts in) take effect by a noflush reload, which
     * {@link #reload} always brings them with (a countdown in progress keeps its deadline, see TableReload).
     */
    void reconfigure(MapSettings next) {
        MapSettings old = settings;
        if (old.equals(next)) return;
        settings = next;
        for (GatewayPath p : paths) {
            p.checker = Checkers.create(next.pathChecker(), checkerContext);
            p.prioritizer = Prioritizers.create(next.prio(), next.prioArgs());
            p.intervalMillis = next.pollingInterval().toMillis();
        }
        boolean tableChanged = !old.pathGroupingPolicy().equals(next.pathGroupingPolicy())
                || !old.pathSelector().equals(next.pathSelector()) || !old.features().equals(next.features())
                || !old.hardwareHandler().equals(next.hardwareHandler()) || old.rrMinIo() != next.rrMinIo()
                || !old.noPathRetry().equals(next.noPathRetry())
                || !old.pollingInterval().equals(next.pollingInterval());
        ctx.events().add("MAP_RECONFIGURED", name, "", "settings changed" + (old.noPathRetry().equals(
                next.noPathRetry()) ? "" : "; no_path_retry " + old.noPathRetry() + " -> " + next.noPathRetry()));
        checker.reconfigured();
        if (tableChanged) reload("reconfigure");
        views.publish();
    }

    GatewayPath pathOf(Path p) {
        return byDevT.get(p.name());
    }

    // ---------------------------------------------------------------- MapEvents (map thread)

    @Override
    public void tableEvent(long eventNr) {
        views.publish();
    }

    @Override
    public void pathFailed(Path path, String cause, int nrValidPaths) {
        GatewayPath p = pathOf(path);
        ctx.events().add("PATH_FAILED", name, p == null ? path.name() : p.dev, cause + "; " + nrValidPaths
                + " valid paths left");
        // a failure the map found on its own (I/O error, pg_init): multipathd imports it and checks the path soon
        if (p != null && !cause.startsWith("message ")) checker.checkNow(p);
        if (nrValidPaths == 0 && !pdl) {
            apd = true;
            ctx.events().add("APD", name, "", "all paths down; queueing " + device.queueingState());
        }
    }

    @Override
    public void pathReinstated(Path path, String cause, int nrValidPaths) {
        GatewayPath p = pathOf(path);
        apd = false;
        ctx.events().add("PATH_REINSTATED", name, p == null ? path.name() : p.dev, cause + "; " + nrValidPaths
                + " valid paths");
    }

    @Override
    public void groupSwitched(PriorityGroup from, PriorityGroup to) {
        ctx.events().add("GROUP_SWITCH", name, "", "current group " + (from == null ? "none" : from.pgNum())
                + " -> " + to.pgNum());
        views.publish();
    }

    @Override
    public void pgInitDone(Path path, int scsiDhResult) {
        GatewayPath p = pathOf(path);
        ctx.events().add("PG_INIT", name, p == null ? path.name() : p.dev, "pg_init through " + path.name()
                + " of group " + path.group().pgNum() + ": " + (scsiDhResult == 0 ? "ok" : "SCSI_DH " + scsiDhResult));
        views.publish();
    }

    @Override
    public void queueIfNoPath(boolean on, String cause) {
        ctx.events().add(on ? "QUEUEING_ON" : "QUEUEING_OFF", name, "", cause);
        views.publish();
    }

    @Override
    public void noPathQueueing(boolean holding, int queued, String cause) {
        ctx.events().add(holding ? "IO_HELD" : "IO_RELEASED", name, "", queued + " requests; " + cause);
        views.publish();
    }
}
