package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.login.ChapAlgorithm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * An iSCSI URL as libiscsi's tools take it ({@code iscsi_parse_url()} in libiscsi's {@code lib/init.c}):
 * <pre>
 *   iscsi://[&lt;user&gt;[%&lt;password&gt;]@]&lt;host&gt;[:&lt;port&gt;]/&lt;target-iqn&gt;/&lt;lun&gt;[?key=value&amp;…]
 *   iscsi://[&lt;user&gt;[%&lt;password&gt;]@]&lt;host&gt;[:&lt;port&gt;][/]                   (portal only: discovery)
 * </pre>
 * The same rules as libiscsi, so that a URL that works with {@code iscsi-ls}/{@code iscsi-inq} works here:
 * <ul>
 *   <li>The query starts at the first {@code ?}; keys {@code header_digest} and {@code data_digest}
 *       ({@code crc32c}|{@code none}), {@code target_user} and {@code target_password} (mutual CHAP), and
 *       {@code auth} ({@code md5}|{@code sha1}|{@code sha-256}|{@code sha3-256}: the one CHAP algorithm to offer,
 *       as libiscsi after 1.19 takes it).</li>
 *   <li>User information ends at the first {@code @}; the password starts after the first {@code %}, or after the
 *       first {@code :} when there is no {@code %}. Neither is percent-decoded.</li>
 *   <li>The host is a name, an IPv4 address or an IPv6 address in brackets; the port defaults to 3260; a
 *       {@code ,tpgt} suffix (as SendTargets prints portals) is accepted and ignored.</li>
 *   <li>Only the target name is percent-decoded ({@code %3a} → {@code :}).</li>
 *   <li>CHAP credentials default to the environment variables {@code LIBISCSI_CHAP_USERNAME} and
 *       {@code LIBISCSI_CHAP_PASSWORD}, the target's (mutual CHAP) to {@code LIBISCSI_CHAP_TARGET_USERNAME} and
 *       {@code LIBISCSI_CHAP_TARGET_PASSWORD}; the URL overrides them.</li>
 * </ul>
 * Where libiscsi silently ignores a malformed part (a user without a password, a non-hex escape, an unknown query
 * key) this parser rejects it with an {@link IscsiUrlException} naming the part; secrets never appear in messages.
 *
 * @param host         host name or address, IPv6 without brackets
 * @param port         TCP port, 3260 unless given
 * @param targetName   the decoded target name; empty for a portal-only URL
 * @param lun          the LUN, or -1 for a portal-only URL
 * @param chap         one-way CHAP credentials (the initiator's name and secret)
 * @param targetChap   mutual CHAP credentials (the name and secret the target must answer with)
 * @param headerDigest {@code header_digest}: present when the URL chose one
 * @param dataDigest   {@code data_digest}: present when the URL chose one
 * @param chapAlgorithm {@code auth}: the only CHAP_A to offer; absent: the initiator's default list
 */
public record IscsiUrl(String host, int port, Optional<String> targetName, int lun, Optional<Chap> chap,
                       Optional<Chap> targetChap, Optional<Boolean> headerDigest, Optional<Boolean> dataDigest,
                       Optional<ChapAlgorithm> chapAlgorithm) {

    public static final int DEFAULT_PORT = 3260;
    /** Highest LUN the initiator can address (single-level flat space addressing, SAM-5 §4.7). */
    public static final int MAX_LUN = 16383;
    public static final String SYNTAX = "iscsi://[<username>[%<password>]@]<host>[:<port>]/<target-iqn>/<lun>";
    public static final String PORTAL_SYNTAX = "iscsi://[<username>[%<password>]@]<host>[:<port>]";

    static final String ENV_USER = "LIBISCSI_CHAP_USERNAME";
    static final String ENV_PASSWORD = "LIBISCSI_CHAP_PASSWORD";
    static final String ENV_TARGET_USER = "LIBISCSI_CHAP_TARGET_USERNAME";
    static final String ENV_TARGET_PASSWORD = "LIBISCSI_CHAP_TARGET_PASSWORD";
    private static final String SCHEME = "iscsi://";

    /** CHAP credentials; {@link #toString()} hides the secret. */
    public record Chap(String user, String secret) {
        public Chap {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return user + "%***";
        }
    }

    public IscsiUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(chap, "chap");
        Objects.requireNonNull(targetChap, "targetChap");
        Objects.requireNonNull(headerDigest, "headerDigest");
        Objects.requireNonNull(dataDigest, "dataDigest");
        Objects.requireNonNull(chapAlgorithm, "chapAlgorithm");
    }

    /** Parses with CHAP defaults from this process's environment. */
    public static IscsiUrl parse(String url) {
        return parse(url, System.getenv());
    }

    /**
     * Parses {@code url}, taking CHAP defaults from {@code env}.
     *
     * @throws IscsiUrlException naming the part that is wrong
     */
    public static IscsiUrl parse(String url, Map<String, String> env) {
        return new IscsiUrlParser(url, env).parse();
    }

    /** True when the URL names a target and a LUN. */
    public boolean hasLun() {
        return targetName.isPresent();
    }

    /**
     * Checks that this URL names a target and a LUN, as {@code command} needs.
     *
     * @throws IscsiUrlException when it names only a portal
     */
    public IscsiUrl requireLun(String command) {
        if (!hasLun())
            throw new IscsiUrlException("target", "missing",
                    "/<target-iqn>/<lun> after the portal: " + command + " needs " + SYNTAX, toString());
        return this;
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    public String portalString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The canonical URL: explicit port, target name re-encoded, query keys in a fixed order. With
     * {@code withSecrets} false the passwords read {@code ***}.
     */
    public String toUrl(boolean withSecrets) {
        StringBuilder b = new StringBuilder(SCHEME);
        chap.ifPresent(c -> b.append(c.user()).append('%').append(withSecrets ? c.secret() : "***").append('@'));
        b.append(portalString());
        targetName.ifPresent(t -> b.append('/').append(encode(t)).append('/').append(lun));
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        targetChap.ifPresent(c -> query.add("target_user=" + c.user())
                .add("target_password=" + (withSecrets ? c.secret() : "***")));
        headerDigest.ifPresent(d -> query.add("header_digest=" + (d ? "crc32c" : "none")));
        dataDigest.ifPresent(d -> query.add("data_digest=" + (d ? "crc32c" : "none")));
        chapAlgorithm.ifPresent(a -> query.add("auth=" + authName(a)));
        b.append(query);
        return b.toString();
    }

    /** The canonical URL with passwords hidden; safe for logs and error messages. */
    @Override
    public String toString() {
        return toUrl(false);
    }

    /** libiscsi's spelling of an {@code auth} value. */
    static String authName(ChapAlgorithm a) {
        return switch (a) {
            case MD5 -> "md5";
            case SHA1 -> "sha1";
            case SHA256 -> "sha-256";
            case SHA3_256 -> "sha3-256";
        };
    }

    /** Percent-encodes what would otherwise end or split the target part. */
    static String encode(String target) {
        StringBuilder b = new StringBuilder();
        for (byte x : target.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '/' || c == '?' || c == '@' || c == '&' || c == '#')
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            else b.append((char) c);
        }
        return b.toString();
    }

    /** Decodes {@code %XX} escapes as libiscsi's {@code iscsi_decode_url_string()} does, but strictly. */
    static String decode(String s, String where) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '%') {
                out.write(in[i]);
                continue;
            }
            int hi = i + 1 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
            if (hi < 0 || lo < 0)
                throw new IscsiUrlException("target", "'" + s + "'",
                        "%XX with two hex digits at offset " + i + " of the target name", where);
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
