package io.mpathgw.gateway.config;

/**
 * multipath.conf's {@code failback} (spec §7.4): {@code immediate}, {@code manual}, {@code followover}, or a number
 * of seconds ({@link Kind#DEFERRED}). {@code seconds} is 0 except for DEFERRED.
 */
public record Failback(Kind kind, int seconds) {

    public enum Kind { IMMEDIATE, MANUAL, FOLLOWOVER, DEFERRED }

    public static final Failback IMMEDIATE = new Failback(Kind.IMMEDIATE, 0);
    public static final Failback MANUAL = new Failback(Kind.MANUAL, 0);
    public static final Failback FOLLOWOVER = new Failback(Kind.FOLLOWOVER, 0);

    public Failback {
        if ((kind == Kind.DEFERRED) != (seconds > 0))
            throw new IllegalArgumentException("failback: " + kind + " " + seconds
                    + " (expected: seconds > 0 exactly for DEFERRED)");
    }

    /** Switch back {@code seconds} after the best group became usable again. */
    public static Failback deferred(int seconds) {
        return new Failback(Kind.DEFERRED, seconds);
    }

    /** The word multipath.conf uses: immediate, manual, followover or the number of seconds. */
    @Override
    public String toString() {
        return kind == Kind.DEFERRED ? Integer.toString(seconds) : kind.name().toLowerCase();
    }
}
