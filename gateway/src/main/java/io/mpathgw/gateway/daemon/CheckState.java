package io.mpathgw.gateway.daemon;

/** multipath-tools' path states (checkers.h, spec §7.1) with the names {@code multipath -ll} prints. */
enum CheckState {
    WILD("undef"), UNCHECKED("undef"), DOWN("faulty"), UP("ready"), SHAKY("shaky"), GHOST("ghost"),
    PENDING("i/o pending"), TIMEOUT("i/o timeout"), DELAYED("delayed"),
    /** LU not supported (05/25/00): transient for multipath-tools (mapped to down), PDL when every path says so. */
    DISCONNECTED("faulty");

    private final String displayName;

    CheckState(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }

    /** The path may carry I/O: up, or ghost (standby, usable after activation). */
    boolean usable() {
        return this == UP || this == GHOST;
    }

    /** The path must be failed in the map. */
    boolean down() {
        return this == DOWN || this == TIMEOUT || this == DISCONNECTED;
    }
}
