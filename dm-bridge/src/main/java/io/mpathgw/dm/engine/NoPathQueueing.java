package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.DmMessage;

/**
 * Who switches queue_if_no_path besides messages and suspend, and when:
 * <ul>
 *   <li>the kernel's {@code queue_if_no_path_timeout_secs} (spec §4.6): armed while queue_if_no_path is set and no
 *       path is valid; on expiry the map logs "queue_if_no_path timeout on …, failing queued IO" and acts as
 *       fail_if_no_path; a reinstated path disarms it;</li>
 *   <li>multipathd's {@code no_path_retry} (spec §4.10): at load the map queues exactly when no_path_retry is
 *       {@code queue} or N; with N, losing the last path enters recovery mode, and after N checker intervals plus one
 *       tick of the checker loop queueing is disabled (the queued I/O fails); the first path back re-enables it;</li>
 *   <li>multipathd's {@code disablequeueing} / {@code restorequeueing} for this map: queueing stays off, whatever
 *       no_path_retry says, until restored.</li>
 * </ul>
 * Map thread only.
 */
final class NoPathQueueing {

    /** multipathd's checker loop ticks once a second; recovery lasts N intervals plus one tick. */
    static final long TICK_MILLIS = 1000;

    private final MultipathDevice m;
    private NoPathRetry retry;
    private long checkIntervalMillis;
    private final long timeoutMillis;
    private boolean disabled;
    private MapThread.Cancellable recovery;
    private long recoveryDeadlineNanos;
    private boolean recoveryExpired;
    private MapThread.Cancellable timeout;

    NoPathQueueing(MultipathDevice m, NoPathRetry retry, long checkIntervalMillis, long timeoutMillis) {
        this.m = m;
        this.retry = retry;
        this.checkIntervalMillis = checkIntervalMillis;
        this.timeoutMillis = timeoutMillis;
    }

    /** What the table's queue_if_no_path becomes at load: multipathd derives it from no_path_retry. */
    boolean queueIfNoPathAtLoad(boolean fromFeatures) {
        if (retry.equals(NoPathRetry.FAIL)) return false;
        return retry.queues() || fromFeatures;
    }

    /**
     * queue_if_no_path of a reloaded table: multipathd derives it from no_path_retry as at load, but leaves it out
     * while queueing is disabled ({@code disablequeueing}) or once the countdown ran out with still no path.
     * Call with the new table's nr_valid_paths in place.
     */
    boolean queueIfNoPathAtReload(boolean fromFeatures) {
        if (disabled || recoveryExpired && m.nrValidPaths == 0) return false;
        return queueIfNoPathAtLoad(fromFeatures);
    }

    NoPathRetry retry() {
        return retry;
    }

    long checkIntervalMillis() {
        return checkIntervalMillis;
    }

    /**
     * A reload brought a new no_path_retry or checker interval (multipathd's reconfigure; its set_no_path_retry runs
     * on the map with the new value). Called in the reload's swap, before queue_if_no_path is derived again:
     * <ul>
     *   <li>fail, queue or undef: a countdown in progress is dropped (the features decide queueing now; with
     *       queue, multipathd would let an old retry_tick still run out, we do not: queue means for ever);</li>
     *   <li>N: a countdown in progress keeps its deadline, as enter_recovery_mode does nothing while the map is
     *       in_recovery; one that ran out stays run out until a path returns. The new N and interval count from the
     *       next loss of the last path ({@link #reloadedWithoutPath()} starts one if none runs).</li>
     * </ul>
     */
    void reconfigure(NoPathRetry next, long intervalMillis) {
        if (intervalMillis <= 0)
            throw new IllegalArgumentException("polling_interval: " + intervalMillis + " ms (expected: > 0)");
        retry = next;
        checkIntervalMillis = intervalMillis;
        if (!next.counts()) {
            cancelRecovery();
            recoveryExpired = false;
        }
    }

    /**
     * A reload left the map without a valid path, as it was before: set_no_path_retry enters recovery mode when
     * no_path_retry is N and no countdown runs (e.g. it was queue before), unless one already ran out.
     */
    void reloadedWithoutPath() {
        if (retry.counts() && !disabled && recovery == null && !recoveryExpired && m.queueIfNoPath) enterRecovery();
    }

    /** nr_valid_paths dropped to 0 (update_queue_mode_del_path: a map failure unless no_path_retry queues for ever). */
    void lastPathLost() {
        if (!retry.equals(NoPathRetry.QUEUE)) m.counters.mapFailures++;
        armTimeout();
        if (retry.counts() && !disabled && m.queueIfNoPath) enterRecovery();
    }

    /** nr_valid_paths went from 0 to 1. */
    void pathRestored() {
        cancelTimeout();
        cancelRecovery();
        recoveryExpired = false;
        if (retry.counts() && !disabled && !m.queueIfNoPath)
            m.setQueueIfNoPath(true, false, "no_path_retry " + retry + ": recovered to normal mode");
    }

    /** queue_if_no_path was switched: the timeout runs only while it is set and no path is valid. */
    void switched(boolean on) {
        if (on) armTimeout();
        else cancelTimeout();
    }

    /** multipathd {@code disablequeueing map X}: fail queued I/O now and queue no more until restored. */
    void disable() {
        if (m.nrValidPaths == 0) m.counters.mapFailures++;      // as multipathd's cli_disable_queueing
        disabled = true;
        cancelRecovery();
        if (m.queueIfNoPath || m.savedQueueIfNoPath) m.setQueueIfNoPath(false, false, "disablequeueing");
    }

    /**
     * multipathd {@code restorequeueing map X}: queueing as no_path_retry says again (also after its countdown ran
     * out); with N and no path, a new countdown unless one is running.
     */
    void restore() {
        disabled = false;
        if (!retry.queues()) return;
        if (!m.queueIfNoPath) m.setQueueIfNoPath(true, false, "restorequeueing");
        if (retry.counts() && m.nrValidPaths == 0 && recovery == null) enterRecovery();
    }

    boolean disabled() {
        return disabled;
    }

    /**
     * The queueing column of {@code multipathd show maps}: {@code off}, {@code on}, {@code -} (undefined),
     * {@code N chk} while paths are up, the seconds left while in recovery, {@code off} once it expired.
     */
    String state() {
        if (disabled || retry.equals(NoPathRetry.FAIL)) return "off";
        if (retry.equals(NoPathRetry.QUEUE)) return "on";
        if (retry.equals(NoPathRetry.UNDEF)) return "-";
        if (recovery != null) {
            long left = Math.max(0, recoveryDeadlineNanos - m.thread.nanoTime());
            return ((left + 999_999_999L) / 1_000_000_000L) + " sec";
        }
        return recoveryExpired ? "off" : retry + " chk";
    }

    private void enterRecovery() {
        cancelRecovery();
        long millis = retry.value() * checkIntervalMillis + TICK_MILLIS;
        recoveryDeadlineNanos = m.thread.nanoTime() + millis * 1_000_000L;
        recovery = m.thread.schedule(this::recoveryExpired, millis);
        m.events().queueIfNoPath(true, "no_path_retry " + retry + ": entering recovery mode, " + millis + " ms");
    }

    private void recoveryExpired() {
        recovery = null;
        recoveryExpired = true;
        m.counters.queueingTimeouts++;
        m.setQueueIfNoPath(false, false, "no_path_retry " + retry + ": " + retry + " checks without a path");
        m.updateBusy();
    }

    private void cancelRecovery() {
        if (recovery != null) recovery.cancel();
        recovery = null;
    }

    private void armTimeout() {
        if (timeoutMillis <= 0 || timeout != null || m.nrValidPaths != 0 || !m.queueIfNoPath) return;
        timeout = m.thread.schedule(this::timedOut, timeoutMillis);
    }

    private void timedOut() {
        timeout = null;
        if (!m.queueIfNoPath || m.nrValidPaths != 0) return;
        m.log.line(DmMessage.PREFIX + "queue_if_no_path timeout on " + m.devName() + ", failing queued IO");
        m.counters.queueingTimeouts++;
        m.setQueueIfNoPath(false, false, "queue_if_no_path timeout after " + timeoutMillis + " ms");
        m.updateBusy();
    }

    private void cancelTimeout() {
        if (timeout != null) timeout.cancel();
        timeout = null;
    }
}
