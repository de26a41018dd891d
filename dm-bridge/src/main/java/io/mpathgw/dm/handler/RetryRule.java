package io.mpathgw.dm.handler;

import io.mpathgw.scsi.Sense;

import java.util.List;

/**
 * Which CHECK CONDITIONs the SCSI mid-layer retries for a handler command, and how often: the kernel's
 * {@code struct scsi_failures} (spec §6.2, §6.4). Handler commands are failfast passthrough commands, so without a
 * rule nothing is retried; transport failures never are.
 *
 * @param conditions   the retried conditions
 * @param totalAllowed retries across all conditions, or {@link #NO_LIMIT}
 */
record RetryRule(List<Condition> conditions, int totalAllowed) {

    static final int ANY = -1;
    static final int NO_LIMIT = -1;
    /**
     * The kernel has no bound for {@link #NO_LIMIT}; a device answering UNIT ATTENTION forever would spin a handler,
     * so mpathgw stops there and lets the command fail with its last sense.
     */
    static final int NO_LIMIT_CAP = 100;

    static final RetryRule NONE = new RetryRule(List.of(), 0);

    /**
     * One retried condition.
     *
     * @param senseKey sense key
     * @param asc      ASC or {@link #ANY}
     * @param ascq     ASCQ or {@link #ANY}
     * @param allowed  retries of this condition, or {@link #NO_LIMIT}; 0 means only {@code totalAllowed} counts
     */
    record Condition(int senseKey, int asc, int ascq, int allowed) {
        boolean matches(Sense s) {
            return s.senseKey() == senseKey && (asc == ANY || s.asc() == asc) && (ascq == ANY || s.ascq() == ascq);
        }
    }

    static Condition any(int senseKey) {
        return new Condition(senseKey, ANY, ANY, 0);
    }

    /** Retry counts of one command. */
    final class Counter {
        private final int[] retries = new int[conditions.size()];
        private int total;

        /** True when {@code r} is to be sent again (and counts the retry). */
        boolean retry(ScsiResult r) {
            if (!r.senseValid()) return false;
            for (int i = 0; i < conditions.size(); i++) {
                Condition c = conditions.get(i);
                if (!c.matches(r.sense())) continue;
                int allowed = c.allowed() == NO_LIMIT ? NO_LIMIT_CAP : c.allowed();
                if (allowed == 0 && totalAllowed == 0) return false;
                if (allowed > 0 && ++retries[i] > allowed) return false;
                if (totalAllowed == 0) return true;          // no total: the condition's own count decides
                return ++total <= (totalAllowed == NO_LIMIT ? NO_LIMIT_CAP : totalAllowed);
            }
            return false;
        }
    }

    Counter counter() {
        return new Counter();
    }
}
