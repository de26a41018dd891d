package io.mpathgw.iscsi.login;

import io.mpathgw.iscsi.text.TextKey;
import io.mpathgw.iscsi.text.TextValues;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * CHAP as iSCSI uses it (RFC 7143 §12.1.3 over RFC 1994): the response is H(identifier || secret || challenge)
 * with the CHAP_A hash, one byte of identifier. Challenges and responses travel as hex ({@code 0x}) or base64
 * ({@code 0b}) constants; both are accepted, hex is sent. Pure functions, usable by initiator and target.
 */
public final class Chap {

    private static final String RFC = "RFC 7143 §12.1.3";

    private Chap() {
    }

    /** RFC 1994 §4.1: the hash over the identifier octet, the secret, then the challenge. */
    public static byte[] response(ChapAlgorithm alg, int identifier, byte[] secret, byte[] challenge) {
        MessageDigest md = alg.newDigest();
        md.update((byte) identifier);
        md.update(secret);
        md.update(challenge);
        return md.digest();
    }

    /** Whether {@code response} is right, compared in constant time. */
    public static boolean verify(ChapAlgorithm alg, int identifier, byte[] secret, byte[] challenge, byte[] response) {
        return MessageDigest.isEqual(response(alg, identifier, secret, challenge), response);
    }

    /** A random challenge as long as the digest (at least 16 bytes), never equal to {@code avoid}. */
    public static byte[] newChallenge(ChapAlgorithm alg, SecureRandom rnd, byte[] avoid) {
        byte[] c = new byte[Math.max(16, alg.digestLength())];
        do rnd.nextBytes(c); while (Arrays.equals(c, avoid));
        return c;
    }

    /** The algorithms list the initiator sends as CHAP_A, in order of preference: "8,7,6,5". */
    public static String offer(List<ChapAlgorithm> algorithms) {
        StringBuilder sb = new StringBuilder();
        for (ChapAlgorithm a : algorithms) sb.append(sb.length() == 0 ? "" : ",").append(a.code());
        return sb.toString();
    }

    /** The target's CHAP_A choice, which must be one of {@code offered}. */
    public static ChapAlgorithm chosen(String value, List<ChapAlgorithm> offered) throws LoginException {
        OptionalLong n = TextValues.parseNumber(value);
        for (ChapAlgorithm a : offered)
            if (n.isPresent() && a.code() == n.getAsLong()) return a;
        throw new LoginException("CHAP_A", value, "one of " + offer(offered) + ", " + RFC);
    }

    /** CHAP_I: a number 0..255. */
    public static int identifier(String value) throws LoginException {
        return (int) Negotiation.number(TextKey.CHAP_I, value);
    }

    /**
     * A CHAP_C or CHAP_R value: hex or base64, at most 1024 bytes decoded (RFC 7143 §12.1.3); {@code field}
     * names the key in errors.
     */
    public static byte[] binary(String field, String value) throws LoginException {
        byte[] b = TextValues.parseBinary(value).orElseThrow(() -> new LoginException(field,
                "'" + shorten(value) + "'", "a hex (0x...) or base64 (0b...) constant, RFC 7143 §6.1"));
        if (b.length == 0 || b.length > TextValues.MAX_LARGE_BINARY_LENGTH)
            throw new LoginException(field, b.length + " bytes", "1.." + TextValues.MAX_LARGE_BINARY_LENGTH + ", " + RFC);
        return b;
    }

    /**
     * A challenge shorter than the digest gives the hash less to work with than it could take: refused, as it
     * weakens the response the peer gets from us.
     */
    public static void checkChallenge(ChapAlgorithm alg, byte[] challenge) throws LoginException {
        if (challenge.length < alg.digestLength())
            throw new LoginException("CHAP_C", challenge.length + " bytes",
                    "at least " + alg.digestLength() + " bytes, the " + alg.jcaName() + " digest length");
    }

    /**
     * RFC 7143 §12.1.3: an originator must not reuse the challenge it received for the other direction, and the
     * responder must check: a challenge equal to the one we sent reflects our own, and answering it would hand the
     * peer a valid response to replay. A target checks the initiator's mutual CHAP_C with it; our initiator makes
     * its own challenge after the target's and never equal to it ({@link #newChallenge}).
     */
    public static void checkNotReflected(byte[] received, byte[] sent) throws LoginException {
        if (MessageDigest.isEqual(received, sent))
            throw new LoginException("CHAP_C", shorten(TextValues.hex(received)),
                    "a challenge other than the one we sent (reflection), " + RFC);
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
