package io.mpathgw.gateway.config;

/** The two files the gateway runs on, loaded together: a reload swaps both or neither. */
public record ConfigSet(MultipathConf multipath, GatewayConfig gateway) {

    /** Built-in defaults only: the hardware table, compiled-in defaults, no portals. */
    public static ConfigSet defaults() {
        return new ConfigSet(MultipathConf.defaults(), GatewayConfig.defaults());
    }
}
