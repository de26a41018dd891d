package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One ALUA target port group of one LUN (struct alua_port_group, spec §6.1): its last known state, and the worker
 * that runs RTPG/STPG for it. Activations of every path in the group queue their completions here and are all
 * answered by one worker run (alua_rtpg_work): TEST UNIT READY while transitioning, RTPG, then STPG when an
 * activation asked for it, re-queued after the retry delay (2 s) while transitioning or immediately after STPG.
 * <p>
 * State is guarded by this object's monitor; commands are sent with it released. A run is bounded: a transitioning
 * group gives up at its deadline (the implicit transition time, or {@link HandlerSettings#aluaFailoverTimeout()}),
 * and every command at its timeout.
 */
final class AluaPortGroup {

    static final int TPGS_IMPLICIT = 0x1;
    static final int TPGS_EXPLICIT = 0x2;
    /** TPGS_SUPPORT_ALL: what a group is assumed to support before its first RTPG. */
    static final int SUPPORT_ALL = 0xDF;

    static final int AO = AluaState.ACTIVE_OPTIMIZED.code();
    static final int ANO = AluaState.ACTIVE_NON_OPTIMIZED.code();
    static final int STANDBY = AluaState.STANDBY.code();
    static final int UNAVAILABLE = AluaState.UNAVAILABLE.code();
    static final int LBA_DEPENDENT = AluaState.LBA_DEPENDENT.code();
    static final int OFFLINE = AluaState.OFFLINE.code();
    static final int TRANSITIONING = AluaState.TRANSITIONING.code();

    final String lunId;
    final int groupId;
    final HandlerContext ctx;
    private final AluaSteps steps;

    // guarded by this
    int tpgs;
    int state = AO;
    boolean pref;
    int validStates = SUPPORT_ALL;
    boolean extHdrUnsupported;
    boolean optimizeStpg;
    /** Seconds; 0 until the first RTPG says (ALUA_FAILOVER_TIMEOUT then). */
    int transitionTmo;
    boolean expirySet;
    long expiry;
    long intervalMs;
    private boolean runRtpg;
    private boolean runStpg;
    boolean running;
    private boolean workPending;
    /** rtpg_sdev: the path the current run sends through; null when no run is queued or running. */
    private AluaPath rtpgPath;
    private final List<CompletableFuture<Integer>> waiters = new ArrayList<>();
    private final List<AluaPath> members = new ArrayList<>();

    AluaPortGroup(String lunId, int groupId, int tpgs, HandlerContext ctx) {
        this.lunId = lunId;
        this.groupId = groupId;
        this.tpgs = tpgs;
        this.ctx = ctx;
        this.optimizeStpg = ctx.settings().aluaOptimizeStpg();
        this.steps = new AluaSteps(this);
    }

    synchronized void add(AluaPath p) {
        if (!members.contains(p)) members.add(p);
    }

    synchronized void remove(AluaPath p) {
        members.remove(p);
        if (rtpgPath == p) rtpgPath = members.isEmpty() ? null : members.get(0);
    }

    synchronized boolean hasMembers() {
        return !members.isEmpty();
    }

    synchronized void setOptimizeStpg(boolean optimize) {
        optimizeStpg = optimize;
    }

    synchronized AccessState accessState() {
        return new AccessState(state, pref);
    }

    synchronized int state() {
        return state;
    }

    /** alua_check_sense saw 04/0A: the group is transitioning now. */
    synchronized void markTransitioning() {
        state = TRANSITIONING;
    }

    /**
     * alua_rtpg_queue: asks for an RTPG run through {@code path}; with a {@code waiter} (an activation) also for STPG,
     * and the waiter is completed with the run's result. Without one, {@code force} re-runs RTPG even if a run is
     * already queued. Returns false when {@code path} does not belong to this group.
     */
    boolean queue(AluaPath path, CompletableFuture<Integer> waiter, boolean force) {
        boolean start = false;
        synchronized (this) {
            if (!members.contains(path)) return false;
            if (waiter != null) {
                waiters.add(waiter);
                runStpg = true;
                force = true;
            }
            if (rtpgPath == null) {
                intervalMs = 0;
                runRtpg = true;
                rtpgPath = path;
                start = true;
            } else if (!runRtpg && force) {
                runRtpg = true;
                start = !running;               // a running worker sees the flag and goes round again
            }
        }
        if (start) queueWork(ctx.settings().aluaRtpgDelay().toMillis());
        return true;
    }

    /** queue_delayed_work: a no-op while a run is already pending. */
    private void queueWork(long delayMillis) {
        synchronized (this) {
            if (workPending) return;
            workPending = true;
        }
        ctx.scheduler().schedule(this::work, delayMillis);
    }

    /** alua_rtpg_work. */
    private void work() {
        AluaPath path;
        boolean rtpg = false;
        int st = AO;
        List<CompletableFuture<Integer>> orphaned = null;
        synchronized (this) {
            workPending = false;
            path = rtpgPath;
            if (path == null) {                 // every path left the group while the run was queued
                orphaned = new ArrayList<>(waiters);
                waiters.clear();
            } else {
                running = true;
            }
            if (path != null) {
                rtpg = runRtpg;
                runRtpg = false;
                st = state;
            }
        }
        if (orphaned != null) {
            for (CompletableFuture<Integer> f : orphaned) f.complete(ScsiDh.DEV_OFFLINED);
        } else if (!rtpg) {
            stpgPhase(path, ScsiDh.OK);
        } else if (st == TRANSITIONING) {
            synchronized (this) {
                ensureExpiry();
            }
            guarded(steps.tur(path).thenAccept(r -> {
                if (r == ScsiDh.RETRY && !expired()) retryAfterTur();
                else rtpgPhase(path);           // TUR says ready, failed, or the deadline passed: ask RTPG
            }));
        } else {
            rtpgPhase(path);
        }
    }

    private void retryAfterTur() {
        long delay;
        synchronized (this) {
            running = false;
            runRtpg = true;
            if (intervalMs == 0) intervalMs = ctx.settings().aluaRetryDelay().toMillis();
            delay = intervalMs;
        }
        queueWork(delay);
    }

    private void rtpgPhase(AluaPath path) {
        guarded(steps.rtpg(path).thenAccept(err -> afterRtpg(path, err)));
    }

    private void afterRtpg(AluaPath path, int result) {
        int err = result;
        long delay = -1;
        synchronized (this) {
            if (err == ScsiDh.RES_TEMP_UNAVAIL && selectOtherPath()) err = ScsiDh.IMM_RETRY;
            if (err == ScsiDh.RETRY || err == ScsiDh.IMM_RETRY || runRtpg) {
                running = false;
                if (err == ScsiDh.IMM_RETRY) intervalMs = 0;
                else if (intervalMs == 0 && !runRtpg) intervalMs = ctx.settings().aluaRetryDelay().toMillis();
                runRtpg = true;
                delay = intervalMs;
            } else if (err != ScsiDh.OK) {
                runStpg = false;
            }
        }
        if (delay >= 0) queueWork(delay);
        else stpgPhase(path, err);
    }

    private void stpgPhase(AluaPath path, int err) {
        boolean stpg;
        synchronized (this) {
            stpg = runStpg;
            runStpg = false;
        }
        if (!stpg) {
            finish(err);
            return;
        }
        guarded(steps.stpg(path).thenAccept(e -> {
            boolean again;
            synchronized (this) {
                again = e == ScsiDh.RETRY || runRtpg;
                if (again) {
                    runRtpg = true;             // re-read the state at once; its result is the activation's
                    intervalMs = 0;
                    running = false;
                }
            }
            if (again) queueWork(0);
            else finish(e);
        }));
    }

    /** The run is over, for good or bad: answer every activation and re-enable every path for the next run. */
    private void finish(int err) {
        List<CompletableFuture<Integer>> done;
        synchronized (this) {
            done = new ArrayList<>(waiters);
            waiters.clear();
            for (AluaPath m : members) m.disabled = false;
            rtpgPath = null;
            running = false;
        }
        for (CompletableFuture<Integer> f : done) f.complete(err);
    }

    /** A step that failed unexpectedly (a bug, not a device answer) ends the run with SCSI_DH_IO. */
    private void guarded(CompletableFuture<Void> step) {
        step.whenComplete((v, e) -> {
            if (e == null) return;
            ctx.log(lunId.isEmpty() ? "alua" : lunId, "alua", "port group " + hex(groupId) + ": " + e);
            finish(ScsiDh.IO);
        });
    }

    /**
     * alua_rtpg_select_sdev: the path that could not reach the device is set aside for this run and another path of
     * the group takes over; false when none is left.
     */
    private boolean selectOtherPath() {
        rtpgPath.disabled = true;
        for (AluaPath m : members) {
            if (!m.disabled) {
                ctx.log(m.name, "alua", "rtpg retry on different device");
                rtpgPath = m;
                return true;
            }
        }
        ctx.log().line("alua: " + (lunId.isEmpty() ? "(nameless PG)" : lunId) + ": no device found for rtpg");
        return false;
    }

    /** alua_rtpg sets the deadline on its first run of a transition. Caller holds the monitor. */
    void ensureExpiry() {
        if (expirySet) return;
        long tmo = transitionTmo != 0 ? transitionTmo : ctx.settings().aluaFailoverTimeout().toSeconds();
        expiry = ctx.scheduler().nanoTime() + tmo * 1_000_000_000L;
        expirySet = true;
    }

    synchronized boolean expired() {
        return expirySet && ctx.scheduler().nanoTime() - expiry >= 0;
    }

    static String hex(int groupId) {
        return String.format("%02x", groupId);
    }
}
