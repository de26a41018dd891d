package io.mpathgw.gateway.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * user_friendly_names bindings (WWID -&gt; mpatha, mpathb, …), kept in memory only: multipath-tools keeps them in
 * /etc/multipath/bindings, we keep them for the life of the process and across reloads ({@link ConfigLoader} hands
 * them from the old config to the new). Names as libmultipath's alias.c forms them: prefix plus a bijective base-26
 * suffix, a..z, aa..az, ba.., zz, aaa..; a new WWID takes the lowest free one. Called from the control plane only;
 * synchronized because a reload and a discovery may ask at once.
 */
public final class AliasBindings {

    private final Map<String, String> byWwid = new HashMap<>();
    private final Map<String, String> byAlias = new HashMap<>();

    /**
     * The suffix of id 0 is "a", 25 "z", 26 "aa", 701 "zz", 702 "aaa" (also Linux's sd_format_disk_name rule,
     * which the daemon's sdX names use).
     */
    public static String suffix(int id) {
        StringBuilder b = new StringBuilder();
        for (int n = id; n >= 0; n = n / 26 - 1) b.append((char) ('a' + n % 26));
        return b.reverse().toString();
    }

    /** The alias bound to {@code wwid}, binding the lowest free {@code prefix}N that is not in {@code reserved}. */
    public synchronized String aliasFor(String wwid, String prefix, Set<String> reserved) {
        String bound = byWwid.get(wwid);
        if (bound != null && bound.startsWith(prefix)) return bound;
        for (int id = 0; ; id++) {
            String alias = prefix + suffix(id);
            if (byAlias.containsKey(alias) || reserved.contains(alias)) continue;
            if (bound != null) byAlias.remove(bound);
            byWwid.put(wwid, alias);
            byAlias.put(alias, wwid);
            return alias;
        }
    }

    /** The binding of {@code wwid}, or null. */
    public synchronized String bound(String wwid) {
        return byWwid.get(wwid);
    }
}
