package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;

import java.time.Duration;
import java.util.Map;

/**
 * The effective settings of one map, resolved with multipath-tools' precedence (propsel.c): multipaths section &gt;
 * overrides &gt; devices (user entries, then the built-in hardware table) &gt; defaults section &gt; compiled-in.
 *
 * @param pathGroupingPolicy failover, multibus, group_by_serial, group_by_prio, group_by_node_name or group_by_tpg
 * @param pathSelector       as the table wants it: selector name and its argument count, e.g. "service-time 0"
 * @param hardwareHandler    kernel table form: "0" or "1 alua"
 * @param features           kernel table form as multipath-tools assembles it: the configured features without
 *                           queue_if_no_path, then queue_if_no_path appended when {@code noPathRetry} queues
 *                           ("1 queue_if_no_path", "3 pg_init_retries 50 queue_if_no_path")
 * @param prio               prioritizer name; with {@code detectPrio} the daemon may still pick alua by TPGS
 * @param prioArgs           its arguments, "" when none
 * @param pathChecker        checker name
 * @param failback           when to switch back to the best group
 * @param noPathRetry        queueing after the last path is lost, in checker intervals
 * @param rrMinIo            rr_min_io_rq: the repeat count per path in the table
 * @param rrWeight           "uniform" or "priorities"
 * @param checkerTimeout     bound of one path check
 * @param pollingInterval    checker interval after a change
 * @param maxPollingInterval checker interval of a path that stays healthy
 * @param detectPrio         let TPGS decide the prioritizer
 * @param detectChecker      let TPGS decide the checker
 * @param pgInitRetries      pg_init_retries of the features, 0 when absent
 * @param alias              the map's name when it is not its WWID (multipaths alias or user friendly name); null when none
 * @param origins            keyword -&gt; "(setting: ...)" as multipath -v3 prints them
 */
public record MapPolicy(String pathGroupingPolicy, String pathSelector, String hardwareHandler, String features,
                        String prio, String prioArgs, String pathChecker, Failback failback, NoPathRetry noPathRetry,
                        int rrMinIo, String rrWeight, Duration checkerTimeout, Duration pollingInterval,
                        Duration maxPollingInterval, boolean detectPrio, boolean detectChecker, int pgInitRetries,
                        String alias, Map<String, String> origins) {

    public MapPolicy {
        origins = Map.copyOf(origins);
    }

    /** The same policy without origins: what two configs that mean the same produce. */
    public MapPolicy withoutOrigins() {
        return new MapPolicy(pathGroupingPolicy, pathSelector, hardwareHandler, features, prio, prioArgs, pathChecker,
                failback, noPathRetry, rrMinIo, rrWeight, checkerTimeout, pollingInterval, maxPollingInterval,
                detectPrio, detectChecker, pgInitRetries, alias, Map.of());
    }

    /** One line per keyword as multipath -v3 logs it: {@code path_grouping_policy = group_by_prio (setting: ...)}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        line(b, "path_grouping_policy", pathGroupingPolicy);
        line(b, "path_selector", "\"" + pathSelector + "\"");
        line(b, "hardware_handler", "\"" + hardwareHandler + "\"");
        line(b, "features", "\"" + features + "\"");
        line(b, "prio", prio);
        line(b, "prio_args", "\"" + prioArgs + "\"");
        line(b, "path_checker", pathChecker);
        line(b, "failback", failback);
        line(b, "no_path_retry", noPathRetry);
        line(b, "rr_min_io_rq", rrMinIo);
        line(b, "rr_weight", rrWeight);
        line(b, "checker_timeout", checkerTimeout.toSeconds() + " s");
        line(b, "polling_interval", pollingInterval.toSeconds());
        line(b, "max_polling_interval", maxPollingInterval.toSeconds());
        line(b, "detect_prio", detectPrio ? "yes" : "no");
        line(b, "detect_checker", detectChecker ? "yes" : "no");
        line(b, "alias", alias);
        return b.toString();
    }

    private void line(StringBuilder b, String key, Object value) {
        if (value == null) return;
        b.append(key).append(" = ").append(value);
        String o = origins.get(key);
        if (o != null) b.append(' ').append(o);
        b.append('\n');
    }
}
