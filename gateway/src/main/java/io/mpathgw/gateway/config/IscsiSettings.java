package io.mpathgw.gateway.config;

import java.time.Duration;

/**
 * The {@code iscsi} section of gateway.conf: the initiator's name and timers, keys named as the last component of
 * iscsid.conf's ({@code node.conn[0].timeo.noop_out_interval} is {@code noop_out_interval}). Our defaults are fast
 * where open-iscsi's are slow, so that a dead portal fails its path in seconds (spec §8 #3).
 *
 * @param initiatorName      our iSCSI name (iscsid: /etc/iscsi/initiatorname.iscsi); default
 *                           {@value #DEFAULT_INITIATOR_PREFIX} plus the host name
 * @param noopOutInterval    seconds between NOP-Outs on an idle connection; 0 disables them (iscsid: 5, ours 1, so
 *                           that a silent portal fails its path within about 2 s: issue 7's aim)
 * @param noopOutTimeout     seconds a NOP-Out may go unanswered before the connection counts as dead (iscsid: 5,
 *                           ours 1)
 * @param loginTimeout       seconds one login attempt may take (iscsid: 15, ours 5)
 * @param replacementTimeout read for iscsid.conf familiarity but NOT used (default 0, and {@link GatewayConfig#warnings()}
 *                           names it when set to anything else): our initiator fails a lost connection's commands back
 *                           to the map at once, which requeues them on another path (what fast_io_fail_tmo achieves on
 *                           Linux); nothing is held for a replacement session, and the session keeps logging in again
 *                           in the background so the path comes back by itself when its portal does
 * @param commandTimeout     seconds one SCSI command may take before it is aborted and the path is suspect (the
 *                           kernel's SCSI device timeout, 30)
 * @param sessionsPerPortal  sessions to log in per portal and target (iscsid: node.session.nr_sessions, 1)
 * @param headerDigest       HeaderDigest offered (iscsid: None)
 * @param dataDigest         DataDigest offered (iscsid: None)
 * @param reloginMaxInterval the longest pause between two login attempts of a session that lost its portal (the cap
 *                           of its exponential back-off), in seconds with decimals allowed (0.1 up); iscsid retries every few seconds,
 *                           ours 0.5, so that a portal that comes back carries I/O again within about 1 s
 */
public record IscsiSettings(String initiatorName, Duration noopOutInterval, Duration noopOutTimeout,
                            Duration loginTimeout, Duration replacementTimeout, Duration commandTimeout,
                            int sessionsPerPortal, DigestPreference headerDigest, DigestPreference dataDigest,
                            Duration reloginMaxInterval) {

    public static final String DEFAULT_INITIATOR_PREFIX = "iqn.2026-11.io.mpathgw:";

    /** All defaults; the initiator name from this host's name. */
    public static IscsiSettings defaults() {
        return new IscsiSettings(defaultInitiatorName(), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), 1, DigestPreference.NONE,
                DigestPreference.NONE, Duration.ofMillis(500));
    }

    static String defaultInitiatorName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "gateway";
        }
        String clean = host.toLowerCase().replaceAll("[^a-z0-9.-]", "-");
        return DEFAULT_INITIATOR_PREFIX + (clean.isEmpty() ? "gateway" : clean);
    }
}
