package io.mpathgw.gateway.config;

/** One {@code multipath} block of the multipaths section: the WWID it applies to, and its per-map settings. */
record MultipathEntry(Settings settings, int line) {

    String wwid() {
        return settings.get("wwid");
    }

    /** null when the block sets none. */
    String alias() {
        return settings.get("alias");
    }
}
