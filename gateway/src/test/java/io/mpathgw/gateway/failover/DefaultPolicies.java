package io.mpathgw.gateway.failover;

import io.mpathgw.gateway.api.ConfPolicies;
import io.mpathgw.gateway.config.MultipathConf;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;

import java.util.Set;

/**
 * The policies a gateway runs with when multipath.conf says nothing: {@link MultipathConf#defaults()} (compiled-in
 * defaults and the built-in hardware table, which has an entry for the simulator's ALUA personality), turned into
 * the daemon's settings by the service's own mapping ({@link ConfPolicies#settings}).
 */
final class DefaultPolicies implements Policies {

    private final MultipathConf conf = MultipathConf.defaults();
    private final Policies names = Policies.uniform(MapSettings.DEFAULTS, true);

    @Override
    public MapSettings settingsFor(String vendor, String product, String revision, String wwid) {
        return ConfPolicies.settings(conf.policyFor(vendor, product, revision, wwid));
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
