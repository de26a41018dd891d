package io.mpathgw.gateway.config;

/**
 * One {@code portal} block of gateway.conf: where to log in, and with which CHAP credentials.
 *
 * @param address        the portal; port 3260 when not given
 * @param target         the target to log in to; null: ask the portal by SendTargets and log in to every target and
 *                       portal it reports
 * @param chapUsername   CHAP name we answer with (iscsid: node.session.auth.username); null: no CHAP
 * @param chapPassword   its secret (node.session.auth.password); never printed
 * @param chapUsernameIn the name the target must answer with for mutual CHAP (username_in); null: one-way
 * @param chapPasswordIn its secret (password_in); never printed
 * @param line           the line of the block in its file, for messages about this portal later
 */
public record PortalConfig(PortalAddress address, String target, String chapUsername, String chapPassword,
                           String chapUsernameIn, String chapPasswordIn, int line) {

    /** SendTargets discovery rather than a fixed target. */
    public boolean discovery() {
        return target == null;
    }
}
