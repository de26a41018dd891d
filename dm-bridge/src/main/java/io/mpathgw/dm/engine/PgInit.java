package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.DmMessage;

/**
 * Priority group initialisation (pg_init, spec §4.5): activates every active path of the current PG through the
 * {@link PathActivator}, each activation scheduled on the map thread (the kernel's ordered kmpath_handlerd), and
 * acts on each result.
 */
final class PgInit {

    private final MultipathDevice m;
    private final PathActivator activator;

    PgInit(MultipathDevice m, PathActivator activator) {
        this.m = m;
        this.activator = activator;
    }

    /** __pg_init_all_paths: true when activations were scheduled (or are running). */
    boolean initAllPaths() {
        if (m.pgInitInProgress > 0 || m.pgInitDisabled) return false;
        m.pgInitCount++;
        m.pgInitRequired = false;
        if (m.currentPg == null) return false;
        long delay = m.pgInitDelayRetry ? m.features.effectivePgInitDelayMsecs() : 0;
        for (Path p : m.currentPg.paths)
            if (p.active) schedule(p, delay);
        return m.pgInitInProgress > 0;
    }

    /** A reinstated path of the current PG is activated on its own, without QUEUE_IO (spec §4.4). */
    void activateOne(Path p) {
        schedule(p, 0);
    }

    private void schedule(Path p, long delayMillis) {
        if (p.activationQueued) return;         // queue_delayed_work on pending work: no second count
        p.activationQueued = true;
        m.pgInitInProgress++;
        m.thread.schedule(() -> activate(p), delayMillis);
    }

    private void activate(Path p) {
        p.activationQueued = false;
        if (!p.active) {
            done(p, ScsiDh.DEV_OFFLINED);
            return;
        }
        activator.activate(p, code -> m.thread.execute(() -> done(p, code)));
    }

    /** One activation ended: pg_init_done, then the map publishes whether it is still busy. */
    private void done(Path p, int result) {
        pgInitDone(p, result);
        m.updateBusy();
    }

    private void pgInitDone(Path p, int result) {
        m.events().pgInitDone(p, result);
        PriorityGroup pg = p.group();
        boolean delayRetry = result == ScsiDh.RETRY;
        int errors = classify(p, result);
        if (errors != 0) {
            if (p == m.currentPath) {
                m.log.line(DmMessage.PREFIX + "Could not failover device. Error " + errors + ".");
                m.forgetCurrent();
            }
        } else if (!m.pgInitRequired) {
            pg.bypassed = false;            // a successful activation ends a bypass
        }
        if (--m.pgInitInProgress > 0) return;    // other activations of this round still running
        if (m.pgInitRequired) {
            m.pgInitDelayRetry = delayRetry;
            if (initAllPaths()) return;
        }
        m.queueIo = false;
        m.io.kick();
        m.checkSuspended();                     // wake a suspend waiting for pg_init
    }

    /** The per-code action of spec §4.5; returns the error left after it (0 = treated as success). */
    private int classify(Path p, int result) {
        switch (result) {
            case ScsiDh.OK:
                return 0;
            case ScsiDh.NOSYS:
                if (!m.hwHandler.present()) return 0;
                m.log.line(DmMessage.PREFIX + "Could not failover the device: Handler scsi_dh_" + m.hwHandler.name()
                        + " Error " + result + ".");
                m.failPath(p, "pg_init: handler scsi_dh_" + m.hwHandler.name() + " error " + result + " (NOSYS)");
                return result;
            case ScsiDh.DEV_TEMP_BUSY:
                m.bypass(p.group(), true);      // try the other groups; never deferred
                return result;
            case ScsiDh.RETRY:
            case ScsiDh.IMM_RETRY:
            case ScsiDh.RES_TEMP_UNAVAIL:
                if (limitReached()) m.failPath(p, "pg_init: error " + result + " after " + m.pgInitCount + " rounds");
                return 0;
            default:                            // DEV_OFFLINED and everything else
                m.failPath(p, "pg_init: error " + result);
                return result;
        }
    }

    /** pg_init_limit_reached: another round unless the retries are used up or pg_init is disabled (suspend). */
    private boolean limitReached() {
        if (m.pgInitCount <= m.features.pgInitRetries() && !m.pgInitDisabled) {
            m.pgInitRequired = true;
            return false;
        }
        return true;
    }
}
