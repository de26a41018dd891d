package io.mpathgw.iscsi.login;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * CHAP hash algorithms by their CHAP_A number: IANA's "PPP Authentication Algorithms" registry, which
 * RFC 7143 §12.1.3 refers to. RFC 7143 itself requires only 5 (MD5); 6, 7 and 8 are the later registrations that
 * Linux LIO and open-iscsi implement.
 */
public enum ChapAlgorithm {
    MD5(5, "MD5", 16),
    SHA1(6, "SHA-1", 20),
    SHA256(7, "SHA-256", 32),
    SHA3_256(8, "SHA3-256", 32);

    /** Strongest first, as open-iscsi's default chap_algs. */
    public static final List<ChapAlgorithm> DEFAULT_PREFERENCE = List.of(SHA3_256, SHA256, SHA1, MD5);

    private final int code;
    private final String jcaName;
    private final int digestLength;

    ChapAlgorithm(int code, String jcaName, int digestLength) {
        this.code = code;
        this.jcaName = jcaName;
        this.digestLength = digestLength;
    }

    public static Optional<ChapAlgorithm> byCode(long code) {
        for (ChapAlgorithm a : values())
            if (a.code == code) return Optional.of(a);
        return Optional.empty();
    }

    /** The CHAP_A value. */
    public int code() {
        return code;
    }

    /** The JDK's name, and how messages name the algorithm: "SHA3-256". */
    public String jcaName() {
        return jcaName;
    }

    public int digestLength() {
        return digestLength;
    }

    /** A fresh digest; every JDK 17 has all four (SHA3 since JDK 9). */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return jcaName + " (" + code + ")";
    }
}
