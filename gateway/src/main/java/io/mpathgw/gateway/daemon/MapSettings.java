package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.NoPathRetry;

import java.time.Duration;
import java.util.Objects;

/**
 * What the daemon needs of a map's effective multipath.conf settings (multipath-tools' {@code struct multipath}
 * after propsel), keys spelled as in multipath.conf(5).
 *
 * @param pathGroupingPolicy failover, multibus, group_by_prio, group_by_serial, group_by_tpg
 * @param pathSelector       the selector with its arguments as the table carries it ("service-time 0")
 * @param hardwareHandler    "alua", "rdac", "emc", "hp_sw", or "" for none ("0" in the table)
 * @param features           the configured features as the table carries them ("0", "1 pg_init_retries 50");
 *                           queue_if_no_path is derived from {@code noPathRetry} instead
 * @param prio               prioritizer name (const, alua, …)
 * @param prioArgs           its arguments ("" for none)
 * @param pathChecker        checker name (tur, readsector0, none, …)
 * @param failback           "immediate", "manual", "followover" or a number of seconds
 * @param noPathRetry        queue, fail, N checks or undef
 * @param rrMinIo            the per-path repeat count of the table (rr_min_io_rq)
 * @param checkerTimeout     bound on one check (checker_timeout)
 * @param pollingInterval    polling_interval
 * @param maxPollingInterval max_polling_interval
 */
public record MapSettings(String pathGroupingPolicy, String pathSelector, String hardwareHandler, String features,
                          String prio, String prioArgs, String pathChecker, String failback, NoPathRetry noPathRetry,
                          int rrMinIo, Duration checkerTimeout, Duration pollingInterval,
                          Duration maxPollingInterval) {

    /** multipath-tools' built-in defaults, except the timers, which fail fast (our defaults, spec §7.5). */
    public static final MapSettings DEFAULTS = new MapSettings("failover", "service-time 0", "", "0", "const", "",
            "tur", "manual", NoPathRetry.checks(12), 1, Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(20));

    public MapSettings {
        Objects.requireNonNull(pathGroupingPolicy, "path_grouping_policy");
        Objects.requireNonNull(noPathRetry, "no_path_retry");
        if (pollingInterval.isZero() || pollingInterval.isNegative())
            throw new IllegalArgumentException("polling_interval: " + pollingInterval + " (expected: > 0)");
        if (maxPollingInterval.compareTo(pollingInterval) < 0)
            throw new IllegalArgumentException("max_polling_interval: " + maxPollingInterval
                    + " (expected: >= polling_interval " + pollingInterval + ")");
        if (checkerTimeout.isZero() || checkerTimeout.isNegative())
            throw new IllegalArgumentException("checker_timeout: " + checkerTimeout + " (expected: > 0)");
    }

    public MapSettings withGrouping(String policy) {
        return new MapSettings(policy, pathSelector, hardwareHandler, features, prio, prioArgs, pathChecker, failback,
                noPathRetry, rrMinIo, checkerTimeout, pollingInterval, maxPollingInterval);
    }

    public MapSettings withHandler(String handler, String prio) {
        return new MapSettings(pathGroupingPolicy, pathSelector, handler, features, prio, prioArgs, pathChecker,
                failback, noPathRetry, rrMinIo, checkerTimeout, pollingInterval, maxPollingInterval);
    }

    public MapSettings withFailback(String failback) {
        return new MapSettings(pathGroupingPolicy, pathSelector, hardwareHandler, features, prio, prioArgs,
                pathChecker, failback, noPathRetry, rrMinIo, checkerTimeout, pollingInterval, maxPollingInterval);
    }

    public MapSettings withNoPathRetry(NoPathRetry retry) {
        return new MapSettings(pathGroupingPolicy, pathSelector, hardwareHandler, features, prio, prioArgs,
                pathChecker, failback, retry, rrMinIo, checkerTimeout, pollingInterval, maxPollingInterval);
    }

    public MapSettings withTimers(Duration polling, Duration maxPolling, Duration checkerTimeout) {
        return new MapSettings(pathGroupingPolicy, pathSelector, hardwareHandler, features, prio, prioArgs,
                pathChecker, failback, noPathRetry, rrMinIo, checkerTimeout, polling, maxPolling);
    }

    public MapSettings withChecker(String checker) {
        return new MapSettings(pathGroupingPolicy, pathSelector, hardwareHandler, features, prio, prioArgs,
                checker, failback, noPathRetry, rrMinIo, checkerTimeout, pollingInterval, maxPollingInterval);
    }
}
