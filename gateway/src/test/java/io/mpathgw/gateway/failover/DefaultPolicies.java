package io.mpathgw.gateway.failover;

import io.mpathgw.gateway.config.MapPolicy;
import io.mpathgw.gateway.config.MultipathConf;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The policies a gateway runs with when multipath.conf says nothing: {@link MultipathConf#defaults()} (compiled-in
 * defaults and the built-in hardware table, which has an entry for the simulator's ALUA personality), turned into
 * the daemon's settings the way the service does it (gateway.api.ConfPolicies, package-private there).
 */
final class DefaultPolicies implements Policies {

    private final MultipathConf conf = MultipathConf.defaults();
    private final Policies names = Policies.uniform(MapSettings.DEFAULTS, true);

    @Override
    public MapSettings settingsFor(String vendor, String product, String revision, String wwid) {
        return settings(conf.policyFor(vendor, product, revision, wwid));
    }

    static MapSettings settings(MapPolicy p) {
        String[] hw = p.hardwareHandler().trim().split("\\s+");
        String handler = hw.length < 2 ? "" : String.join(" ", List.of(hw).subList(1, hw.length));
        String[] f = p.features().trim().split("\\s+");
        List<String> kept = new ArrayList<>();
        for (int i = 1; i < f.length; i++) if (!f[i].equals("queue_if_no_path")) kept.add(f[i]);
        String features = kept.isEmpty() ? "0" : kept.size() + " " + String.join(" ", kept);
        return new MapSettings(p.pathGroupingPolicy(), p.pathSelector(), handler, features, p.prio(), p.prioArgs(),
                p.pathChecker(), p.failback().toString(), p.noPathRetry(), p.rrMinIo(), p.checkerTimeout(),
                p.pollingInterval(), p.maxPollingInterval());
    }

    @Override
    public boolean blacklisted(String vendor, String product, String wwid, String dev) {
        return conf.blacklisted(vendor, product, wwid, dev);
    }

    @Override
    public String mapName(String wwid, Set<String> taken) {
        return names.mapName(wwid, taken);
    }

    @Override
    public String show() {
        return conf.show();
    }
}
