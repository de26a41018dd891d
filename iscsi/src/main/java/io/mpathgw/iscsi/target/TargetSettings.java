package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.ChapAlgorithm;
import io.mpathgw.iscsi.text.TextKey;

import java.time.Duration;
import java.util.List;

/**
 * What the target offers and enforces, shared by every portal and target of one {@link IscsiTarget}. Immutable;
 * {@link #builder()} starts from the defaults below. The values are what the target answers in operational
 * negotiation (RFC 7143 §13), so the session result is the initiator's offer combined with these.
 *
 * @param maxRecvDataSegmentLength what the target declares it can receive (§13.12); default 262144
 * @param maxBurstLength           MaxBurstLength we accept (minimum with the offer); default 1048576
 * @param firstBurstLength         FirstBurstLength we accept; default 262144
 * @param maxOutstandingR2T        MaxOutstandingR2T we accept; default 4
 * @param initialR2T               our InitialR2T (OR with the offer); default No
 * @param immediateData            our ImmediateData (AND with the offer); default Yes
 * @param defaultTime2Wait         our DefaultTime2Wait (max with the offer), seconds; default 2
 * @param defaultTime2Retain       our DefaultTime2Retain (min with the offer), seconds; default 0: ERL 0 keeps nothing
 * @param queueDepth               commands a session may have in the target at once: the CmdSN window
 *                                 (MaxCmdSN - ExpCmdSN + 1 when idle); default 128
 * @param loginTimeout             a login not finished by then is dropped; default 15 s
 * @param nopInInterval            idle time after which the target pings with a NOP-In (zero: never); default 0
 * @param nopInTimeout             a NOP-In ping unanswered this long drops the connection; default 10 s
 * @param chapAlgorithms           CHAP_A values we accept, by IANA number; the initiator's order of preference wins
 */
public record TargetSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                             int maxOutstandingR2T, boolean initialR2T, boolean immediateData,
                             int defaultTime2Wait, int defaultTime2Retain, int queueDepth, Duration loginTimeout,
                             Duration nopInInterval, Duration nopInTimeout, List<ChapAlgorithm> chapAlgorithms) {

    public static final TargetSettings DEFAULTS = builder().build();

    public TargetSettings {
        check(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH, maxRecvDataSegmentLength);
        check(TextKey.MAX_BURST_LENGTH, maxBurstLength);
        check(TextKey.FIRST_BURST_LENGTH, firstBurstLength);
        check(TextKey.MAX_OUTSTANDING_R2T, maxOutstandingR2T);
        check(TextKey.DEFAULT_TIME2WAIT, defaultTime2Wait);
        check(TextKey.DEFAULT_TIME2RETAIN, defaultTime2Retain);
        if (firstBurstLength > maxBurstLength)
            throw new IllegalArgumentException("firstBurstLength: " + firstBurstLength
                    + " (expected: <= maxBurstLength " + maxBurstLength + ", RFC 7143 §13.14)");
        if (queueDepth < 1 || queueDepth > 65536)
            throw new IllegalArgumentException("queueDepth: " + queueDepth + " (expected: 1..65536)");
        chapAlgorithms = List.copyOf(chapAlgorithms);
        if (chapAlgorithms.isEmpty())
            throw new IllegalArgumentException("chapAlgorithms: [] (expected: at least one, e.g. MD5)");
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void check(TextKey key, int value) {
        if (value < key.min() || value > key.max())
            throw new IllegalArgumentException(key + ": " + value + " (expected: " + key.range() + ", " + key.rfc() + ")");
    }

    /** Mutable builder with the defaults documented on {@link TargetSettings}. */
    public static final class Builder {
        private int maxRecvDataSegmentLength = 262144, maxBurstLength = 1048576, firstBurstLength = 262144;
        private int maxOutstandingR2T = 4;
        private boolean initialR2T = false, immediateData = true;
        private int defaultTime2Wait = 2, defaultTime2Retain = 0, queueDepth = 128;
        private Duration loginTimeout = Duration.ofSeconds(15), nopInInterval = Duration.ZERO,
                nopInTimeout = Duration.ofSeconds(10);
        private List<ChapAlgorithm> chapAlgorithms = List.of(ChapAlgorithm.values());

        private Builder() {
        }

        public Builder maxRecvDataSegmentLength(int v) { maxRecvDataSegmentLength = v; return this; }
        public Builder maxBurstLength(int v) { maxBurstLength = v; return this; }
        public Builder firstBurstLength(int v) { firstBurstLength = v; return this; }
        public Builder maxOutstandingR2T(int v) { maxOutstandingR2T = v; return this; }
        public Builder initialR2T(boolean v) { initialR2T = v; return this; }
        public Builder immediateData(boolean v) { immediateData = v; return this; }
        public Builder defaultTime2Wait(int v) { defaultTime2Wait = v; return this; }
        public Builder defaultTime2Retain(int v) { defaultTime2Retain = v; return this; }
        public Builder queueDepth(int v) { queueDepth = v; return this; }
        public Builder loginTimeout(Duration v) { loginTimeout = v; return this; }
        public Builder nopInInterval(Duration v) { nopInInterval = v; return this; }
        public Builder nopInTimeout(Duration v) { nopInTimeout = v; return this; }
        public Builder chapAlgorithms(List<ChapAlgorithm> v) { chapAlgorithms = v; return this; }

        public TargetSettings build() {
            return new TargetSettings(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2T,
                    initialR2T, immediateData, defaultTime2Wait, defaultTime2Retain, queueDepth, loginTimeout,
                    nopInInterval, nopInTimeout, chapAlgorithms);
        }
    }
}
