package io.mpathgw.iscsi.tgt;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One iSCSI target of a {@link Tgt}: its LUNs, CHAP accounts and iSCSI parameters, as given to
 * {@code Tgt.builder().target(iqn, t -> t.lun(1, 64 << 20).chap("user", "secret12345678"))}.
 *
 * <p>tgt's own behaviour to know about (tgt 1.0.85, Debian 12):
 * <ul>
 *   <li>LUN 0 is always a "controller" (peripheral type 0x0c, storage array controller) that tgt adds itself;
 *       disk LUNs start at 1.</li>
 *   <li>CHAP accounts are global to one tgtd and bound to targets. With an incoming account bound, a login without
 *       CHAP is refused (status 0x0201, authentication failure). An outgoing account does not make mutual CHAP
 *       mandatory: tgt answers a CHAP_I/CHAP_C challenge when the initiator sends one, and logs in an initiator
 *       that sends none.</li>
 *   <li>{@code HeaderDigest=CRC32C} on the target does not make CRC32C mandatory: tgt answers CRC32C whenever the
 *       initiator offers it (in any position of its list) and None when the initiator offers only None.</li>
 * </ul>
 */
public final class TgtTarget {

    final String iqn;
    final Map<Integer, LunSpec> luns = new TreeMap<>();
    final Map<String, String> params = new LinkedHashMap<>();
    String chapUser;
    String chapSecret;
    String mutualUser;
    String mutualSecret;

    TgtTarget(String iqn) {
        this.iqn = Objects.requireNonNull(iqn, "iqn");
    }

    /** A disk LUN of {@code bytes} (a multiple of 512), backed by a file in /dev/shm that the Tgt owns. */
    public TgtTarget lun(int lun, long bytes) {
        if (bytes <= 0 || bytes % 512 != 0)
            throw new IllegalArgumentException("LUN " + lun + " size: " + bytes + " (expected: a positive multiple of 512)");
        spec(lun, new LunSpec(lun, bytes, null));
        return this;
    }

    /**
     * A disk LUN backed by an existing file the caller owns (never deleted by the Tgt): e.g. one file exported by two
     * tgtd instances to stand for two controllers of one array. Give both the same {@link #scsiId} then.
     */
    public TgtTarget lun(int lun, Path file) {
        spec(lun, new LunSpec(lun, -1, Objects.requireNonNull(file, "file")));
        return this;
    }

    /**
     * tgt's {@code scsi_id} of a LUN: the T10 vendor ID designator of VPD 0x83, and the source of the NAA 6
     * designator (tgt keeps the hex digits of scsi_id, right-aligned, as its low bytes). Default: unique per Tgt
     * instance, stable across {@link Tgt#restart()}.
     */
    public TgtTarget scsiId(int lun, String scsiId) {
        existing(lun).scsiId = Objects.requireNonNull(scsiId, "scsiId");
        return this;
    }

    /** Extra {@code --params} of a LUN, as tgtadm takes them: {@code "vendor_id=ACME,product_id=ARRAY,readonly=1"}. */
    public TgtTarget lunParams(int lun, String params) {
        existing(lun).extraParams = Objects.requireNonNull(params, "params");
        return this;
    }

    /** One-way CHAP: the initiator must log in as {@code user} with {@code secret} (an incoming account). */
    public TgtTarget chap(String user, String secret) {
        chapUser = Objects.requireNonNull(user, "user");
        chapSecret = Objects.requireNonNull(secret, "secret");
        return this;
    }

    /** Mutual CHAP: tgt answers the initiator's challenge as {@code user} (an outgoing account). Needs {@link #chap}. */
    public TgtTarget mutualChap(String user, String secret) {
        mutualUser = Objects.requireNonNull(user, "user");
        mutualSecret = Objects.requireNonNull(secret, "secret");
        return this;
    }

    /** HeaderDigest=CRC32C (true) or None (false); see the class comment for what tgt makes of it. */
    public TgtTarget headerDigest(boolean crc32c) {
        return param("HeaderDigest", crc32c ? "CRC32C" : "None");
    }

    /** DataDigest=CRC32C (true) or None (false). */
    public TgtTarget dataDigest(boolean crc32c) {
        return param("DataDigest", crc32c ? "CRC32C" : "None");
    }

    /**
     * Any target parameter tgtadm takes with {@code --mode target --op update --name K --value V}, e.g.
     * {@code MaxRecvDataSegmentLength}, {@code MaxBurstLength}, {@code FirstBurstLength}, {@code InitialR2T},
     * {@code ImmediateData}, {@code MaxOutstandingR2T}, {@code nop_interval}, {@code nop_count}.
     */
    public TgtTarget param(String name, String value) {
        params.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    Map<Integer, LunSpec> luns() {
        return Collections.unmodifiableMap(luns);
    }

    void validate() {
        if (luns.isEmpty()) throw new IllegalArgumentException(iqn + ": no LUN (expected: at least one lun(n, bytes))");
        if (mutualUser != null && chapUser == null)
            throw new IllegalArgumentException(iqn + ": mutualChap without chap (tgt needs the incoming account too)");
    }

    private void spec(int lun, LunSpec spec) {
        if (lun < 1 || lun > 255) throw new IllegalArgumentException("LUN " + lun + " (expected: 1..255; tgt owns LUN 0)");
        if (luns.putIfAbsent(lun, spec) != null) throw new IllegalArgumentException(iqn + ": LUN " + lun + " given twice");
    }

    private LunSpec existing(int lun) {
        LunSpec s = luns.get(lun);
        if (s == null) throw new IllegalArgumentException(iqn + ": LUN " + lun + " not defined yet (call lun() first)");
        return s;
    }

    /** A LUN's settings; {@code file} set means caller-owned backing, else {@code bytes} of Tgt-owned backing. */
    static final class LunSpec {
        final int lun;
        final long bytes;
        final Path file;
        String scsiId;
        String extraParams;

        LunSpec(int lun, long bytes, Path file) {
            this.lun = lun;
            this.bytes = bytes;
            this.file = file;
        }
    }
}
