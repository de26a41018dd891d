package io.mpathgw.gateway.group;

/**
 * multipath.conf's {@code failback} (spec §7.4): {@code manual} (the default), {@code immediate},
 * {@code followover}, or a number of seconds ({@code deferred}).
 *
 * @param seconds the deferral for {@link Kind#DEFERRED}, else 0
 */
public record FailbackMode(Kind kind, int seconds) {

    public enum Kind {
        /** Never switch groups automatically. */
        MANUAL,
        /** Switch as soon as the best group is not the kernel's next group. */
        IMMEDIATE,
        /** Switch only when the first path of the best group comes back. */
        FOLLOWOVER,
        /** Switch after a countdown of {@code seconds + 1} checker ticks, restarted by a path coming up. */
        DEFERRED
    }

    public static final FailbackMode MANUAL = new FailbackMode(Kind.MANUAL, 0);
    public static final FailbackMode IMMEDIATE = new FailbackMode(Kind.IMMEDIATE, 0);
    public static final FailbackMode FOLLOWOVER = new FailbackMode(Kind.FOLLOWOVER, 0);

    public FailbackMode {
        if ((kind == Kind.DEFERRED) != (seconds > 0))
            throw new IllegalArgumentException("failback " + kind + ": " + seconds
                    + " seconds (expected: > 0 for deferred, 0 otherwise)");
    }

    public static FailbackMode deferred(int seconds) {
        return new FailbackMode(Kind.DEFERRED, seconds);
    }

    /**
     * The config words. {@code 0} is multipath-tools' FAILBACK_UNDEF, which its precedence resolution replaces by
     * the default; it reads here as {@code manual}, that default.
     */
    public static FailbackMode parse(String word) {
        switch (word) {
            case "manual": return MANUAL;
            case "immediate": return IMMEDIATE;
            case "followover": return FOLLOWOVER;
            default: break;
        }
        try {
            int n = Integer.parseInt(word);
            if (n == 0) return MANUAL;
            if (n > 0) return deferred(n);
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("invalid value for failback: \"" + word
                + "\" (expected: manual, immediate, followover or a number of seconds)");
    }

    @Override
    public String toString() {
        return kind == Kind.DEFERRED ? Integer.toString(seconds) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
