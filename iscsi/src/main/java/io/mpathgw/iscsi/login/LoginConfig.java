package io.mpathgw.iscsi.login;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextParameters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the initiator offers in a login. Immutable; {@link #builder(String)} starts from the defaults below. We
 * always offer MaxConnections=1 and ErrorRecoveryLevel=0, the only values this initiator implements.
 *
 * @param initiatorName            InitiatorName, an iqn./eui./naa. name
 * @param targetName               TargetName; empty for a discovery session (SessionType=Discovery)
 * @param chap                     our CHAP name and secret; empty: no authentication, login starts in operational
 *                                 negotiation
 * @param mutualChap               the name and secret we expect from the target (mutual CHAP); needs {@code chap}
 * @param chapAlgorithms           CHAP_A offer, preferred first; default SHA3-256, SHA-256, SHA-1, MD5
 * @param headerDigest             offer HeaderDigest=CRC32C,None (else None)
 * @param dataDigest               offer DataDigest=CRC32C,None (else None)
 * @param maxRecvDataSegmentLength what we declare we can receive; default 262144
 * @param maxBurstLength           offered MaxBurstLength; default 16776192
 * @param firstBurstLength         offered FirstBurstLength; default 262144
 * @param initialR2T               offered InitialR2T; default No
 * @param immediateData            offered ImmediateData; default Yes
 * @param maxOutstandingR2T        offered MaxOutstandingR2T; default 8
 * @param defaultTime2Wait         offered DefaultTime2Wait, seconds; default 2
 * @param defaultTime2Retain       offered DefaultTime2Retain, seconds; default 0 (ERL 0 keeps nothing to retain)
 * @param initiatorAlias           InitiatorAlias, declared when present
 * @param extensionKeys            X- / X# keys sent with the operational offer, answers collected by the conversation
 */
public record LoginConfig(
        String initiatorName, Optional<String> targetName, Optional<ChapCredentials> chap,
        Optional<ChapCredentials> mutualChap, List<ChapAlgorithm> chapAlgorithms, boolean headerDigest,
        boolean dataDigest, int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
        boolean initialR2T, boolean immediateData, int maxOutstandingR2T, int defaultTime2Wait,
        int defaultTime2Retain, Optional<String> initiatorAlias, TextParameters extensionKeys) {

    public LoginConfig {
        checkName("initiatorName", initiatorName);
        targetName.ifPresent(t -> checkName("targetName", t));
        initiatorAlias.ifPresent(a -> {
            if (a.getBytes(StandardCharsets.UTF_8).length > TextKey.MAX_SIMPLE_VALUE_LENGTH)
                throw new IllegalArgumentException("initiatorAlias: " + a.length() + " characters (expected: at most "
                        + TextKey.MAX_SIMPLE_VALUE_LENGTH + " bytes, RFC 7143 §6.1)");
        });
        chapAlgorithms = List.copyOf(chapAlgorithms);
        if (chapAlgorithms.isEmpty())
            throw new IllegalArgumentException("chapAlgorithms: [] (expected: at least one, e.g. MD5)");
        if (mutualChap.isPresent() && chap.isEmpty())
            throw new IllegalArgumentException("mutualChap: set without chap (expected: one-way CHAP first, RFC 7143 §12.1.3)");
        if (mutualChap.isPresent() && mutualChap.get().sameSecret(chap.get()))
            throw new IllegalArgumentException("mutualChap secret: same as the chap secret (expected: "
                    + "a different one; a secret for initiator authentication must not authenticate targets, RFC 7143 §12.1.3)");
        check(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH, maxRecvDataSegmentLength);
        check(TextKey.MAX_BURST_LENGTH, maxBurstLength);
        check(TextKey.FIRST_BURST_LENGTH, firstBurstLength);
        check(TextKey.MAX_OUTSTANDING_R2T, maxOutstandingR2T);
        check(TextKey.DEFAULT_TIME2WAIT, defaultTime2Wait);
        check(TextKey.DEFAULT_TIME2RETAIN, defaultTime2Retain);
        if (firstBurstLength > maxBurstLength)
            throw new IllegalArgumentException("firstBurstLength: " + firstBurstLength + " (expected: <= maxBurstLength "
                    + maxBurstLength + ", RFC 7143 §13.14)");
        for (TextParameters.Entry e : extensionKeys)
            if (!TextKey.isExtension(e.key()))
                throw new IllegalArgumentException("extensionKeys: " + e.key() + " (expected: X-... or X#... keys, RFC 7143 §13.22)");
        extensionKeys = new TextParameters().addAll(extensionKeys);
    }

    /** A copy: the record stays immutable. */
    @Override
    public TextParameters extensionKeys() {
        return new TextParameters().addAll(extensionKeys);
    }

    public static Builder builder(String initiatorName) {
        return new Builder(initiatorName);
    }

    public boolean discovery() {
        return targetName.isEmpty();
    }

    /** FirstBurstLength is irrelevant if our own offers already make InitialR2T=Yes and ImmediateData=No. */
    boolean firstBurstIrrelevant() {
        return initialR2T && !immediateData;
    }

    /** RFC 7143 §4.2.7.1: an iSCSI name is at most 223 bytes of UTF-8. */
    private static void checkName(String field, String name) {
        Objects.requireNonNull(name, field);
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > 223)
            throw new IllegalArgumentException(field + ": '" + name + "' (expected: an iSCSI name of 1..223 bytes, RFC 7143 §4.2.7.1)");
    }

    private static void check(TextKey key, int value) {
        if (value < key.min() || value > key.max())
            throw new IllegalArgumentException(key + ": " + value + " (expected: " + key.range() + ", " + key.rfc() + ")");
    }

    /** Mutable builder with the defaults documented on {@link LoginConfig}. */
    public static final class Builder {
        private final String initiatorName;
        private Optional<String> targetName = Optional.empty();
        private Optional<ChapCredentials> chap = Optional.empty(), mutualChap = Optional.empty();
        private List<ChapAlgorithm> chapAlgorithms = ChapAlgorithm.DEFAULT_PREFERENCE;
        private boolean headerDigest, dataDigest;
        private int maxRecvDataSegmentLength = 262144, maxBurstLength = 16776192, firstBurstLength = 262144;
        private boolean initialR2T = false, immediateData = true;
        private int maxOutstandingR2T = 8, defaultTime2Wait = 2, defaultTime2Retain = 0;
        private Optional<String> initiatorAlias = Optional.empty();
        private TextParameters extensionKeys = new TextParameters();

        private Builder(String initiatorName) {
            this.initiatorName = initiatorName;
        }

        public Builder targetName(String v) { targetName = Optional.of(v); return this; }
        public Builder chap(ChapCredentials v) { chap = Optional.of(v); return this; }
        public Builder mutualChap(ChapCredentials v) { mutualChap = Optional.of(v); return this; }
        public Builder chapAlgorithms(List<ChapAlgorithm> v) { chapAlgorithms = v; return this; }
        public Builder headerDigest(boolean v) { headerDigest = v; return this; }
        public Builder dataDigest(boolean v) { dataDigest = v; return this; }
        public Builder maxRecvDataSegmentLength(int v) { maxRecvDataSegmentLength = v; return this; }
        public Builder maxBurstLength(int v) { maxBurstLength = v; return this; }
        public Builder firstBurstLength(int v) { firstBurstLength = v; return this; }
        public Builder initialR2T(boolean v) { initialR2T = v; return this; }
        public Builder immediateData(boolean v) { immediateData = v; return this; }
        public Builder maxOutstandingR2T(int v) { maxOutstandingR2T = v; return this; }
        public Builder defaultTime2Wait(int v) { defaultTime2Wait = v; return this; }
        public Builder defaultTime2Retain(int v) { defaultTime2Retain = v; return this; }
        public Builder initiatorAlias(String v) { initiatorAlias = Optional.of(v); return this; }
        public Builder extensionKey(String key, String value) { extensionKeys.add(key, value); return this; }

        public LoginConfig build() {
            return new LoginConfig(initiatorName, targetName, chap, mutualChap, chapAlgorithms, headerDigest,
                    dataDigest, maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, initialR2T, immediateData,
                    maxOutstandingR2T, defaultTime2Wait, defaultTime2Retain, initiatorAlias, extensionKeys);
        }
    }
}
