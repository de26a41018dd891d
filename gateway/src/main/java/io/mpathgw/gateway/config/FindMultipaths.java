package io.mpathgw.gateway.config;

/**
 * multipath.conf's {@code find_multipaths}, with multipathd's meaning (mpathgw is the daemon): which WWIDs get a map.
 * The words as multipath.conf(5) accepts them; {@code no}/{@code 0} are {@link #OFF}, {@code yes}/{@code 1} {@link #ON}.
 */
public enum FindMultipaths {
    /** multipathd behaves as {@link #GREEDY}: every WWID that is not blacklisted gets a map. */
    OFF,
    /** A WWID listed in the multipaths section, or seen on at least two non-blacklisted paths. */
    ON,
    /** Only WWIDs listed in the multipaths section (multipath-tools also reads its wwids file; we keep none). */
    STRICT,
    /** Every WWID that is not blacklisted. */
    GREEDY,
    /** As {@link #ON}; the single-path wait of udev is not ours to have, so it is the same. */
    SMART;

    static FindMultipaths parse(String word) {
        return switch (word) {
            case "no", "off", "0" -> OFF;
            case "yes", "on", "1" -> ON;
            case "strict" -> STRICT;
            case "greedy" -> GREEDY;
            case "smart" -> SMART;
            default -> null;
        };
    }

    /** Whether a WWID seen on {@code paths} paths gets a map; {@code listed}: it has a multipaths entry. */
    public boolean allows(boolean listed, int paths) {
        return switch (this) {
            case OFF, GREEDY -> true;
            case ON, SMART -> listed || paths >= 2;
            case STRICT -> listed;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
