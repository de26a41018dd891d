package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.handler.HandlerSettings;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Gateway} starts from: the portals to log into (iscsid's node records), the iSCSI timers, and the
 * multipath policy. Immutable; {@link #builder()}.
 *
 * @param portals           portals in configuration order (paths are named in this order, as a scan would)
 * @param sessionsPerPortal sessions to open to each target portal (open-iscsi's nr_sessions)
 * @param initiatorName     our IQN
 * @param nopInterval       NOP-Out interval (noop_out_interval)
 * @param nopTimeout        NOP-Out timeout (noop_out_timeout): a silent portal is declared dead after it
 * @param loginTimeout      login_timeout
 * @param commandTimeout    the SCSI command timeout of each path
 * @param reconnectCap      the longest pause between relogin attempts (gateway.conf relogin_max_interval)
 * @param discoveryTimeout  how long {@link Gateway#start} waits for the first logins and scans
 * @param handlerSettings   hardware handler timers
 * @param policies          multipath.conf
 * @param eventCapacity     events kept in the timeline
 * @param policiesReload    reads the configuration files again for {@link Gateway#reconfigure()}; null when the
 *                          gateway was started without files
 * @param headerDigest      offer CRC32C for HeaderDigest at every login (the initiator offers "CRC32C,None")
 * @param dataDigest        offer CRC32C for DataDigest
 */
public record GatewaySetup(List<Portal> portals, int sessionsPerPortal, String initiatorName, Duration nopInterval,
                           Duration nopTimeout, Duration loginTimeout, Duration commandTimeout, Duration reconnectCap,
                           Duration discoveryTimeout, HandlerSettings handlerSettings, Policies policies,
                           int eventCapacity, java.util.concurrent.Callable<Policies> policiesReload,
                           boolean headerDigest, boolean dataDigest) {

    /**
     * One configured portal.
     *
     * @param address    where to log in (or to send SendTargets)
     * @param target     the target to log into; empty: discover with SendTargets and log into every target portal
     * @param chapUser   one-way CHAP user, empty for none
     * @param chapSecret its secret
     * @param mutualUser mutual CHAP: the name the target must answer with (gateway.conf chap_username_in), empty for
     *                   one-way CHAP
     * @param mutualSecret its secret (chap_password_in)
     */
    public record Portal(InetSocketAddress address, Optional<String> target, Optional<String> chapUser,
                         Optional<String> chapSecret, Optional<String> mutualUser, Optional<String> mutualSecret) {
        public Portal {
            Objects.requireNonNull(address, "address");
            if (chapUser.isPresent() != chapSecret.isPresent())
                throw new IllegalArgumentException("portal " + address + ": CHAP user and secret must be given together");
            if (mutualUser.isPresent() != mutualSecret.isPresent())
                throw new IllegalArgumentException("portal " + address
                        + ": mutual CHAP user and secret must be given together");
            if (mutualUser.isPresent() && chapUser.isEmpty())
                throw new IllegalArgumentException("portal " + address + ": mutual CHAP needs one-way CHAP too");
        }

        /** One-way CHAP or none. */
        public Portal(InetSocketAddress address, Optional<String> target, Optional<String> chapUser,
                      Optional<String> chapSecret) {
            this(address, target, chapUser, chapSecret, Optional.empty(), Optional.empty());
        }

        public static Portal discover(InetSocketAddress address) {
            return new Portal(address, Optional.empty(), Optional.empty(), Optional.empty());
        }

        public static Portal target(InetSocketAddress address, String target) {
            return new Portal(address, Optional.of(target), Optional.empty(), Optional.empty());
        }
    }

    public GatewaySetup {
        portals = List.copyOf(portals);
        if (sessionsPerPortal < 1 || sessionsPerPortal > 64)
            throw new IllegalArgumentException("sessions_per_portal: " + sessionsPerPortal + " (expected: 1..64)");
        Objects.requireNonNull(policies, "policies");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults fail fast (issue 7's aims: a silent portal fails its path within about 2 s, a returned one is back
     * within about 1 s): NOP 1 s / 1 s, login 10 s, commands 30 s, relogin at most every 0.5 s, no digests.
     */
    public static final class Builder {
        private final List<Portal> portals = new ArrayList<>();
        private int sessionsPerPortal = 1;
        private String initiatorName = "iqn.2026-11.io.mpathgw:gateway";
        private Duration nopInterval = Duration.ofSeconds(1), nopTimeout = Duration.ofSeconds(1);
        private Duration loginTimeout = Duration.ofSeconds(10), commandTimeout = Duration.ofSeconds(30);
        private Duration reconnectCap = Duration.ofMillis(500), discoveryTimeout = Duration.ofSeconds(15);
        private HandlerSettings handlerSettings = HandlerSettings.KERNEL.withCommandTimeout(Duration.ofSeconds(10));
        private Policies policies = Policies.uniform(MapSettings.DEFAULTS, true);
        private int eventCapacity = 10_000;
        private java.util.concurrent.Callable<Policies> policiesReload;
        private boolean headerDigest, dataDigest;

        public Builder portal(Portal p) { portals.add(p); return this; }
        public Builder sessionsPerPortal(int n) { sessionsPerPortal = n; return this; }
        public Builder initiatorName(String v) { initiatorName = v; return this; }
        public Builder nop(Duration interval, Duration timeout) { nopInterval = interval; nopTimeout = timeout; return this; }
        public Builder loginTimeout(Duration v) { loginTimeout = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder reconnectCap(Duration v) { reconnectCap = v; return this; }
        public Builder discoveryTimeout(Duration v) { discoveryTimeout = v; return this; }
        public Builder handlerSettings(HandlerSettings v) { handlerSettings = v; return this; }
        public Builder policies(Policies v) { policies = v; return this; }
        public Builder eventCapacity(int v) { eventCapacity = v; return this; }
        public Builder policiesReload(java.util.concurrent.Callable<Policies> v) { policiesReload = v; return this; }
        public Builder digests(boolean header, boolean data) { headerDigest = header; dataDigest = data; return this; }

        public GatewaySetup build() {
            return new GatewaySetup(portals, sessionsPerPortal, initiatorName, nopInterval, nopTimeout, loginTimeout,
                    commandTimeout, reconnectCap, discoveryTimeout, handlerSettings, policies, eventCapacity, policiesReload,
                    headerDigest, dataDigest);
        }
    }
}
