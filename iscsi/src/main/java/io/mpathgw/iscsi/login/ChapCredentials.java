package io.mpathgw.iscsi.login;

import io.mpathgw.iscsi.text.TextKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A CHAP name and secret: ours for one-way CHAP, or the target's for mutual CHAP. The secret never appears in
 * {@link #toString()} or in any message.
 */
public final class ChapCredentials {

    /**
     * Shorter secrets are warned about: RFC 7143 §12.1.3 asks for random secrets of up to 128 bits, and Windows
     * initiators refuse secrets shorter than 12 bytes.
     */
    public static final int MIN_SECRET_LENGTH = 12;

    private final String user;
    private final byte[] secret;

    public ChapCredentials(String user, byte[] secret) {
        this.user = Objects.requireNonNull(user, "user");
        this.secret = secret.clone();
        int n = user.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > TextKey.MAX_SIMPLE_VALUE_LENGTH)
            throw new IllegalArgumentException("CHAP user: '" + user + "' (expected: 1.." + TextKey.MAX_SIMPLE_VALUE_LENGTH
                    + " bytes, the CHAP_N value, RFC 7143 §6.1)");
        // RFC 1994 §2.2: "the secret MUST be at least 1 octet"
        if (secret.length == 0)
            throw new IllegalArgumentException("CHAP secret of " + user + ": empty (expected: at least 1 byte, RFC 1994 §2.2)");
    }

    /** A secret given as text, used as its UTF-8 bytes. */
    public static ChapCredentials of(String user, String secret) {
        return new ChapCredentials(user, secret.getBytes(StandardCharsets.UTF_8));
    }

    public String user() {
        return user;
    }

    public byte[] secret() {
        return secret.clone();
    }

    public boolean weak() {
        return secret.length < MIN_SECRET_LENGTH;
    }

    boolean sameSecret(ChapCredentials other) {
        return Arrays.equals(secret, other.secret);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChapCredentials c && c.user.equals(user) && Arrays.equals(c.secret, secret);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "ChapCredentials[user=" + user + ", secret=(hidden)]";
    }
}
