package io.mpathgw.gateway.config;

import io.mpathgw.dm.engine.NoPathRetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves one map's settings as libmultipath's propsel.c does: each keyword from the first level that sets it,
 * multipaths entry → overrides → matching device entries (newest first: user entries, then the built-in table) →
 * defaults section → compiled-in, over the levels propsel.c consults for that keyword (path_checker is not per
 * multipath, hardware_handler only per device, the timers only in defaults).
 */
final class PolicyResolver {

    private enum Level { MPE, OVR, HWE, CONF }

    private static final Set<Level> ALL = EnumSet.allOf(Level.class);
    private static final Set<Level> NO_MPE = EnumSet.of(Level.OVR, Level.HWE, Level.CONF);

    private final MultipathConf conf;
    private final List<DeviceEntry> hwes;
    private final MultipathEntry mpe;
    private final Boolean tpgs;
    private final Map<String, String> origins = new LinkedHashMap<>();

    /** @param tpgs whether the LU reports ALUA (TPGS != 0); null when not known yet */
    PolicyResolver(MultipathConf conf, String vendor, String product, String revision, String wwid, Boolean tpgs) {
        this.conf = conf;
        this.hwes = conf.matchingDevices(vendor, product, revision);
        this.mpe = conf.multipathEntry(wwid);
        this.tpgs = tpgs;
    }

    MapPolicy resolve(String wwid) {
        Effective<String>[] prio = prio();
        String pgpolicy = pgpolicy(prio[0].value());
        String selector = keep("path_selector", pick("path_selector", ALL));
        List<String> features = new ArrayList<>();
        NoPathRetry npr = noPathRetry(features);
        String hwhandler = hwhandler();
        String checker = checker();
        Failback failback = failback(prio[0].value(), hwhandler);
        int polling = pollingInterval();
        int maxPolling = maxPollingInterval(polling);
        return new MapPolicy(pgpolicy, selector, hwhandler, counted(features), prio[0].value(), prio[1].value(),
                checker, failback, npr, keep("rr_min_io_rq", pick("rr_min_io_rq", ALL)),
                keep("rr_weight", pick("rr_weight", ALL)),
                Duration.ofSeconds(this.<Integer>keep("checker_timeout", pick("checker_timeout", EnumSet.of(Level.CONF)))),
                Duration.ofSeconds(polling), Duration.ofSeconds(maxPolling),
                keep("detect_prio", pick("detect_prio", NO_MPE)), keep("detect_checker", pick("detect_checker", NO_MPE)),
                pgInitRetries(features), alias(wwid), origins);
    }

    /**
     * no_path_retry, and into {@code features} the feature words as the table gets them: reconcile_features_with_options
     * turns a configured queue_if_no_path into no_path_retry queue when nothing sets no_path_retry and drops it from
     * the features; assemble_map then appends queue_if_no_path when no_path_retry queues.
     */
    private NoPathRetry noPathRetry(List<String> features) {
        Effective<NoPathRetry> np = pick("no_path_retry", ALL);
        features.addAll(ValueType.words(keep("features", pick("features", ALL))));
        features.remove(0);                                              // the count; recomputed by counted()
        if (features.remove("queue_if_no_path") && np.origin().equals(Effective.INTERNAL))
            np = new Effective<>(NoPathRetry.QUEUE, "(setting: inherited from feature 'queue_if_no_path')");
        features.remove("retain_attached_hw_handler");
        if (np.value().queues()) features.add("queue_if_no_path");
        return keep("no_path_retry", np);
    }

    /** prio and prio_args: from the same level, except that device entries may give them separately. */
    @SuppressWarnings("unchecked")
    private Effective<String>[] prio() {
        Effective<String> name, args;
        boolean detect = keep("detect_prio", pick("detect_prio", NO_MPE));
        if (detect && Boolean.TRUE.equals(tpgs)) {
            name = new Effective<>("alua", Effective.AUTODETECTED);
            args = new Effective<>("", Effective.AUTODETECTED);
        } else if (mpe != null && mpe.settings().has("prio")) {
            name = new Effective<>(mpe.settings().get("prio"), Effective.MULTIPATHS);
            args = new Effective<>(orEmpty(mpe.settings().get("prio_args")), Effective.MULTIPATHS);
        } else if (conf.overrides().has("prio")) {
            name = new Effective<>(conf.overrides().get("prio"), Effective.OVERRIDES);
            args = new Effective<>(orEmpty(conf.overrides().get("prio_args")), Effective.OVERRIDES);
        } else if (hwes.stream().anyMatch(e -> e.settings().has("prio"))) {
            name = new Effective<>(first("prio"), Effective.DEVICE);
            args = new Effective<>(orEmpty(first("prio_args")), Effective.DEVICE);
        } else if (conf.defaultsSettings().has("prio")) {
            name = new Effective<>(conf.defaultsSettings().get("prio"), Effective.DEFAULTS);
            args = new Effective<>(orEmpty(conf.defaultsSettings().get("prio_args")), Effective.DEFAULTS);
        } else {
            name = new Effective<>("const", Effective.INTERNAL);
            args = new Effective<>("", Effective.INTERNAL);
        }
        if (name.value().equals("alua") && Boolean.FALSE.equals(tpgs)) {
            name = new Effective<>("const", "(setting: emergency fallback - alua failed)");
            args = new Effective<>("", name.origin());
        }
        origins.put("prio", name.origin());
        origins.put("prio_args", args.origin());
        return new Effective[] {name, args};
    }

    private String pgpolicy(String prio) {
        boolean alua = prio.equals("alua");
        if (alua && this.<Boolean>keep("detect_pgpolicy", pick("detect_pgpolicy", NO_MPE))) {
            boolean tpg = keep("detect_pgpolicy_use_tpg", pick("detect_pgpolicy_use_tpg", NO_MPE));
            return keep("path_grouping_policy", new Effective<>(tpg ? "group_by_tpg" : "group_by_prio",
                    Effective.AUTODETECTED));
        }
        Effective<String> p = pick("path_grouping_policy", ALL);
        if (p.value().equals("group_by_tpg") && !alua)
            p = new Effective<>("failover", "(setting: emergency fallback - not all paths use alua prio)");
        return keep("path_grouping_policy", p);
    }

    private String hwhandler() {
        Effective<String> h = pick("hardware_handler", EnumSet.of(Level.HWE));
        if (Boolean.TRUE.equals(tpgs) && h.value().equals("0") && h.origin().equals(Effective.INTERNAL))
            h = new Effective<>("1 alua", Effective.FROM_TPGS);
        else if (Boolean.FALSE.equals(tpgs) && h.value().equals("1 alua"))
            h = new Effective<>("0", Effective.FROM_TPGS);
        return keep("hardware_handler", h);
    }

    private String checker() {
        if (this.<Boolean>keep("detect_checker", pick("detect_checker", NO_MPE)) && Boolean.TRUE.equals(tpgs))
            return keep("path_checker", new Effective<>("tur", Effective.AUTODETECTED));
        return keep("path_checker", pick("path_checker", NO_MPE));
    }

    /** Our deviation: with nothing configured, ALUA devices fail back immediately (see {@link CompiledDefaults}). */
    private Failback failback(String prio, String hwhandler) {
        Effective<Failback> f = pick("failback", ALL);
        if (f.origin().equals(Effective.INTERNAL) && (prio.equals("alua") || hwhandler.equals("1 alua")))
            f = new Effective<>(Failback.IMMEDIATE, Effective.INTERNAL);
        return keep("failback", f);
    }

    /** config.c: an unset polling_interval is a quarter of a set max_polling_interval (at least 1), and never above it. */
    private int pollingInterval() {
        Integer p = conf.defaultsSettings().get("polling_interval");
        Integer max = conf.defaultsSettings().get("max_polling_interval");
        String o = p != null ? Effective.DEFAULTS : Effective.INTERNAL;
        int v;
        if (p == null) v = max != null ? Math.max(1, max / CompiledDefaults.MAX_POLLING_FACTOR) : CompiledDefaults.POLLING_INTERVAL;
        else v = max != null ? Math.min(p, max) : p;
        origins.put("polling_interval", o);
        return v;
    }

    private int maxPollingInterval(int polling) {
        Integer max = conf.defaultsSettings().get("max_polling_interval");
        origins.put("max_polling_interval", max != null ? Effective.DEFAULTS : Effective.INTERNAL);
        return max != null ? max : polling * CompiledDefaults.MAX_POLLING_FACTOR;
    }

    private String alias(String wwid) {
        if (mpe != null && mpe.alias() != null) {
            origins.put("alias", Effective.MULTIPATHS);
            return mpe.alias();
        }
        boolean ufn = keep("user_friendly_names", pick("user_friendly_names", ALL));
        if (!ufn || wwid == null || wwid.isEmpty()) {
            origins.put("alias", "(setting: default to WWID)");
            return null;
        }
        String prefix = keep("alias_prefix", pick("alias_prefix", NO_MPE));
        origins.put("alias", "(setting: user_friendly_name)");
        return conf.bindings().aliasFor(wwid, prefix, conf.configuredAliases());
    }

    private static int pgInitRetries(List<String> features) {
        int i = features.indexOf("pg_init_retries");
        if (i < 0 || i + 1 >= features.size()) return 0;
        try {
            return Integer.parseInt(features.get(i + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String counted(List<String> words) {
        return words.isEmpty() ? "0" : words.size() + " " + String.join(" ", words);
    }

    private <T> Effective<T> pick(String key, Set<Level> levels) {
        if (levels.contains(Level.MPE) && mpe != null && mpe.settings().has(key))
            return new Effective<>(mpe.settings().get(key), Effective.MULTIPATHS);
        if (levels.contains(Level.OVR) && conf.overrides().has(key))
            return new Effective<>(conf.overrides().get(key), Effective.OVERRIDES);
        if (levels.contains(Level.HWE))
            for (DeviceEntry e : hwes)
                if (e.settings().has(key)) return new Effective<>(e.settings().get(key), Effective.DEVICE);
        if (levels.contains(Level.CONF) && conf.defaultsSettings().has(key))
            return new Effective<>(conf.defaultsSettings().get(key), Effective.DEFAULTS);
        return new Effective<>(CompiledDefaults.get(key), Effective.INTERNAL);
    }

    private <T> T keep(String key, Effective<T> e) {
        origins.put(key, e.origin());
        return e.value();
    }

    private <T> T first(String key) {
        for (DeviceEntry e : hwes) if (e.settings().has(key)) return e.settings().get(key);
        return null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
