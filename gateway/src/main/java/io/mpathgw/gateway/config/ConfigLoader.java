package io.mpathgw.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads multipath.conf and gateway.conf into a {@link ConfigSet}, or throws naming file, line and key. Nothing is
 * changed on failure: the caller keeps running on the set it had (multipathd's {@code reconfigure} does the same).
 * A file that does not exist means its built-in defaults, as multipath-tools treats a missing /etc/multipath.conf.
 */
public final class ConfigLoader {

    private final Path multipathConf;
    private final Path gatewayConf;

    public ConfigLoader(Path multipathConf, Path gatewayConf) {
        this.multipathConf = multipathConf;
        this.gatewayConf = gatewayConf;
    }

    /** The first load. */
    public ConfigSet load() throws ConfException {
        return reload(null);
    }

    /**
     * A new set from the files as they are now; {@code running}'s user_friendly_names bindings carry over, so a map
     * keeps its name. On any error this throws and {@code running} is untouched.
     */
    public ConfigSet reload(ConfigSet running) throws ConfException {
        MultipathConf m = Files.exists(multipathConf) ? MultipathConf.load(multipathConf) : MultipathConf.defaults();
        GatewayConfig g = Files.exists(gatewayConf) ? GatewayConfig.load(gatewayConf) : GatewayConfig.defaults();
        if (running != null) m.adoptBindings(running.multipath().bindings());
        return new ConfigSet(m, g);
    }

    public Path multipathConf() {
        return multipathConf;
    }

    public Path gatewayConf() {
        return gatewayConf;
    }
}
