package io.mpathgw.gateway.config;

/** A resolved value and where it came from, as multipath -v3 prints it: "(setting: storage device configuration)". */
public record Effective<T>(T value, String origin) {

    static final String INTERNAL = "(setting: multipath internal)";
    static final String DEVICE = "(setting: storage device configuration)";
    static final String MULTIPATHS = "(setting: multipath.conf multipaths section)";
    static final String DEFAULTS = "(setting: multipath.conf defaults/devices section)";
    static final String OVERRIDES = "(setting: multipath.conf overrides section)";
    static final String AUTODETECTED = "(setting: storage device autodetected)";
    static final String FROM_TPGS = "(setting: autodetected from TPGS)";
}
