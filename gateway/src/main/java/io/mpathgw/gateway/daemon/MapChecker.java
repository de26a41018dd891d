package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.MapThread;
import io.mpathgw.iscsi.initiator.SessionState;

import java.time.Instant;
import java.util.List;

/**
 * multipathd's checker loop for one map (spec §7.5), on the map thread: a tick at most every second; each path is
 * checked when its interval is due (doubling up to max_polling_interval while healthy, back to polling_interval on
 * any change); a check runs asynchronously, bounded by checker_timeout, and a pending one never holds the loop.
 * The session's state comes first, as sysfs {@code state} does: logging in again → keep the state, closed → down.
 * Results drive fail_path / reinstate_path, priorities, failback and PDL. Session loss is not waited for: the
 * session listener fails its paths at once ({@link #sessionLost}).
 */
final class MapChecker {

    private final GatewayMap m;
    private MapThread.Cancellable tick;
    private boolean stopped;
    /** Deferred failback: ticks left, -1 when not counting. */
    private long failbackDeadlineNanos = -1;
    private long lastPublishNanos;

    MapChecker(GatewayMap m) {
        this.m = m;
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

    private void schedule() {
        if (!stopped) tick = m.thread.schedule(this::tick, tickMillis());
    }

    private void tick() {
        long now = System.nanoTime();
        for (GatewayPath p : List.copyOf(m.paths))
            if (!p.removed && !p.checkPending && !p.adminFailed && now - p.nextCheckNanos >= 0) check(p, now);
        if (failbackDeadlineNanos >= 0 && now - failbackDeadlineNanos >= 0) {
            failbackDeadlineNanos = -1;
            int best = Grouping.bestGroup(m.plan);
            if (best != current() && m.device.nrValidPaths() > 0)
                m.switchGroup(best, "deferred failback after " + m.settings.failback() + " s");
        }
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
            result(p, new PathCheck.Result(CheckState.DOWN, " not called: session closed"));
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
                    result(p, r != null ? r : new PathCheck.Result(CheckState.DOWN, " failed: " + e));
                }));
    }

    private void result(GatewayPath p, PathCheck.Result r) {
        if (p.removed || p.adminFailed || m.device == null) return;
        long now = System.nanoTime();
        CheckState old = p.state;
        if (r.state() == CheckState.PENDING) {                 // transitioning: keep the state, look again soon
            p.nextCheckNanos = now + Math.min(1000, tickMillis()) * 1_000_000L;
            return;
        }
        CheckState next = r.state();
        boolean changed = next != old;
        p.state = next;
        long polling = m.settings.pollingInterval().toMillis();
        p.intervalMillis = !changed && next.usable()
                ? Math.min(p.intervalMillis * 2, m.settings.maxPollingInterval().toMillis()) : polling;
        p.nextCheckNanos = now + p.intervalMillis * 1_000_000L;
        String cause = p.checker.name() + " checker" + r.message();
        if (changed) changed(p, cause, next.usable() ? "PATH_UP" : "PATH_DOWN");
        if (next.down()) {
            failInMap(p, cause);
            checkPdl();
        } else if (next.usable()) {
            if (m.pdl) {
                m.pdl = false;
                m.device.restoreQueueing();
                m.ctx.events().add("PDL_CLEARED", m.name, p.dev, "the logical unit answers again: queueing restored");
            }
            boolean reinstated = reinstateInMap(p, cause);
            refreshPriority(p, reinstated);
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
        if (m.settings.failback().matches("\\d+")) failbackDeadlineNanos = -1;   // a failure cancels the countdown
    }

    private boolean reinstateInMap(GatewayPath p, String cause) {
        if (pathActive(p) || p.adminFailed) return false;
        return m.dmMessage("reinstate_path " + p.devT, cause);
    }

    boolean pathActive(GatewayPath p) {
        for (var pg : m.device.groups())
            for (var path : pg.paths())
                if (path.name().equals(p.devT)) return path.isActive();
        return false;
    }

    /** The session of {@code p} lost its connection: fail the path now, not at the next check. */
    void sessionLost(GatewayPath p, String cause) {
        if (p.removed || m.device == null) return;
        CheckState old = p.state;
        p.state = CheckState.DOWN;
        p.intervalMillis = m.settings.pollingInterval().toMillis();
        p.nextCheckNanos = System.nanoTime() + p.intervalMillis * 1_000_000L;
        String why = "session " + p.session.portal() + " lost: " + cause;
        if (old != CheckState.DOWN) changed(p, why, "PATH_DOWN");
        failInMap(p, why);
        m.views.publish();
    }

    private void refreshPriority(GatewayPath p, boolean cameUp) {
        p.prioritizer.priority(p.transport, p.id, m.settings.checkerTimeout())
                .whenComplete((pr, e) -> m.thread.execute(() -> {
                    if (pr != null && pr.value() != PathPrio.UNDEF || p.prio.value() == PathPrio.UNDEF)
                        if (pr != null) p.prio = pr;
                    failback(cameUp ? p : null, cameUp ? p.dev + " came up" : "priority of " + p.dev + " "
                            + p.prio.value());
                }));
    }

    /**
     * After a path came up or a priority changed: regroup under group_by_prio (a reload when the plan changed) and
     * switch to the best group as the failback mode says (spec §7.4).
     */
    void failback(GatewayPath cameUp, String why) {
        List<List<GatewayPath>> groups = m.plan;
        int best = Grouping.bestGroup(groups);
        if (best == current() || m.device.nrValidPaths() == 0) return;
        String mode = m.settings.failback();
        switch (mode) {
            case "manual" -> { }
            case "immediate" -> m.switchGroup(best, "failback immediate: " + why);
            case "followover" -> {
                if (cameUp != null && groups.get(best - 1).contains(cameUp) && groups.get(best - 1).stream()
                        .filter(q -> q != cameUp).noneMatch(q -> q.state.usable()))
                    m.switchGroup(best, "failback followover: " + why);
            }
            default -> {
                if (cameUp != null || failbackDeadlineNanos < 0)
                    failbackDeadlineNanos = System.nanoTime() + (Long.parseLong(mode) + 1) * 1_000_000_000L;
            }
        }
    }

    /** The group in use: the last one switched to, else the table's PG field (next_pg ?: current_pg ?: 1). */
    int current() {
        return m.device.pgNum();
    }

    /** Every path says the LU is gone (05/25/00): permanent device loss, stop queueing now and fail what is held. */
    private void checkPdl() {
        if (m.pdl) return;
        boolean all = m.paths.stream().filter(q -> !q.removed)
                .allMatch(q -> q.state == CheckState.DISCONNECTED || q.session.session().state() == SessionState.CLOSED);
        boolean any = m.paths.stream().anyMatch(q -> q.state == CheckState.DISCONNECTED);
        if (!all || !any) return;
        m.pdl = true;
        m.apd = false;
        m.device.disableQueueing();
        m.ctx.events().add("PDL", m.name, "", "logical unit not supported on every path (05/25/00): queueing "
                + "disabled, queued I/O failed");
    }
}
