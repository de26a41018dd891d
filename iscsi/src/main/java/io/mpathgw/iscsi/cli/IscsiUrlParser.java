package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.cli.IscsiUrl.Chap;
import io.mpathgw.iscsi.login.ChapAlgorithm;

import java.util.Map;
import java.util.Optional;

/**
 * Cuts a URL the way libiscsi's {@code iscsi_parse_url()} does: the query at the first {@code ?}, user
 * information at the first {@code @}, the portal up to the first {@code /}, the target up to the next, the LUN
 * last. One instance per parse.
 */
final class IscsiUrlParser {

    private static final String SCHEME = "iscsi://";
    private static final String KEYS = "header_digest, data_digest, target_user, target_password or auth";

    private final String url;
    private final String shown;
    private final Map<String, String> env;

    private String targetUser;
    private String targetSecret;
    private Boolean headerDigest;
    private Boolean dataDigest;
    private ChapAlgorithm auth;

    IscsiUrlParser(String url, Map<String, String> env) {
        this.url = url;
        this.shown = mask(url);
        this.env = env;
    }

    IscsiUrl parse() {
        if (!url.startsWith(SCHEME)) {
            int end = url.indexOf("://");
            throw error("scheme", "'" + (end >= 0 ? url.substring(0, end + 3) : url) + "'",
                    "iscsi://, as in " + IscsiUrl.SYNTAX);
        }
        String rest = url.substring(SCHEME.length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            query(rest.substring(q + 1));
            rest = rest.substring(0, q);
        }
        String user = null;
        String secret = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int sep = info.indexOf('%');
            if (sep < 0) sep = info.indexOf(':');
            user = sep < 0 ? info : info.substring(0, sep);
            secret = sep < 0 ? null : info.substring(sep + 1);
            if (user.isEmpty()) throw error("user", "''", "a CHAP user name before '%' and '@'");
            if (secret != null && secret.isEmpty())
                throw error("password", "''", "a CHAP secret after '" + info.charAt(sep) + "' for user '" + user + "'");
        }
        int slash = rest.indexOf('/');
        String portal = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);

        String host = host(portal);
        int port = port(portal);
        Optional<String> target = Optional.empty();
        int lun = -1;
        if (!path.isEmpty()) {
            int s2 = path.indexOf('/');
            if (s2 < 0) throw error("lun", "missing", "/<lun> after the target name, as in " + IscsiUrl.SYNTAX);
            if (s2 == 0) throw error("target", "''", "a target name between the portal and the LUN, as in " + IscsiUrl.SYNTAX);
            target = Optional.of(IscsiUrl.decode(path.substring(0, s2), shown));
            lun = lun(path.substring(s2 + 1));
        }
        Optional<Chap> chap = chap(user, secret);
        Optional<Chap> mutual = targetChap(chap.isPresent());
        return new IscsiUrl(host, port, target, lun, chap, mutual, Optional.ofNullable(headerDigest),
                Optional.ofNullable(dataDigest), Optional.ofNullable(auth));
    }

    // ---------------------------------------------------------------- query

    private void query(String query) {
        if (query.isEmpty()) return;
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) throw error("query", "'" + maskPair(pair) + "'", "key=value, keys " + KEYS);
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            switch (key) {
                case "header_digest" -> headerDigest = digest(key, value);
                case "data_digest" -> dataDigest = digest(key, value);
                case "target_user" -> targetUser = value;
                case "target_password" -> targetSecret = value;
                case "auth" -> auth = auth(value);
                default -> throw error("query key", "'" + key + "'", KEYS);
            }
        }
    }

    private ChapAlgorithm auth(String value) {
        for (ChapAlgorithm a : ChapAlgorithm.values())
            if (IscsiUrl.authName(a).equals(value)) return a;
        throw error("auth", "'" + value + "'", "md5, sha1, sha-256 or sha3-256");
    }

    private Boolean digest(String key, String value) {
        return switch (value) {
            case "crc32c" -> true;
            case "none" -> false;
            default -> throw error(key, "'" + value + "'", "crc32c or none");
        };
    }

    // ---------------------------------------------------------------- portal

    /** The host, without brackets; a {@code ,tpgt} suffix is dropped as libiscsi's connect does. */
    private String host(String portal) {
        String p = withoutTpgt(portal);
        if (p.startsWith("[")) {
            int close = p.indexOf(']');
            if (close < 0) throw error("host", "'" + p + "'", "a closing ']' after the IPv6 address");
            String h = p.substring(1, close);
            if (h.isEmpty()) throw error("host", "'[]'", "an IPv6 address between the brackets");
            String after = p.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":"))
                throw error("port", "'" + after + "'", "':<port>' or nothing after ']'");
            return h;
        }
        int colon = p.indexOf(':');
        if (colon >= 0 && p.indexOf(':', colon + 1) >= 0)
            throw error("host", "'" + p + "'", "an IPv6 address in brackets, e.g. [" + p + "] or [::1]:3260");
        String h = colon < 0 ? p : p.substring(0, colon);
        if (h.isEmpty()) throw error("host", "''", "a host name or address after iscsi://");
        return h;
    }

    private int port(String portal) {
        String p = withoutTpgt(portal);
        int close = p.startsWith("[") ? p.indexOf(']') : -1;
        int colon = p.indexOf(':', close + 1);
        if (colon < 0) return IscsiUrl.DEFAULT_PORT;
        return number("port", p.substring(colon + 1), 1, 65535);
    }

    private String withoutTpgt(String portal) {
        int comma = portal.lastIndexOf(',');
        if (comma < 0 || comma < portal.lastIndexOf(']')) return portal;
        number("portal group tag", portal.substring(comma + 1), 0, 65535);
        return portal.substring(0, comma);
    }

    private int lun(String s) {
        if (s.isEmpty()) throw error("lun", "''", "a LUN number after the target name, as in " + IscsiUrl.SYNTAX);
        return number("lun", s, 0, IscsiUrl.MAX_LUN);
    }

    private int number(String part, String s, int min, int max) {
        boolean digits = !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
        int n = digits ? Integer.parseInt(s) : -1;
        if (!digits || n < min || n > max) throw error(part, "'" + s + "'", "a decimal number " + min + ".." + max);
        return n;
    }

    // ---------------------------------------------------------------- CHAP

    /** As libiscsi: the URL's user overrides LIBISCSI_CHAP_USERNAME; the password falls back to the environment. */
    private Optional<Chap> chap(String urlUser, String urlSecret) {
        String user = urlUser != null ? urlUser : env(IscsiUrl.ENV_USER);
        String secret = urlSecret != null ? urlSecret : env(IscsiUrl.ENV_PASSWORD);
        if (user == null && secret == null) return Optional.empty();
        if (user == null)
            throw error(IscsiUrl.ENV_USER, "missing", "set together with " + IscsiUrl.ENV_PASSWORD
                    + ", or user%password@ in the URL");
        if (secret == null)
            throw error("password", "missing for CHAP user '" + user + "'",
                    "<user>%<password>@ in the URL, or " + IscsiUrl.ENV_PASSWORD);
        return Optional.of(new Chap(user, secret));
    }

    private Optional<Chap> targetChap(boolean oneWay) {
        String user = targetUser != null ? targetUser : env(IscsiUrl.ENV_TARGET_USER);
        String secret = targetSecret != null ? targetSecret : env(IscsiUrl.ENV_TARGET_PASSWORD);
        if (user == null && secret == null) return Optional.empty();
        if (user == null || user.isEmpty())
            throw error("target_user", "missing", "given with target_password (or " + IscsiUrl.ENV_TARGET_USER + ")");
        if (secret == null || secret.isEmpty())
            throw error("target_password", "missing for target user '" + user + "'",
                    "given with target_user (or " + IscsiUrl.ENV_TARGET_PASSWORD + ")");
        if (!oneWay)
            throw error("target_user", "'" + user + "' without one-way CHAP",
                    "user%password@ in the URL too: mutual CHAP needs both directions (RFC 7143 §12.1.3)");
        return Optional.of(new Chap(user, secret));
    }

    /** An environment value; empty counts as unset, as libiscsi tests {@code user[0]}. */
    private String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    // ---------------------------------------------------------------- errors

    private IscsiUrlException error(String part, String value, String expected) {
        return new IscsiUrlException(part, value, expected, shown);
    }

    /** The URL with the CHAP secret and target_password replaced by {@code ***}. */
    static String mask(String url) {
        if (!url.startsWith(SCHEME)) return url;
        String rest = url.substring(SCHEME.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = "?" + maskQuery(rest.substring(q + 1));
            rest = rest.substring(0, q);
        }
        int at = rest.indexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            int sep = info.indexOf('%');
            if (sep < 0) sep = info.indexOf(':');
            if (sep >= 0) rest = info.substring(0, sep + 1) + "***" + rest.substring(at);
        }
        return SCHEME + rest + query;
    }

    private static String maskQuery(String query) {
        StringBuilder b = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (b.length() > 0) b.append('&');
            b.append(maskPair(pair));
        }
        return b.toString();
    }

    private static String maskPair(String pair) {
        return pair.startsWith("target_password=") ? "target_password=***" : pair;
    }
}
