package io.mpathgw.gateway.check;

import java.util.Objects;

/**
 * One check's verdict and the message multipathd would log after {@code <map>: <dev> - }, e.g.
 * {@code tur checker reports path is up}: the checker's name, the word "checker", then one of the message suffixes
 * of multipath-tools (spec §7.1; generic ones in {@code checkers.c}, the checker's own in its {@code msgtable}).
 *
 * @param state   the verdict
 * @param message the log message, never null
 */
public record CheckResult(PathState state, String message) {

    // generic suffixes (checkers.c generic_msg)
    public static final String UP = " reports path is up";
    public static final String DOWN = " reports path is down";
    public static final String GHOST = " reports path is ghost";
    public static final String UNSUPPORTED = " doesn't support this device";
    public static final String DISCONNECTED = " no access to this device";
    // tur's own (tur.c), used by every checker here since all of them run asynchronously
    public static final String RUNNING = " still running";
    public static final String TIMED_OUT = " timed out";
    public static final String TRANSITIONING = " reports path is transitioning";

    public CheckResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
    }

    /** {@code <checker> checker<suffix>}. */
    public static CheckResult of(PathState state, String checker, String suffix) {
        return new CheckResult(state, checker + " checker" + suffix);
    }
}
