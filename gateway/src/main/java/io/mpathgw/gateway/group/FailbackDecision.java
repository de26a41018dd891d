package io.mpathgw.gateway.group;

/**
 * What multipathd does for a map at the end of a checker pass.
 *
 * @param bestPg the best group now ({@link PathGrouping#bestGroup}), 1-based; the argument of
 *               {@code switch_group} and the initial PG of a reloaded table
 * @param reason why, in multipathd's words where it logs one
 */
public record FailbackDecision(Action action, int bestPg, String reason) {

    public enum Action {
        /** Leave the map as it is. */
        NONE,
        /** Send the DM message {@code switch_group <bestPg>}. */
        SWITCH_GROUP,
        /** Group the paths again and reload the table (noflush): the group order itself is wrong. */
        RELOAD
    }

    static FailbackDecision none(int bestPg, String reason) {
        return new FailbackDecision(Action.NONE, bestPg, reason);
    }
}
