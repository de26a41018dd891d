package io.mpathgw.gateway.config;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The keywords of multipath.conf by section, as libmultipath's dict.c installs them (0.14.3): the ones mpathgw
 * implements with their value type, and the ones multipath-tools knows that we do not (reported as "unsupported",
 * never silently dropped). A keyword in neither list for its section is "unknown", as multipath-tools' "invalid
 * keyword in the ... section".
 */
final class Keywords {

    /** Where a keyword is valid. */
    enum Scope {
        DEFAULTS("defaults"), DEVICE("device"), OVERRIDES("overrides"), MULTIPATH("multipath");

        final String where;

        Scope(String where) {
            this.where = where;
        }
    }

    record Keyword(String name, ValueType type, Set<Scope> scopes) {
    }

    private static final Set<Scope> ALL = EnumSet.allOf(Scope.class);
    private static final Set<Scope> NOT_MP = EnumSet.of(Scope.DEFAULTS, Scope.DEVICE, Scope.OVERRIDES);
    private static final Set<Scope> DEF = EnumSet.of(Scope.DEFAULTS);
    private static final Set<Scope> DEV = EnumSet.of(Scope.DEVICE);
    private static final Set<Scope> MP = EnumSet.of(Scope.MULTIPATH);

    /** Implemented keywords, in the order {@code show config} prints them. */
    static final Map<String, Keyword> SUPPORTED = new LinkedHashMap<>();

    static {
        add("vendor", ValueType.REGEX, DEV);
        add("product", ValueType.REGEX, DEV);
        add("revision", ValueType.REGEX, DEV);
        add("product_blacklist", ValueType.REGEX, DEV);
        add("wwid", ValueType.NON_EMPTY, MP);
        add("alias", ValueType.NON_EMPTY, MP);
        add("polling_interval", ValueType.POSITIVE_INT, DEF);
        add("max_polling_interval", ValueType.POSITIVE_INT, DEF);
        add("path_selector", ValueType.SELECTOR, ALL);
        add("path_grouping_policy", ValueType.PGPOLICY, ALL);
        add("prio", ValueType.PRIO, ALL);
        add("prio_args", ValueType.STRING, ALL);
        add("features", ValueType.FEATURES, ALL);
        add("path_checker", ValueType.CHECKER, NOT_MP);
        add("hardware_handler", ValueType.HWHANDLER, DEV);
        add("alias_prefix", ValueType.NON_EMPTY, NOT_MP);
        add("failback", ValueType.FAILBACK, ALL);
        add("rr_min_io_rq", ValueType.POSITIVE_INT, ALL);
        add("rr_weight", ValueType.RR_WEIGHT, ALL);
        add("no_path_retry", ValueType.NO_PATH_RETRY, ALL);
        add("checker_timeout", ValueType.POSITIVE_INT, DEF);
        add("user_friendly_names", ValueType.YES_NO, ALL);
        add("find_multipaths", ValueType.FIND_MULTIPATHS, DEF);
        add("detect_prio", ValueType.YES_NO, NOT_MP);
        add("detect_checker", ValueType.YES_NO, NOT_MP);
        add("detect_pgpolicy", ValueType.YES_NO, NOT_MP);
        add("detect_pgpolicy_use_tpg", ValueType.YES_NO, NOT_MP);
    }

    /** dict.c spells path_checker also as "checker". */
    static String canonical(String key) {
        return key.equals("checker") ? "path_checker" : key;
    }

    /** Keywords multipath-tools knows in every one of defaults, devices, overrides (mostly kernel/udev tuning). */
    private static final Set<String> UNSUPPORTED_COMMON = Set.of("uid_attribute", "getuid_callout",
            "flush_on_last_del", "fast_io_fail_tmo", "dev_loss_tmo", "eh_deadline", "retain_attached_hw_handler",
            "deferred_remove", "delay_watch_checks", "delay_wait_checks", "san_path_err_threshold",
            "san_path_err_forget_rate", "san_path_err_recovery_time", "marginal_path_err_sample_time",
            "marginal_path_err_rate_threshold", "marginal_path_err_recheck_gap_time",
            "marginal_path_double_failed_time", "skip_kpartx", "purge_disconnected", "max_sectors_kb", "ghost_delay",
            "all_tg_pt", "recheck_wwid", "rr_min_io", "pg_timeout");

    private static final Map<Scope, Set<String>> UNSUPPORTED = Map.of(
            Scope.DEFAULTS, union(UNSUPPORTED_COMMON, Set.of("verbosity", "reassign_maps", "multipath_dir",
                    "uid_attrs", "max_fds", "queue_without_daemon", "allow_usb_devices", "mode", "uid", "gid",
                    "max_retries", "bindings_file", "wwids_file", "prkeys_file", "log_checker_err",
                    "reservation_key", "force_sync", "strict_timing", "partition_delimiter", "config_dir",
                    "uxsock_timeout", "retrigger_tries", "retrigger_delay", "missing_uev_wait_timeout",
                    "disable_changed_wwids", "remove_retries", "auto_resize", "find_multipaths_timeout",
                    "enable_foreign", "marginal_pathgroups")),
            Scope.DEVICE, union(UNSUPPORTED_COMMON, Set.of("vpd_vendor")),
            Scope.OVERRIDES, UNSUPPORTED_COMMON,
            Scope.MULTIPATH, Set.of("rr_min_io", "pg_timeout", "flush_on_last_del", "mode", "uid", "gid",
                    "reservation_key", "deferred_remove", "delay_watch_checks", "delay_wait_checks",
                    "san_path_err_threshold", "san_path_err_forget_rate", "san_path_err_recovery_time",
                    "marginal_path_err_sample_time", "marginal_path_err_rate_threshold",
                    "marginal_path_err_recheck_gap_time", "marginal_path_double_failed_time", "skip_kpartx",
                    "purge_disconnected", "max_sectors_kb", "ghost_delay"));

    private Keywords() {
    }

    private static void add(String name, ValueType type, Set<Scope> scopes) {
        SUPPORTED.put(name, new Keyword(name, type, scopes));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** The implemented keyword {@code key} in {@code scope}, or null. */
    static Keyword find(Scope scope, String key) {
        Keyword k = SUPPORTED.get(canonical(key));
        return k != null && k.scopes().contains(scope) ? k : null;
    }

    /** Whether multipath-tools knows {@code key} in {@code scope} though mpathgw does not implement it. */
    static boolean unsupported(Scope scope, String key) {
        return UNSUPPORTED.get(scope).contains(key);
    }
}
