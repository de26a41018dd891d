package io.mpathgw.gateway.check;

/**
 * A path checker's verdict, the states of multipath-tools' {@code checkers.h} in their numeric order (spec §7.1).
 * {@link #displayName()} is what {@code multipath -ll} and {@code multipathd show paths} print in the checker column
 * ({@code print.c snprint_chk_state}); {@link #name()} lower-cased is what the logs call it
 * ({@code checker_state_name}).
 *
 * <p>Who returns what here: every checker returns {@link #UP} and {@link #DOWN}; {@link #GHOST} comes from
 * {@code tur} (NOT READY 04/0B), {@code rdac} (neither owner nor I/O shipping) and {@code hp_sw} (TEST UNIT READY
 * fails on the passive controller); {@link #SHAKY} only from {@code emc_clariion} (an NDU in progress);
 * {@link #PENDING} from {@code tur} (04/0A transitioning) and from any checker asked again while its previous check on
 * the same path runs ("still running"); {@link #TIMEOUT} from any checker whose check did not end within its timeout;
 * {@link #DISCONNECTED} from {@code tur} (ILLEGAL REQUEST 25/00, the LU is gone: PDL); {@link #WILD} when the device
 * does not support the checker's command (ILLEGAL REQUEST to the vendor INQUIRY). {@link #UNCHECKED},
 * {@link #REMOVED} and {@link #DELAYED} are set by the daemon (not checked yet, device gone, reinstatement withheld by
 * the marginal-path logic of §7.6), never by a checker.
 */
public enum PathState {
    /** 0: the checker cannot be used on this device (ENOTTY, ILLEGAL REQUEST to its command). */
    WILD("undef"),
    /** 1: not checked yet. */
    UNCHECKED("undef"),
    /** 2: the path failed. */
    DOWN("faulty"),
    /** 3: the path works. */
    UP("ready"),
    /** 4: answers, but the array says it is not fit for normal operation (emc_clariion: NDU in progress). */
    SHAKY("shaky"),
    /** 5: a standby path: answers TUR/INQUIRY but needs activation (pg_init) before it takes I/O. */
    GHOST("ghost"),
    /** 6: no verdict yet (a check still running, an ALUA transition): keep the previous state, look again soon. */
    PENDING("i/o pending"),
    /** 7: the check did not end within checker_timeout. */
    TIMEOUT("i/o timeout"),
    /** 8: the device went away. */
    REMOVED("undef"),
    /** 9: up again, but reinstatement is withheld (san_path_err_*, §7.6). */
    DELAYED("delayed"),
    /** 10: the LU is not there any more through this path (05/25/00); multipathd treats it as down. */
    DISCONNECTED("disconnected");

    private final String displayName;

    PathState(String displayName) {
        this.displayName = displayName;
    }

    /**
     * The checker column of {@code multipath -ll}: ready, faulty, shaky, ghost, i/o pending, i/o timeout, delayed,
     * disconnected (0.14.3 prints that word for it), undef for the rest.
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Whether multipathd keeps the path active in the kernel map in this state: {@link #UP} and {@link #GHOST}
     * (a ghost path is reinstated and grouped; I/O reaches it after pg_init), as {@code sync_map_state} does.
     * {@link #SHAKY} is failed like {@link #DOWN}; {@link #DELAYED} is withheld; {@link #PENDING} is not a verdict —
     * see {@link #keepsPreviousState()}.
     */
    public boolean usable() {
        return this == UP || this == GHOST;
    }

    /** {@link #PENDING}: multipathd keeps the state it had and re-checks after a second. */
    public boolean keepsPreviousState() {
        return this == PENDING;
    }

    /**
     * The state multipathd stores for a path after this verdict: {@link #TIMEOUT}, {@link #DISCONNECTED} and
     * {@link #REMOVED} are ephemeral and become {@link #DOWN} at once ({@code discovery.c}, {@code check_path}).
     */
    public PathState stored() {
        return this == TIMEOUT || this == DISCONNECTED || this == REMOVED ? DOWN : this;
    }

    /** The log name ({@code checker_state_name}): "up", "ghost", "disconnected". */
    public String logName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
