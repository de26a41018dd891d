package io.mpathgw.gateway.api;

import io.mpathgw.gateway.config.MapPolicy;
import io.mpathgw.gateway.config.MultipathConf;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's {@link Policies} read from a loaded multipath.conf: {@link MultipathConf#policyFor} (propsel.c
 * precedence, built-in hardware table) turned into the daemon's {@link MapSettings}, its blacklist, and its names
 * (multipaths alias, else user_friendly_names, else the WWID). The policy of a WWID is remembered from
 * {@link #settingsFor}, which the daemon asks before it names the map, so {@link #mapName} uses the same entry.
 */
public final class ConfPolicies implements Policies {

    private final MultipathConf conf;
    private final Map<String, MapPolicy> byWwid = new ConcurrentHashMap<>();

    ConfPolicies(MultipathConf conf) {
        this.conf = conf;
    }

    @Override
    public MapSettings settingsFor(String vendor, String product, String revision, String wwid) {
        return remember(wwid, conf.policyFor(vendor, product, revision, wwid));
    }

    /** What the daemon asks: with the LU's TPGS known, propsel.c's ALUA autodetection applies. */
    @Override
    public MapSettings settingsFor(String vendor, String product, String revision, String wwid, boolean tpgs) {
        return remember(wwid, conf.policyFor(vendor, product, revision, wwid, tpgs));
    }

    private MapSettings remember(String wwid, MapPolicy p) {
        byWwid.put(wwid, p);
        return settings(p);
    }

    /**
     * One resolved multipath.conf policy as the daemon's settings: the handler by name, and the features without
     * queue_if_no_path (the daemon derives queueing from no_path_retry). Public so that tests which start a
     * {@code Gateway} without the service map policies exactly as the service does.
     */
    public static MapSettings settings(MapPolicy p) {
        return new MapSettings(p.pathGroupingPolicy(), p.pathSelector(), handlerName(p.hardwareHandler()),
                withoutQueueIfNoPath(p.features()), p.prio(), p.prioArgs(), p.pathChecker(), p.failback().toString(),
                p.noPathRetry(), p.rrMinIo(), p.checkerTimeout(), p.pollingInterval(), p.maxPollingInterval());
    }

    /** "1 alua" → "alua", "0" → "": MapSettings names the handler, the table form counts its words. */
    static String handlerName(String table) {
        String[] w = table.trim().split("\\s+");
        return w.length < 2 ? "" : String.join(" ", List.of(w).subList(1, w.length));
    }

    /** "3 pg_init_retries 50 queue_if_no_path" → "2 pg_init_retries 50": the daemon derives queueing from no_path_retry. */
    static String withoutQueueIfNoPath(String features) {
        String[] w = features.trim().split("\\s+");
        List<String> kept = new ArrayList<>();
        for (int i = 1; i < w.length; i++) if (!w[i].equals("queue_if_no_path")) kept.add(w[i]);
        return kept.isEmpty() ? "0" : kept.size() + " " + String.join(" ", kept);
    }

    @Override
    public boolean blacklisted(String vendor, String product, String wwid, String dev) {
        return conf.blacklisted(vendor, product, wwid, dev);
    }

    @Override
    public String mapName(String wwid, Set<String> taken) {
        MapPolicy p = byWwid.get(wwid);
        String alias = p != null ? p.alias() : conf.bindings().bound(wwid);
        return alias == null || taken.contains(alias) ? wwid : alias;
    }

    @Override
    public String show() {
        return conf.show();
    }
}
