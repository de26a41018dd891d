package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.MapThread;
import io.mpathgw.gateway.check.CheckResult;
import io.mpathgw.gateway.check.PathState;
import io.mpathgw.gateway.group.CheckerTick;
import io.mpathgw.gateway.group.Failback;
import io.mpathgw.gateway.group.FailbackDecision;
import io.mpathgw.gateway.group.FailbackMode;
import io.mpathgw.gateway.group.PlannedGroup;
import io.mpathgw.gateway.prio.PrioResult;
import io.mpathgw.iscsi.initiator.SessionState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * multipathd's checker loop for one map (spec §7.5), on the map thread. A tick at most every second (every
 * polling_interval when that is shorter); each path is checked when its interval is due — doubling up to
 * max_polling_interval while healthy, back to polling_interval on any change. A check runs asynchronously, bounded by
 * checker_timeout, and a pending one never holds the loop. The session's state comes first, as sysfs {@code state}
 * does: logging in again → keep the state, closed → down. Results fail or reinstate the path at once; priorities are
 * refreshed after each good check; at the end of each tick the failback decision ({@link Failback}) switches groups
 * or reloads. Session loss is not waited for: the session listener fails its paths at once ({@link #sessionLost}).
 */
final class MapChecker {

    private final GatewayMap m;
    private MapThread.Cancellable tick;
    private boolean stopped;
    private Failback failback;
    private long lastPublishNanos;
    private long lastFinishedNanos;
    // what happened since the last tick, for CheckerTick
    private final Set<String> cameUp = new HashSet<>();
    private boolean upPathChecked;
    private boolean pathWentDown;
    private boolean prioritiesChanged;

    MapChecker(GatewayMap m) {
        this.m = m;
        this.failback = new Failback(FailbackMode.parse(m.settings.failback()));
    }

    long tickMillis() {
        return Math.max(10, Math.min(1000, m.settings.pollingInterval().toMillis()));
    }

    void start() {
        schedule();
    }

    void stop() {
        stopped = true;
        if (tick != null) tick.cancel();
    }

    void reconfigured() {
        failback = new Failback(FailbackMode.parse(m.settings.failback()));
    }

    private void schedule() {
        if (!stopped) tick = m.thread.schedule(this::tick, tickMillis());
    }

    private void tick() {
        long now = System.nanoTime();
        for (GatewayPath p : List.copyOf(m.paths))
            if (!p.removed && !p.checkPending && !p.adminFailed && now - p.nextCheckNanos >= 0) check(p, now);
        checkerFinished();
        if (now - lastPublishNanos >= 1_000_000_000L) {
            m.views.publish();
            lastPublishNanos = now;
        }
        schedule();
    }

    /** Checks {@code p} now (also on a reinstate request or a relogin). */
    void checkNow(GatewayPath p) {
        p.nextCheckNanos = System.nanoTime();
        if (!p.checkPending && !p.removed && !p.adminFailed) check(p, p.nextCheckNanos);
    }

    private void check(GatewayPath p, long now) {
        SessionState s = p.session.session().state();
        if (s == SessionState.CLOSED) {
            result(p, CheckResult.of(PathState.DOWN, p.checker.name(), " not called: session closed"));
            return;
        }
        if (s != SessionState.LOGGED_IN) {          // blocked: pending, previous state kept, look again next tick
            p.nextCheckNanos = now + tickMillis() * 1_000_000L;
            return;
        }
        p.checkPending = true;
        p.checker.check(p.transport, m.settings.checkerTimeout())
                .whenComplete((r, e) -> m.thread.execute(() -> {
                    p.checkPending = false;
                    result(p, r != null ? r : CheckResult.of(PathState.DOWN, p.checker.name(), " failed: " + e));
                }));
    }

    private void result(GatewayPath p, CheckResult r) {
        if (p.removed || p.adminFailed || m.device == null) return;
        long now = System.nanoTime();
        PathState old = p.state;
        if (r.state().keepsPreviousState()) {          // transitioning or still running: look again soon
            p.nextCheckNanos = now + Math.min(1000, tickMillis()) * 1_000_000L;
            return;
        }
        PathState next = r.state();
        boolean changed = next != old;
        p.state = next;
        long polling = m.settings.pollingInterval().toMillis();
        p.intervalMillis = !changed && next.usable()
                ? Math.min(p.intervalMillis * 2, m.settings.maxPollingInterval().toMillis()) : polling;
        p.nextCheckNanos = now + p.intervalMillis * 1_000_000L;
        String cause = r.message();
        if (changed) changed(p, cause, next.usable() ? "PATH_UP" : "PATH_DOWN");
        if (!next.usable()) {
            if (old.usable()) pathWentDown = true;
            failInMap(p, cause);
            checkPdl();
        } else {
            if (m.pdl) {
                m.pdl = false;
                m.device.restoreQueueing();
                m.ctx.events().add("PDL_CLEARED", m.name, p.dev, "the logical unit answers again: queueing restored");
            }
            if (!old.usable()) cameUp.add(p.devT);
            upPathChecked = true;
            reinstateInMap(p, cause);
            refreshPriority(p, !old.usable());
        }
        m.views.publish();
    }

    private void changed(GatewayPath p, String cause, String kind) {
        p.lastChange = Instant.now().toString();
        p.lastCause = cause;
        m.ctx.events().add(kind, m.name, p.dev, m.name + ": " + p.dev + " - " + cause);
    }

    void failInMap(GatewayPath p, String cause) {
        if (pathActive(p)) m.dmMessage("fail_path " + p.devT, cause);
    }

    private void reinstateInMap(GatewayPath p, String cause) {
        if (!pathActive(p) && !p.adminFailed && inTable(p)) m.dmMessage("reinstate_path " + p.devT, cause);
    }

    boolean pathActive(GatewayPath p) {
        for (var pg : m.device.groups())
            for (var path : pg.paths())
                if (path.name().equals(p.devT)) return path.isActive();
        return false;
    }

    private boolean inTable(GatewayPath p) {
        for (var pg : m.device.groups())
            for (var path : pg.paths())
                if (path.name().equals(p.devT)) return true;
        return false;
    }

    /** The session of {@code p} lost its connection: fail the path now, not at the next check. */
    void sessionLost(GatewayPath p, String cause) {
        if (p.removed || m.device == null) return;
        PathState old = p.state;
        p.state = PathState.DOWN;
        p.intervalMillis = m.settings.pollingInterval().toMillis();
        p.nextCheckNanos = System.nanoTime() + p.intervalMillis * 1_000_000L;
        String why = "session " + p.session.portal() + " lost: " + cause;
        if (old != PathState.DOWN) changed(p, why, "PATH_DOWN");
        if (old.usable()) pathWentDown = true;
        failInMap(p, why);
        m.views.publish();
    }

    /**
     * Refreshes the priority of {@code p}; for a path that just came back under failback immediate, the failback
     * decision follows at once (with its fresh priority) rather than at the next tick: a returned portal carries
     * I/O up to a second sooner. Deferred, manual and followover keep deciding at the tick, which paces them.
     */
    private void refreshPriority(GatewayPath p, boolean cameBack) {
        p.prioritizer.evaluate(p.transport, p.identity(), m.settings.checkerTimeout())
                .whenComplete((pr, e) -> m.thread.execute(() -> {
                    updatePriority(p, pr);
                    if (cameBack && !stopped && !p.removed && p.state.usable()
                            && failback.mode().kind() == FailbackMode.Kind.IMMEDIATE) decide(false);
                }));
    }

    private void updatePriority(GatewayPath p, PrioResult pr) {
        if (pr == null || !pr.defined() && p.prio.defined()) return;   // keep the last known one
        if (pr.prio() != p.prio.prio()) {
            prioritiesChanged = true;
            m.ctx.events().add("PRIORITY", m.name, p.dev, p.dev + " priority " + p.prio.prio() + " -> "
                    + pr.prio() + (pr.aluaState().isEmpty() ? "" : " (" + pr.aluaState() + ")"));
        }
        p.prio = pr;
    }

    /** multipathd's checker_finished for this map: failback, regroup or nothing (spec §7.4). */
    private void checkerFinished() {
        decide(true);
    }

    /**
     * The failback decision. At the end of a round it consumes what the round saw; taken early, at a path's return,
     * it leaves those for the round's own decision, since the other paths' fresh priorities may still be coming
     * (a regroup they call for must not wait a whole back-off interval).
     */
    private void decide(boolean endOfRound) {
        if (m.device == null || m.device.isReloading()) return;
        // a deferred failback counts multipathd's one-second loop ticks, however short polling_interval is
        long now = System.nanoTime();
        if (failback.mode().kind() == FailbackMode.Kind.DEFERRED && now - lastFinishedNanos < 1_000_000_000L) return;
        lastFinishedNanos = now;
        List<PlannedGroup> groups = new ArrayList<>();
        for (PlannedGroup g : m.plan)
            groups.add(PlannedGroup.of(g.paths().stream().map(gp -> m.byDevT.get(gp.devT()).groupable()).toList()));
        Set<String> downOrShaky = new HashSet<>();
        for (GatewayPath p : m.paths)
            if (p.state == PathState.DOWN || p.state == PathState.SHAKY || p.removed) downOrShaky.add(p.devT);
        CheckerTick t = new CheckerTick(groups, m.device.pgNum(), cameUp, upPathChecked, pathWentDown,
                prioritiesChanged, m.settings.pathGroupingPolicy().equals("group_by_prio"), downOrShaky);
        if (endOfRound) {
            cameUp.clear();
            upPathChecked = pathWentDown = prioritiesChanged = false;
        }
        FailbackDecision d = failback.checkerFinished(t);
        if (m.device.nrValidPaths() == 0) return;
        switch (d.action()) {
            case SWITCH_GROUP -> m.switchGroup(d.bestPg(), "failback " + failback.mode() + ": " + d.reason());
            case RELOAD -> m.reload("failback " + failback.mode() + ": " + d.reason());
            case NONE -> { }
        }
    }

    /** Every path says the LU is gone (05/25/00): permanent device loss, stop queueing now and fail what is held. */
    private void checkPdl() {
        if (m.pdl) return;
        boolean all = m.paths.stream().filter(q -> !q.removed)
                .allMatch(q -> q.state == PathState.DISCONNECTED || q.session.session().state() == SessionState.CLOSED);
        boolean any = m.paths.stream().anyMatch(q -> q.state == PathState.DISCONNECTED);
        if (!all || !any) return;
        m.pdl = true;
        m.apd = false;
        m.device.disableQueueing();
        m.ctx.events().add("PDL", m.name, "", "logical unit not supported on every path (05/25/00): queueing "
                + "disabled, queued I/O failed");
    }
}
