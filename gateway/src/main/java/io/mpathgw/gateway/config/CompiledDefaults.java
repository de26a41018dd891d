package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a keyword has when no section sets it ("(setting: multipath internal)"). mpathgw fails fast where
 * multipath-tools is slow and queues boundedly where it queues for ever or not at all. Where we differ from
 * multipath-tools 0.14.3 (defaults.h), and why:
 * <ul>
 *   <li>{@code polling_interval 1} (multipath-tools 5): a path check is an asynchronous TUR on a session we own; a
 *       second between checks finds a dead portal 5x sooner and costs one small command per path per second.</li>
 *   <li>{@code max_polling_interval 4} (multipath-tools 4 x polling_interval = 20): the same 4x back-off, so a
 *       healthy path is still checked every 4 s.</li>
 *   <li>{@code checker_timeout 5} (multipath-tools: the SCSI device timeout, usually 30 s): a check that has not
 *       answered in 5 s is a dead path to us; 30 s is a long outage before failover (spec §8 #14).</li>
 *   <li>{@code no_path_retry 12} (multipath-tools: undef, which fails at once unless features queue): queue about
 *       12 s (12 checks of 1 s) through a short all-paths-down, then fail the I/O instead of hanging (spec §8 #1).</li>
 *   <li>{@code failback immediate} for ALUA devices, i.e. when the resolved prio is alua or the handler "1 alua"
 *       (multipath-tools: manual everywhere): ALUA arrays move the optimized group back themselves, and staying on
 *       the non-optimized group costs every I/O; other devices keep manual.</li>
 *   <li>{@code find_multipaths off} (multipath-tools strict): multipathd's "off" is greedy; mpathgw logs in only to
 *       portals the admin configured, so every LUN found there gets a map unless blacklisted.</li>
 *   <li>No built-in devnode blacklist (multipath-tools "!^(sd[a-z]|dasd[a-z]|nvme[0-9])"): our paths are sessions,
 *       not kernel block devices.</li>
 * </ul>
 * The other values are multipath-tools' own.
 */
final class CompiledDefaults {

    static final int POLLING_INTERVAL = 1;
    static final int MAX_POLLING_FACTOR = 4;

    /** Keyword -&gt; value; failback and no_path_retry have conditions, see {@link PolicyResolver}. */
    static final Map<String, Object> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("polling_interval", POLLING_INTERVAL);
        VALUES.put("max_polling_interval", POLLING_INTERVAL * MAX_POLLING_FACTOR);
        VALUES.put("path_selector", "service-time 0");
        VALUES.put("path_grouping_policy", "failover");
        VALUES.put("prio", "const");
        VALUES.put("prio_args", "");
        VALUES.put("features", "0");
        VALUES.put("path_checker", "tur");
        VALUES.put("hardware_handler", "0");
        VALUES.put("alias_prefix", "mpath");
        VALUES.put("failback", Failback.MANUAL);
        VALUES.put("rr_min_io_rq", 1);
        VALUES.put("rr_weight", "uniform");
        VALUES.put("no_path_retry", NoPathRetry.checks(12));
        VALUES.put("checker_timeout", 5);
        VALUES.put("user_friendly_names", Boolean.FALSE);
        VALUES.put("find_multipaths", FindMultipaths.OFF);
        VALUES.put("detect_prio", Boolean.TRUE);
        VALUES.put("detect_checker", Boolean.TRUE);
        VALUES.put("detect_pgpolicy", Boolean.TRUE);
        VALUES.put("detect_pgpolicy_use_tpg", Boolean.FALSE);
    }

    private CompiledDefaults() {
    }

    @SuppressWarnings("unchecked")
    static <T> T get(String key) {
        return (T) VALUES.get(key);
    }
}
