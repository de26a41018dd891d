package io.mpathgw.iscsi.initiator;

import io.mpathgw.iscsi.login.ChapAlgorithm;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one initiator session needs: where to log in, as whom, what to offer, and its timers. Immutable;
 * build with {@link #builder(InetSocketAddress, String)}. Defaults fail fast, as a multipath path should.
 *
 * @param portal                 address of the target portal
 * @param targetName             target IQN; empty for a discovery session
 * @param initiatorName          our IQN
 * @param chapUser               one-way CHAP: our name (empty: no CHAP)
 * @param chapSecret             one-way CHAP: our secret
 * @param mutualUser             mutual CHAP: the target's expected name (empty: one-way only)
 * @param mutualSecret           mutual CHAP: the target's secret
 * @param headerDigest           offer CRC32C for HeaderDigest (we still accept None)
 * @param dataDigest             offer CRC32C for DataDigest
 * @param maxRecvDataSegmentLength what we declare (RFC 7143 §13.12)
 * @param maxBurstLength         offered MaxBurstLength
 * @param firstBurstLength       offered FirstBurstLength
 * @param initialR2T             offered InitialR2T
 * @param immediateData          offered ImmediateData
 * @param maxOutstandingR2T      offered MaxOutstandingR2T
 * @param isid                   6-byte ISID; kept across reconnects so the target reinstates the session
 * @param nopInterval            idle time after which a NOP-Out ping is sent (zero: never)
 * @param nopTimeout             time a ping may go unanswered before the connection is declared dead
 * @param loginTimeout           bound on TCP connect + whole login
 * @param commandTimeout         default per-command timeout
 * @param abortTimeout           bound on an ABORT TASK sent for a timed-out command (and on a task set function such
 *                               as LOGICAL UNIT RESET) before the connection drops
 * @param maxConsecutiveTimeouts command timeouts in a row on one connection, with no command completing in between,
 *                               at which the connection is dropped (and logged in again) instead of sending one more
 *                               ABORT TASK; 1 drops at the first timeout. See {@code TaskAbort} for why
 * @param reconnectInitial       first reconnect delay
 * @param reconnectCap           cap of the exponential reconnect back-off
 * @param queueDepth             commands accepted at once (outstanding + waiting for the CmdSN window)
 * @param initialCmdSn           CmdSN of the leading Login Request and so of the first command (RFC 7143 §11.12.8);
 *                               any value, as CmdSN is compared in serial arithmetic (tests start near 2^32)
 */
public record InitiatorConfig(
        InetSocketAddress portal, Optional<String> targetName, String initiatorName,
        Optional<String> chapUser, Optional<String> chapSecret, Optional<String> mutualUser, Optional<String> mutualSecret,
        boolean headerDigest, boolean dataDigest,
        int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
        boolean initialR2T, boolean immediateData, int maxOutstandingR2T,
        long isid,
        Duration nopInterval, Duration nopTimeout, Duration loginTimeout, Duration commandTimeout,
        Duration abortTimeout, int maxConsecutiveTimeouts, Duration reconnectInitial, Duration reconnectCap, int queueDepth, int initialCmdSn,
        List<ChapAlgorithm> chapAlgorithms) {

    public static final String DEFAULT_INITIATOR_NAME = "iqn.2026-11.io.mpathgw:initiator";

    public InitiatorConfig {
        Objects.requireNonNull(portal, "portal");
        if (queueDepth < 1 || queueDepth > 65536)
            throw new IllegalArgumentException("queueDepth: " + queueDepth + " (expected: 1..65536)");
        if (maxConsecutiveTimeouts < 1)
            throw new IllegalArgumentException("maxConsecutiveTimeouts: " + maxConsecutiveTimeouts
                    + " (expected: >= 1; 1 drops the connection at the first command timeout)");
        chapAlgorithms = List.copyOf(chapAlgorithms);
        if (chapAlgorithms.isEmpty())
            throw new IllegalArgumentException("chapAlgorithms: [] (expected: at least one, e.g. MD5)");
        if (chapUser.isPresent() != chapSecret.isPresent())
            throw new IllegalArgumentException("CHAP: user and secret must be given together");
        if (mutualUser.isPresent() && chapUser.isEmpty())
            throw new IllegalArgumentException("mutual CHAP: needs one-way CHAP credentials too (RFC 7143 §12.1.3)");
    }

    public boolean discovery() {
        return targetName.isEmpty();
    }

    public static Builder builder(InetSocketAddress portal, String targetName) {
        return new Builder(portal, targetName);
    }

    public Builder toBuilder() {
        Builder b = new Builder(portal, targetName.orElse(null));
        b.initiatorName = initiatorName; b.chapUser = chapUser.orElse(null); b.chapSecret = chapSecret.orElse(null);
        b.mutualUser = mutualUser.orElse(null); b.mutualSecret = mutualSecret.orElse(null);
        b.headerDigest = headerDigest; b.dataDigest = dataDigest; b.maxRecvDataSegmentLength = maxRecvDataSegmentLength;
        b.maxBurstLength = maxBurstLength; b.firstBurstLength = firstBurstLength; b.initialR2T = initialR2T;
        b.immediateData = immediateData; b.maxOutstandingR2T = maxOutstandingR2T; b.isid = isid;
        b.nopInterval = nopInterval; b.nopTimeout = nopTimeout; b.loginTimeout = loginTimeout;
        b.commandTimeout = commandTimeout; b.abortTimeout = abortTimeout;
        b.maxConsecutiveTimeouts = maxConsecutiveTimeouts; b.reconnectInitial = reconnectInitial;
        b.reconnectCap = reconnectCap; b.queueDepth = queueDepth; b.chapAlgorithms = chapAlgorithms; b.initialCmdSn = initialCmdSn;
        return b;
    }

    /** Mutable builder; defaults as documented on {@link InitiatorConfig}. */
    public static final class Builder {
        private InetSocketAddress portal;
        private final String targetName;
        private String initiatorName = DEFAULT_INITIATOR_NAME;
        private String chapUser, chapSecret, mutualUser, mutualSecret;
        private boolean headerDigest, dataDigest;
        private int maxRecvDataSegmentLength = 262144;
        private int maxBurstLength = 1048576;
        private int firstBurstLength = 262144;
        private boolean initialR2T = false, immediateData = true;
        private int maxOutstandingR2T = 8;
        private long isid = Isid.random();
        private Duration nopInterval = Duration.ofSeconds(5), nopTimeout = Duration.ofSeconds(5);
        private Duration loginTimeout = Duration.ofSeconds(10), commandTimeout = Duration.ofSeconds(30);
        private Duration abortTimeout = Duration.ofSeconds(5);
        private int maxConsecutiveTimeouts = 2;
        private Duration reconnectInitial = Duration.ofMillis(100), reconnectCap = Duration.ofSeconds(5);
        private int queueDepth = 256;
        private List<ChapAlgorithm> chapAlgorithms = ChapAlgorithm.DEFAULT_PREFERENCE;
        private int initialCmdSn = 1;

        private Builder(InetSocketAddress portal, String targetName) {
            this.portal = portal;
            this.targetName = targetName;
        }

        public Builder portal(InetSocketAddress v) { portal = v; return this; }
        public Builder initiatorName(String v) { initiatorName = v; return this; }
        public Builder chap(String user, String secret) { chapUser = user; chapSecret = secret; return this; }
        public Builder mutualChap(String user, String secret) { mutualUser = user; mutualSecret = secret; return this; }
        public Builder headerDigest(boolean v) { headerDigest = v; return this; }
        public Builder dataDigest(boolean v) { dataDigest = v; return this; }
        public Builder maxRecvDataSegmentLength(int v) { maxRecvDataSegmentLength = v; return this; }
        public Builder maxBurstLength(int v) { maxBurstLength = v; return this; }
        public Builder firstBurstLength(int v) { firstBurstLength = v; return this; }
        public Builder initialR2T(boolean v) { initialR2T = v; return this; }
        public Builder immediateData(boolean v) { immediateData = v; return this; }
        public Builder maxOutstandingR2T(int v) { maxOutstandingR2T = v; return this; }
        public Builder isid(long v) { isid = v; return this; }
        public Builder nopInterval(Duration v) { nopInterval = v; return this; }
        public Builder nopTimeout(Duration v) { nopTimeout = v; return this; }
        public Builder loginTimeout(Duration v) { loginTimeout = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder abortTimeout(Duration v) { abortTimeout = v; return this; }
        public Builder maxConsecutiveTimeouts(int v) { maxConsecutiveTimeouts = v; return this; }
        public Builder reconnectInitial(Duration v) { reconnectInitial = v; return this; }
        public Builder reconnectCap(Duration v) { reconnectCap = v; return this; }
        public Builder queueDepth(int v) { queueDepth = v; return this; }
        public Builder chapAlgorithms(List<ChapAlgorithm> v) { chapAlgorithms = v; return this; }
        public Builder initialCmdSn(int v) { initialCmdSn = v; return this; }

        public InitiatorConfig build() {
            return new InitiatorConfig(portal, Optional.ofNullable(targetName), initiatorName,
                    Optional.ofNullable(chapUser), Optional.ofNullable(chapSecret),
                    Optional.ofNullable(mutualUser), Optional.ofNullable(mutualSecret),
                    headerDigest, dataDigest, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength,
                    initialR2T, immediateData, maxOutstandingR2T, isid, nopInterval, nopTimeout, loginTimeout,
                    commandTimeout, abortTimeout, maxConsecutiveTimeouts, reconnectInitial, reconnectCap, queueDepth, initialCmdSn, chapAlgorithms);
        }
    }
}
