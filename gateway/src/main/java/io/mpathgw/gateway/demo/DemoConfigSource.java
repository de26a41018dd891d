package io.mpathgw.gateway.demo;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Demo mode ({@code mpathgw.demo=true}): points {@code mpathgw.config} and {@code mpathgw.multipath-conf} at the
 * files a {@link DemoArray} writes ({@code <data dir>/demo/gateway.conf} and {@code multipath.conf}). Reading them
 * has no side effect (Quarkus reads configuration at build and static init too); {@link DemoStartup} starts the array
 * and writes the files before the daemon is made. Ordinal 275: above application.properties, below environment
 * variables and -D flags (which may still name other files).
 *
 * <p>Keys: {@code mpathgw.demo.array-port} (first of the four portals' ports, default 0: free ports),
 * {@code mpathgw.demo.lun-size} (default 1G), {@code mpathgw.demo.nbd-listen} (default 127.0.0.1:10809),
 * {@code mpathgw.demo.iscsi-listen} (default 127.0.0.1:3260), and {@code mpathgw.data-dir}.
 */
public final class DemoConfigSource implements ConfigSource {

    static final String CONFIG = "mpathgw.config", MULTIPATH_CONF = "mpathgw.multipath-conf";

    private final DemoSettings settings;

    DemoConfigSource(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(CONFIG, MULTIPATH_CONF);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(CONFIG, getValue(CONFIG), MULTIPATH_CONF, getValue(MULTIPATH_CONF));
    }

    @Override
    public String getValue(String name) {
        if (name.equals(CONFIG)) return DemoArray.dir(settings).resolve(DemoArray.GATEWAY_CONF).toString();
        if (name.equals(MULTIPATH_CONF)) return DemoArray.dir(settings).resolve(DemoArray.MULTIPATH_CONF).toString();
        return null;
    }

    @Override
    public String getName() {
        return "mpathgw demo array (mpathgw.demo=true)";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    /** Size with an optional K, M, G or T suffix (powers of 1024), as {@code mpathgw sim --lun} takes it. */
    static long bytes(String key, String v) {
        String s = v.trim().toUpperCase();
        int shift = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1));
            if (n > 0 && n <= Long.MAX_VALUE >> shift) return n << shift;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(key + ": '" + v + "' (expected: a size like 1G, 512M or 1073741824)");
    }

    /** The ServiceLoader entry point: no source at all unless {@code mpathgw.demo} is true. */
    public static final class Factory implements ConfigSourceFactory {
        @Override
        public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
            java.util.function.Function<String, String> lookup = key -> {
                ConfigValue v = context.getValue(key);
                return v == null ? null : v.getValue();
            };
            return enabled(lookup) ? List.of(new DemoConfigSource(settings(lookup))) : List.of();
        }
    }

    /** Whether {@code mpathgw.demo} is true ({@code lookup} gives null for an unset key). */
    static boolean enabled(java.util.function.Function<String, String> lookup) {
        String demo = lookup.apply("mpathgw.demo");
        if (demo == null || demo.equals("false")) return false;
        if (demo.equals("true")) return true;
        throw new IllegalArgumentException("mpathgw.demo: '" + demo + "' (expected: true or false)");
    }

    /** The demo's settings from the {@code mpathgw.demo.*} keys and {@code mpathgw.data-dir}. */
    static DemoSettings settings(java.util.function.Function<String, String> lookup) {
        java.util.function.BiFunction<String, String, String> value = (k, d) -> {
            String v = lookup.apply(k);
            return v == null || v.isBlank() ? d : v.trim();
        };
        String port = value.apply("mpathgw.demo.array-port", "0");
        int arrayPort;
        try {
            arrayPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mpathgw.demo.array-port: '" + port + "' (expected: 0..65532)");
        }
        DemoSettings d = DemoSettings.defaults(Path.of(value.apply("mpathgw.data-dir", ".mpathgw")));
        return new DemoSettings(d.dataDir(), d.host(), arrayPort,
                bytes("mpathgw.demo.lun-size", value.apply("mpathgw.demo.lun-size", "1G")),
                value.apply("mpathgw.demo.nbd-listen", d.nbdListen()),
                value.apply("mpathgw.demo.iscsi-listen", d.iscsiListen()));
    }
}
