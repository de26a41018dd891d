package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.config.AliasBindings;

import java.util.Set;

/**
 * The daemon's view of multipath.conf: per-LU settings, the blacklist and map names. {@link #uniform} serves tests
 * and the demo; the gateway's configuration module supplies the real one (multipath.conf precedence, hwtable).
 */
public interface Policies {

    /**
     * The effective settings of a map over the LU with this INQUIRY identity and WWID, its TPGS not considered
     * (no ALUA autodetection).
     */
    MapSettings settingsFor(String vendor, String product, String revision, String wwid);

    /**
     * The effective settings once the LU's TPGS is known ({@code tpgs}: INQUIRY's TPGS bits are not 0, implicit or
     * explicit ALUA), which the daemon always asks: a policy with propsel.c's autodetection gives an ALUA LU prio
     * alua, group_by_prio, hardware handler alua where its configuration says nothing else. By default the same as
     * the 4-argument form, for policies without autodetection.
     */
    default MapSettings settingsFor(String vendor, String product, String revision, String wwid, boolean tpgs) {
        return settingsFor(vendor, product, revision, wwid);
    }

    /** blacklist minus blacklist_exceptions, plus find_multipaths: true keeps the path out of every map. */
    boolean blacklisted(String vendor, String product, String wwid, String dev);

    /** The map's name: its alias, else a user_friendly_names name not in {@code taken}, else the WWID. */
    String mapName(String wwid, Set<String> taken);

    /** {@code show config}: the effective configuration. */
    String show();

    /** One settings record for every LU; no blacklist; names from {@code mpatha} on when {@code friendlyNames}. */
    static Policies uniform(MapSettings settings, boolean friendlyNames) {
        return new Policies() {
            @Override
            public MapSettings settingsFor(String vendor, String product, String revision, String wwid) {
                return settings;
            }

            @Override
            public MapSettings settingsFor(String vendor, String product, String revision, String wwid,
                                           boolean tpgs) {
                return settings;
            }

            @Override
            public boolean blacklisted(String vendor, String product, String wwid, String dev) {
                return false;
            }

            @Override
            public String mapName(String wwid, Set<String> taken) {
                if (!friendlyNames) return wwid;
                for (int i = 0; ; i++) {
                    String n = "mpath" + AliasBindings.suffix(i);
                    if (!taken.contains(n)) return n;
                }
            }

            @Override
            public String show() {
                return "defaults {\n\tuser_friendly_names " + (friendlyNames ? "yes" : "no") + "\n}\n# " + settings + "\n";
            }
        };
    }
}
