package io.mpathgw.dm.engine;

import io.mpathgw.dm.selector.PathSelector;
import io.mpathgw.dm.table.DmMessage;
import io.mpathgw.dm.table.Errno;
import io.mpathgw.dm.table.Features;
import io.mpathgw.dm.table.HwHandlerSpec;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.PathSpec;
import io.mpathgw.dm.table.PriorityGroupSpec;
import io.mpathgw.dm.table.QueueMode;
import io.mpathgw.dm.table.TableException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One multipath map: the userspace twin of the kernel's {@code multipath} target (spec §4). Holds the state of
 * spec §4.1, answers {@code dmsetup table/status/message} with the kernel's strings, maps requests onto paths and
 * runs pg_init, and takes a new table in place of its own without failing a request ({@link #reload(TableReload)}).
 * It counts what it does ({@link #stats()}, {@link Path#stats()}). Every method must be called on the map's
 * {@link MapThread} unless it says otherwise; nothing here locks.
 */
public final class MultipathDevice {

    enum Run { RUNNING, SUSPENDING, SUSPENDED }

    private final String name;
    /** dm_device_name() in log lines: "253:0" for the kernel. */
    private final String devName;
    private final long length;
    // the table's part of the state; a reload replaces it (MapReload)
    Features features;
    HwHandlerSpec hwHandler;
    List<PriorityGroup> groups;
    /** Each device's counters, by name; a reload carries those of the devices it keeps. */
    Map<String, PathStats> pathStats;
    final MapThread thread;
    final DmLog log;
    private final MapEvents events;
    final PathChoice choice;
    final PgInit pgInit;
    final IoMapper io;
    /** The builder's lookup, or null: then the map's own paths, again after each reload. */
    private final DeviceLookup lookup;
    MapMessages messages;
    final NoPathQueueing noPath;
    private final MultipathBusy busy;
    final MapCounters counters = new MapCounters();
    private final MapReload reload;

    // spec §4.1; QUEUE_IO is set at load (alloc_multipath), QUEUE_IF_NO_PATH comes from the features
    PriorityGroup currentPg;
    PriorityGroup nextPg;
    Path currentPath;
    int nrValidPaths;
    boolean queueIo = true;
    boolean queueIfNoPath;
    boolean savedQueueIfNoPath;
    boolean pgInitRequired;
    boolean pgInitDelayRetry;
    boolean pgInitDisabled;
    int pgInitCount;
    int pgInitInProgress;
    private long eventNr;
    private Run run = Run.RUNNING;
    private boolean noflushSuspend;
    private CompletableFuture<Void> suspended;

    private MultipathDevice(Builder b) throws TableException {
        this.name = b.name;
        this.devName = b.devName != null ? b.devName : b.name;
        this.length = b.length;
        this.features = b.table.features();
        this.hwHandler = b.table.hwHandler();
        this.thread = b.thread;
        this.log = b.log;
        this.events = b.events;
        this.pathStats = new HashMap<>();
        this.groups = buildGroups(b.table, pathStats);
        this.nextPg = initialGroup(groups, b.table.initialPg());
        this.nrValidPaths = entries(groups);
        this.noPath = new NoPathQueueing(this, b.noPathRetry, b.checkInterval.toMillis(), b.noPathTimeout.toMillis());
        this.queueIfNoPath = noPath.queueIfNoPathAtLoad(features.queueIfNoPath());
        this.choice = new PathChoice(this);
        this.pgInit = new PgInit(this, b.activator);
        this.io = new IoMapper(this, b.pathIo);
        this.busy = new MultipathBusy(this);
        this.lookup = b.lookup;
        this.messages = newMessages();
        this.reload = new MapReload(this, b.activator != null);
    }

    MapMessages newMessages() {
        return new MapMessages(this, lookup != null ? lookup : DeviceLookup.known(pathNames()));
    }

    /** A map loaded with {@code table}; the table's selectors are instantiated afresh for it. */
    public static Builder builder(String name, long lengthSectors, MultipathTable table) {
        return new Builder(name, lengthSectors, table);
    }

    /**
     * Fresh selectors for every group, paths added in table order, all active (spec §1.8). A device's counters are
     * taken from {@code stats} (and put there when new).
     */
    static List<PriorityGroup> buildGroups(MultipathTable table, Map<String, PathStats> stats) throws TableException {
        List<PriorityGroup> built = new ArrayList<>();
        for (PriorityGroupSpec spec : table.groups()) {
            PathSelector selector = spec.selector().create(spec.selectorArgs());
            PriorityGroup pg = new PriorityGroup(built.size() + 1, spec.selector(), selector);
            for (PathSpec ps : spec.paths()) {
                Path p = new Path(ps.name(), pg, stats.computeIfAbsent(ps.name(), n -> new PathStats()));
                selector.addPath(p, ps.args());
                pg.paths.add(p);
            }
            built.add(pg);
        }
        return Collections.unmodifiableList(built);
    }

    /** next_pg right after a load: the initial PG if the table has it (spec §1.4). */
    static PriorityGroup initialGroup(List<PriorityGroup> groups, int initialPg) {
        return initialPg >= 1 && initialPg <= groups.size() ? groups.get(initialPg - 1) : null;
    }

    /** nr_valid_paths right after a load: every entry (a device listed twice counts twice). */
    static int entries(List<PriorityGroup> groups) {
        int n = 0;
        for (PriorityGroup pg : groups) n += pg.paths.size();
        return n;
    }

    private List<String> pathNames() {
        return groups.stream().flatMap(pg -> pg.paths.stream()).map(Path::name).distinct().toList();
    }

    public String name() {
        return name;
    }

    /** In 512-byte sectors. */
    public long length() {
        return length;
    }

    /** The groups of the table loaded now; a reload replaces them (and their paths) with new objects. */
    public List<PriorityGroup> groups() {
        return groups;
    }

    /** The thread every method of this map runs on. */
    public MapThread thread() {
        return thread;
    }

    /** The name kernel log lines give the map ("253:0"). */
    public String devName() {
        return devName;
    }

    MapEvents events() {
        return events;
    }

    /** The target's table params as {@code dmsetup table} prints them after {@code 0 <length> multipath }. */
    public String table() {
        checkThread();
        return StatusWriter.table(this);
    }

    /** The target's status params as {@code dmsetup status} prints them after {@code 0 <length> multipath }. */
    public String status() {
        checkThread();
        return StatusWriter.status(this);
    }

    /** The whole {@code dmsetup table} line, trailing blank included. */
    public String dmsetupTable() {
        return "0 " + length + " multipath " + table();
    }

    /** The whole {@code dmsetup status} line, trailing blank included. */
    public String dmsetupStatus() {
        return "0 " + length + " multipath " + status();
    }

    /** {@code dmsetup message <map> <sector> <text>}: returns normally (rc 0) or with the kernel's errno. */
    public void message(long sector, String text) throws MessageException {
        checkThread();
        try {
            messages.message(sector, text);
        } finally {
            updateBusy();
        }
    }

    /** An already parsed message, with multipath_message's checks: EBUSY while suspended, PG and device checks. */
    public void apply(DmMessage msg) throws MessageException {
        checkThread();
        if (isSuspended()) throw new MessageException(Errno.EBUSY, null);
        try {
            messages.apply(msg);
        } finally {
            updateBusy();
        }
    }

    /** Submits a request; it completes on the map thread (spec §4.2). */
    public void submit(MapRequest request) {
        checkThread();
        io.submit(request);
        updateBusy();
    }

    /**
     * multipath_busy (spec §4.9): true while pg_init runs, while every active path of the group the next request
     * would use is at its transport's queue depth (it refused a command with back-pressure and still has requests
     * in flight), and, for a bio map, while it queues without a valid path. Map thread only; {@link #busyNow()}
     * from any other.
     */
    public boolean busy() {
        checkThread();
        return busy.compute();
    }

    /** {@link #busy()} as last published on the map thread, which updates it after every event; any thread. */
    public boolean busyNow() {
        return busy.published();
    }

    /** Runs {@code listener} on the map thread each time {@link #busyNow()} changes. */
    public void addBusyListener(Runnable listener) {
        busy.addListener(listener);
    }

    /** Publishes {@link #busy()} after an event of the map thread (a request mapped or ended, a timer, a message). */
    void updateBusy() {
        busy.update();
    }

    /**
     * Suspends the map (spec §4.6). A flushing suspend (and any suspend of a bio map) saves and clears
     * queue_if_no_path so held I/O can drain; a noflush suspend keeps it and holds I/O that has no path. Completes
     * when no request is on a path and no activation is running; messages then fail with EBUSY until resume.
     */
    public CompletionStage<Void> suspend(boolean noflush) {
        checkThread();
        if (run != Run.RUNNING) throw new IllegalStateException("map " + name + " is already " + run);
        run = Run.SUSPENDING;
        noflushSuspend = noflush;
        suspended = new CompletableFuture<>();
        if (features.queueMode() == QueueMode.BIO || !noflush)
            setQueueIfNoPath(false, true, "flushing suspend");                  // presuspend
        checkSuspended();
        updateBusy();
        return suspended;
    }

    /** multipath_resume: restores a saved queue_if_no_path, then releases the held I/O. */
    public void resume() {
        checkThread();
        if (run == Run.SUSPENDING) throw new IllegalStateException("map " + name + " is still suspending");
        if (run == Run.RUNNING) return;
        if (savedQueueIfNoPath) {
            savedQueueIfNoPath = false;
            setQueueIfNoPath(true, false, "resume");
        }
        run = Run.RUNNING;
        noflushSuspend = false;
        io.resumed();
        updateBusy();
    }

    /**
     * Loads {@code next} in place of the map's table, as multipath-tools' reload does (TABLE_LOAD, then a resume with
     * NOFLUSH; spec §4.6, §4.11): same length, path states {@link TableReload.PathStates#KEPT}, no path failed.
     * See {@link #reload(TableReload)}.
     */
    public CompletionStage<Void> reload(MultipathTable next) {
        return reload(TableReload.of(length, next));
    }

    /**
     * multipathd's reload as the kernel sees it: every path of {@code next} starts active with fail_count 0
     * ({@link TableReload.PathStates#FRESH}), then {@code failedPaths} are failed before the map resumes, so that
     * {@code dmsetup status} reads as the kernel's would after the same load and fail_path messages.
     */
    public CompletionStage<Void> reload(MultipathTable next, Set<String> failedPaths) {
        return reload(TableReload.of(length, next).pathStates(TableReload.PathStates.FRESH).failing(failedPaths));
    }

    /**
     * Replaces the table of a running map without failing or losing a request. Map thread; completes there.
     * <ol>
     *   <li>Checks first, and fails the stage without touching the map: the length must be the map's (mpathgw does
     *       not resize), the queue_mode the first table's (dm refuses to change the device type), a hardware handler
     *       needs the activator the map was built with, each of {@code failedPaths} must be in the new table, and
     *       the map must be running with no other reload under way (a second reload is refused, not queued:
     *       multipathd reloads a map from one thread and retries on failure).</li>
     *   <li>suspend(noflush): new requests are held, requests waiting for a path or pg_init stay queued (never
     *       failed, whatever queue_if_no_path says); the stage waits until no request is on a path and no
     *       activation runs, so no request of a path that leaves the table can still be in flight when it is
     *       sent again elsewhere.</li>
     *   <li>Swaps in the new features, hardware handler, groups and fresh selectors; pg_init state as after a load
     *       (spec §1.8: queue_io set, next_pg the initial group, no current group, pg_init_count 0); path states
     *       per {@link TableReload#pathStates()}; no_path_retry and its checker interval from the reload when it
     *       brings them (a countdown in progress is kept with N, dropped with fail/queue/undef: see
     *       {@link TableReload#noPathRetry()}), then queue_if_no_path from the new features as multipathd derives it;
     *       then {@link TableReload#failedPaths()} are failed.</li>
     *   <li>Resumes: held and queued requests are dispatched on the new table, in the order they came.</li>
     * </ol>
     * The caller binds the new table's paths to their transports ({@link ScsiPathIo#bind}) and handlers before
     * calling this (at the latest before the stage could complete, i.e. before any path could be chosen), and may
     * unbind the removed ones once it completes. {@link MapEvents#tableLoaded} is raised after the swap, before the
     * resume; {@link #eventNr()} is the device's and does not change.
     */
    public CompletionStage<Void> reload(TableReload next) {
        checkThread();
        return reload.start(next);
    }

    /** {@link #reload(TableReload)} from any thread: hops onto the map thread; the stage completes there. */
    public CompletableFuture<Void> reloadAsync(TableReload next) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                reload(next).whenComplete((v, e) -> {
                    if (e != null) done.completeExceptionally(e);
                    else done.complete(null);
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** A reload is between its suspend and its resume. Map thread. */
    public boolean isReloading() {
        return reload.inProgress();
    }

    /** Tables loaded into this map: 1, plus one per completed reload (multipathd's map_loads). Map thread. */
    public long mapLoads() {
        return counters.mapLoads;
    }

    /** The map's totals now. Map thread. */
    public MapStats stats() {
        checkThread();
        return counters.snapshot(thread.nanoTime());
    }

    /**
     * The group I/O goes to now (current_pg), or null before the first I/O and after a switch_group, a bypass change or
     * a reload, until the next I/O chooses. Map thread.
     */
    public PriorityGroup currentGroup() {
        return currentPg;
    }

    /** The PG field of the table and status lines: next_pg, else current_pg, else 1 (0 without groups). Map thread. */
    public int pgNum() {
        if (nextPg != null) return nextPg.pgNum();
        if (currentPg != null) return currentPg.pgNum();
        return groups.isEmpty() ? 0 : 1;
    }

    /** The status letter of {@code pg}: D bypassed, else A the current group, else E (spec §2.1). Map thread. */
    public char groupState(PriorityGroup pg) {
        return pg.bypassed ? 'D' : pg == currentPg ? 'A' : 'E';
    }

    /**
     * Completes a suspend once the map is quiet: no request on a path, none left to drain (a flushing suspend lets
     * requeued requests go, or fail, first), then no activation running (postsuspend, with pg_init disabled).
     */
    void checkSuspended() {
        if (run != Run.SUSPENDING || io.inFlight > 0 || !noflushSuspend && io.requeued() > 0) return;
        if (pgInitInProgress > 0) {
            pgInitDisabled = true;
            return;
        }
        pgInitDisabled = false;
        run = Run.SUSPENDED;
        suspended.complete(null);
    }

    public boolean isSuspended() {
        return run == Run.SUSPENDED;
    }

    boolean isRunning() {
        return run == Run.RUNNING;
    }

    /** A stopped queue (suspended, or a noflush suspend under way) keeps requeued requests. */
    boolean dispatchesRequeued() {
        return run == Run.RUNNING || run == Run.SUSPENDING && !noflushSuspend;
    }

    /** must_push_back_rq: queue instead of failing when no path is left. */
    boolean mustPushBack() {
        return queueIfNoPath || run == Run.SUSPENDING && noflushSuspend;
    }

    void forgetCurrent() {
        currentPath = null;
        currentPg = null;
    }

    /**
     * fail_path (spec §4.4): a no-op on a failed path; the PG stays current. Losing the last valid path arms the
     * no-path timeout and no_path_retry's recovery mode.
     */
    void failPath(Path p, String cause) {
        if (!p.active) return;
        log.line(DmMessage.PREFIX + devName + ": Failing path " + p.name() + ".");
        p.group().selector.failPath(p);
        p.active = false;
        p.failCount++;
        counters.pathFaults++;
        nrValidPaths--;
        if (p == currentPath) currentPath = null;
        events.pathEvent("PATH_FAILED", p, nrValidPaths);
        events.pathFailed(p, cause, nrValidPaths);
        tableEvent();
        if (nrValidPaths == 0) noPath.lastPathLost();
    }

    /** reinstate_path (spec §4.4): the first valid path releases queued I/O; a path of the current PG is activated. */
    void reinstatePath(Path p, String cause) {
        if (p.active) return;
        log.line(DmMessage.PREFIX + devName + ": Reinstating path " + p.name() + ".");
        p.group().selector.reinstatePath(p);
        p.active = true;
        boolean runQueue = ++nrValidPaths == 1;
        if (runQueue) currentPath = null;
        else if (hwHandler.present() && p.group() == currentPg) pgInit.activateOne(p);
        events.pathEvent("PATH_REINSTATED", p, nrValidPaths);
        events.pathReinstated(p, cause, nrValidPaths);
        tableEvent();
        if (runQueue) {
            noPath.pathRestored();
            io.kick();
        }
    }

    /** bypass_pg (disable_group / enable_group, TEMP_BUSY): either way the next I/O chooses again. */
    void bypass(PriorityGroup pg, boolean bypassed) {
        pg.bypassed = bypassed;
        forgetCurrent();
        tableEvent();
    }

    /** switch_pg_num: clears every bypass; the group is used from the next I/O on. */
    void switchGroup(PriorityGroup pg) {
        for (PriorityGroup g : groups) g.bypassed = false;
        forgetCurrent();
        nextPg = pg;
        tableEvent();
    }

    /** queue_if_no_path(m, on, save_old_value) of spec §4.6; turning it off releases queued I/O (to fail). */
    void setQueueIfNoPath(boolean on, boolean saveOld, String cause) {
        if (saveOld) {
            if (!queueIfNoPath && savedQueueIfNoPath)
                log.line("device-mapper: multipath: " + devName
                        + ": QIFNP disabled but saved as enabled, saving again loses state, not saving!");
            else savedQueueIfNoPath = queueIfNoPath;
        } else if (!on) {
            savedQueueIfNoPath = false;     // fail_if_no_path wins over a saved value
        }
        boolean changed = queueIfNoPath != on;
        queueIfNoPath = on;
        noPath.switched(on);
        if (changed) events.queueIfNoPath(on, cause);
        if (!on) io.kick();
    }

    private void tableEvent() {
        events.tableEvent(++eventNr);
    }

    /** event_nr: incremented on every path failure/reinstatement, bypass change and switch_group. */
    public long eventNr() {
        return eventNr;
    }

    public int nrValidPaths() {
        return nrValidPaths;
    }

    /** Requests waiting for a path, for pg_init or for resume. */
    public int queuedRequests() {
        return io.queued();
    }

    /** Requests sent down a path and not completed yet. */
    public int inFlightRequests() {
        return io.inFlight;
    }

    /** Whether queue_if_no_path is set now (it changes with messages, suspend, no_path_retry, timeouts). */
    public boolean queueIfNoPath() {
        return queueIfNoPath;
    }

    /** The map's no_path_retry: the builder's, or the last reload's that brought one. */
    public NoPathRetry noPathRetry() {
        return noPath.retry();
    }

    /**
     * multipathd {@code disablequeueing map X}: queue_if_no_path off now (the queued I/O fails), and kept off by
     * no_path_retry until {@link #restoreQueueing()}. Works while suspended too, as multipathd's does.
     */
    public void disableQueueing() {
        checkThread();
        noPath.disable();
        updateBusy();
    }

    /** multipathd {@code restorequeueing map X}: queueing as no_path_retry says again. */
    public void restoreQueueing() {
        checkThread();
        noPath.restore();
        updateBusy();
    }

    /** The queueing column of {@code multipathd show maps}: "on", "off", "-", "5 chk", "12 sec". */
    public String queueingState() {
        checkThread();
        return noPath.state();
    }

    void checkThread() {
        if (!thread.inThread()) throw new IllegalStateException("map " + name + " used off its map thread");
    }

    /** What a map needs besides its table; {@link #thread} and {@link #pathIo} are required. */
    public static final class Builder {
        private final String name;
        private final long length;
        private final MultipathTable table;
        private String devName;
        private MapThread thread;
        private PathIo pathIo;
        private PathActivator activator;
        private DeviceLookup lookup;
        private DmLog log = DmLog.system();
        private MapEvents events = MapEvents.NONE;
        private NoPathRetry noPathRetry = NoPathRetry.UNDEF;
        private Duration checkInterval = Duration.ofSeconds(5);
        private Duration noPathTimeout = Duration.ZERO;

        private Builder(String name, long length, MultipathTable table) {
            this.name = name;
            this.length = length;
            this.table = table;
        }

        /** The name log lines give the map (the kernel's "253:0"); the map name by default. */
        public Builder devName(String devName) {
            this.devName = devName;
            return this;
        }

        public Builder thread(MapThread thread) {
            this.thread = thread;
            return this;
        }

        public Builder pathIo(PathIo pathIo) {
            this.pathIo = pathIo;
            return this;
        }

        /** Required when the table names a hardware handler. */
        public Builder activator(PathActivator activator) {
            this.activator = activator;
            return this;
        }

        /** The devices fail_path/reinstate_path may name; by default the map's own paths. */
        public Builder lookup(DeviceLookup lookup) {
            this.lookup = lookup;
            return this;
        }

        public Builder log(DmLog log) {
            this.log = log;
            return this;
        }

        public Builder events(MapEvents events) {
            this.events = events;
            return this;
        }

        /**
         * multipathd's no_path_retry for this map (spec §4.10), counted in {@code checkInterval}s (multipath.conf's
         * polling_interval, 5 s by default). {@link NoPathRetry#UNDEF} (the default) leaves the table's
         * queue_if_no_path alone.
         */
        public Builder noPathRetry(NoPathRetry noPathRetry, Duration checkInterval) {
            if (checkInterval.isNegative() || checkInterval.isZero())
                throw new IllegalArgumentException("polling_interval: " + checkInterval + " (expected: > 0)");
            this.noPathRetry = noPathRetry;
            this.checkInterval = checkInterval;
            return this;
        }

        /** The kernel's queue_if_no_path_timeout_secs (spec §4.6); zero (the default) is off. */
        public Builder noPathTimeout(Duration timeout) {
            if (timeout.isNegative())
                throw new IllegalArgumentException("queue_if_no_path_timeout: " + timeout + " (expected: >= 0)");
            this.noPathTimeout = timeout;
            return this;
        }

        /** Loads the table: the selectors are created and the paths added as at table load. */
        public MultipathDevice build() throws TableException {
            if (thread == null || pathIo == null)
                throw new IllegalStateException("map " + name + ": thread and pathIo are required");
            if (table.hwHandler().present() && activator == null)
                throw new IllegalStateException("map " + name + ": hardware handler " + table.hwHandler().name()
                        + " needs an activator");
            return new MultipathDevice(this);
        }
    }
}
