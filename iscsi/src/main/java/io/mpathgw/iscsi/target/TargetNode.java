package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.login.ChapCredentials;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One iSCSI target node served by an {@link IscsiTarget}: its name, its LUNs, who may log in and how.
 *
 * @param name               the target's iSCSI name (iqn./eui./naa.)
 * @param alias              TargetAlias, sent in the first Login Response of a normal session (RFC 7143 §13.6)
 * @param luns               LUN number (0..16383) to logical unit, in LUN order
 * @param chap               initiator credentials the target accepts (one-way CHAP); empty: no authentication
 * @param mutualChap         the name and secret the target answers an initiator's challenge with (mutual CHAP)
 * @param headerDigest       require HeaderDigest=CRC32C (the target offers it if the initiator did not)
 * @param dataDigest         require DataDigest=CRC32C
 * @param allowedInitiators  initiator names allowed to log in and to see the target in SendTargets; empty: all
 */
public record TargetNode(String name, Optional<String> alias, Map<Integer, LogicalUnit> luns,
                         List<ChapCredentials> chap, Optional<ChapCredentials> mutualChap,
                         boolean headerDigest, boolean dataDigest, Set<String> allowedInitiators) {

    public TargetNode {
        Objects.requireNonNull(name, "name");
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > 223)
            throw new IllegalArgumentException("target name: '" + name + "' (expected: 1..223 bytes, RFC 7143 §4.2.7.1)");
        luns = Collections.unmodifiableMap(new TreeMap<>(luns));
        for (int lun : luns.keySet())
            if (lun < 0 || lun > 0x3fff)
                throw new IllegalArgumentException("lun: " + lun + " of " + name + " (expected: 0..16383)");
        chap = List.copyOf(chap);
        if (mutualChap.isPresent() && chap.isEmpty())
            throw new IllegalArgumentException("mutualChap of " + name + ": set without chap accounts"
                    + " (expected: one-way CHAP first, RFC 7143 §12.1.3)");
        allowedInitiators = Collections.unmodifiableSet(new LinkedHashSet<>(allowedInitiators));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether {@code initiatorName} passes the ACL. */
    public boolean allows(String initiatorName) {
        return allowedInitiators.isEmpty() || allowedInitiators.contains(initiatorName);
    }

    public boolean requiresChap() {
        return !chap.isEmpty();
    }

    /** Mutable builder; no LUNs, no CHAP, no digests required, every initiator allowed. */
    public static final class Builder {
        private final String name;
        private Optional<String> alias = Optional.empty();
        private final Map<Integer, LogicalUnit> luns = new TreeMap<>();
        private final List<ChapCredentials> chap = new ArrayList<>();
        private Optional<ChapCredentials> mutualChap = Optional.empty();
        private boolean headerDigest, dataDigest;
        private final Set<String> allowed = new LinkedHashSet<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder alias(String v) { alias = Optional.of(v); return this; }
        public Builder lun(int lun, LogicalUnit lu) { luns.put(lun, Objects.requireNonNull(lu, "lu")); return this; }
        /** Adds an initiator account (CHAP_N and secret) the target accepts. */
        public Builder chap(ChapCredentials v) { chap.add(v); return this; }
        /** The target's own name and secret for mutual CHAP. */
        public Builder mutualChap(ChapCredentials v) { mutualChap = Optional.of(v); return this; }
        public Builder requireHeaderDigest(boolean v) { headerDigest = v; return this; }
        public Builder requireDataDigest(boolean v) { dataDigest = v; return this; }
        public Builder allowInitiator(String initiatorName) { allowed.add(initiatorName); return this; }

        public TargetNode build() {
            return new TargetNode(name, alias, luns, chap, mutualChap, headerDigest, dataDigest, allowed);
        }
    }
}
