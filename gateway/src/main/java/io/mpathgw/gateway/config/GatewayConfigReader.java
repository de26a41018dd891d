package io.mpathgw.gateway.config;

import io.mpathgw.gateway.config.ConfItem.Setting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads gateway.conf. Our own file, so stricter than multipath.conf: an unknown keyword (a typo in a CHAP key is a
 * security problem) or a keyword given twice in a block is an error, like a bad value.
 */
final class GatewayConfigReader {

    private static final Set<String> ISCSI_KEYS = Set.of("initiator_name", "noop_out_interval", "noop_out_timeout",
            "login_timeout", "replacement_timeout", "command_timeout", "sessions_per_portal", "header_digest",
            "data_digest", "relogin_max_interval");
    private static final Set<String> PORTAL_KEYS = Set.of("address", "target", "chap_username", "chap_password",
            "chap_username_in", "chap_password_in");
    private static final Set<String> EXPORT_KEYS = Set.of("nbd_listen", "iscsi_listen", "target_prefix",
            "allowed_initiators", "chap_username", "chap_password");

    /** RFC 7143 §4.2.7: iqn.yyyy-mm.reversed.domain[:anything], eui. + 16 hex digits, naa. + 16 or 32. */
    private static final Pattern ISCSI_NAME = Pattern.compile(
            "iqn\\.\\d{4}-(0[1-9]|1[0-2])\\.[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[^\\s]*)?"
                    + "|eui\\.[0-9A-Fa-f]{16}|naa\\.[0-9A-Fa-f]{16}([0-9A-Fa-f]{16})?");

    private final String file;

    GatewayConfigReader(String file) {
        this.file = file;
    }

    GatewayConfig read(String text) throws ConfException {
        List<ConfWarning> ignored = new ArrayList<>();      // pairs per line: the parser warns about nothing
        List<ConfWarning> warnings = new ArrayList<>();
        ConfBlock root = new ConfParser(file, true, (p, k) -> p.isEmpty() && Set.of("iscsi", "portal", "export")
                .contains(k), (p, k) -> p.equals("export") && k.equals("allowed_initiators"), ignored).parse(text);
        IscsiSettings iscsi = IscsiSettings.defaults();
        ExportSettings export = ExportSettings.defaults();
        List<PortalConfig> portals = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (ConfItem item : root.items()) {
            if (!(item instanceof ConfBlock b))
                throw new ConfException(file, item.line(), item.name(), "keyword outside any section (expected: "
                        + "inside iscsi { }, portal { } or export { })");
            if (!b.name().equals("portal") && seen.putIfAbsent(b.name(), b.line()) != null)
                throw new ConfException(file, b.line(), b.name(), "section given twice (first on line "
                        + seen.get(b.name()) + "; expected: one " + b.name() + " section)");
            switch (b.name()) {
                case "iscsi" -> iscsi = iscsi(values(b, ISCSI_KEYS), warnings);
                case "portal" -> portals.add(portal(b, values(b, PORTAL_KEYS)));
                case "export" -> export = export(values(b, EXPORT_KEYS));
                default -> throw new ConfException(file, b.line(), b.name(), "unknown section (expected: iscsi, "
                        + "portal or export)");
            }
        }
        return new GatewayConfig(iscsi, portals, export, warnings);
    }

    private Map<String, Setting> values(ConfBlock b, Set<String> keys) throws ConfException {
        Map<String, Setting> m = new LinkedHashMap<>();
        for (ConfItem item : b.items()) {
            if (!(item instanceof Setting s))
                throw new ConfException(file, item.line(), item.name(), "unexpected block in " + b.name()
                        + " (expected: keywords only)");
            if (!keys.contains(s.name()))
                throw new ConfException(file, s.line(), s.name(), "unknown keyword in " + b.name() + " (expected: "
                        + String.join(", ", keys.stream().sorted().toList()) + ")");
            Setting first = m.putIfAbsent(s.name(), s);
            if (first != null)
                throw new ConfException(file, s.line(), s.name(), "given twice in " + b.name() + " (first on line "
                        + first.line() + ")");
        }
        return m;
    }

    private IscsiSettings iscsi(Map<String, Setting> v, List<ConfWarning> warnings) throws ConfException {
        IscsiSettings d = IscsiSettings.defaults();
        Setting replacement = v.get("replacement_timeout");
        Duration replacementTimeout = seconds(replacement, d.replacementTimeout(), 0, 86400);
        if (!replacementTimeout.isZero())
            warnings.add(new ConfWarning(file, replacement.line(), replacement.name(), "replacement_timeout "
                    + replacement.value() + " is not used: a lost connection's commands fail back to the map at once "
                    + "and are retried on another path (as with fast_io_fail_tmo 0); nothing is held for a new "
                    + "connection (expected: 0 or no replacement_timeout)"));
        return new IscsiSettings(name(v.get("initiator_name"), d.initiatorName()),
                seconds(v.get("noop_out_interval"), d.noopOutInterval(), 0, 3600),
                seconds(v.get("noop_out_timeout"), d.noopOutTimeout(), 1, 3600),
                seconds(v.get("login_timeout"), d.loginTimeout(), 1, 3600),
                replacementTimeout,
                seconds(v.get("command_timeout"), d.commandTimeout(), 1, 3600),
                (int) number(v.get("sessions_per_portal"), d.sessionsPerPortal(), 1, 16),
                digest(v.get("header_digest"), d.headerDigest()), digest(v.get("data_digest"), d.dataDigest()),
                decimalSeconds(v.get("relogin_max_interval"), d.reloginMaxInterval(), 0.1, 3600));
    }

    private PortalConfig portal(ConfBlock b, Map<String, Setting> v) throws ConfException {
        if (!v.containsKey("address"))
            throw new ConfException(file, b.line(), "portal", "missing address (expected: 'address HOST[:PORT]' "
                    + "in every portal block)");
        String[] chap = chap(v, "chap_username", "chap_password");
        String[] chapIn = chap(v, "chap_username_in", "chap_password_in");
        if (chapIn[0] != null && chap[0] == null)
            throw new ConfException(file, v.get("chap_username_in").line(), "chap_username_in",
                    "mutual CHAP without chap_username (expected: chap_username and chap_password as well)");
        return new PortalConfig(address(v.get("address"), PortalAddress.ISCSI_PORT, false),
                v.containsKey("target") ? name(v.get("target"), null) : null, chap[0], chap[1], chapIn[0], chapIn[1],
                b.line());
    }

    private ExportSettings export(Map<String, Setting> v) throws ConfException {
        ExportSettings d = ExportSettings.defaults();
        List<String> allowed = new ArrayList<>();
        Setting a = v.get("allowed_initiators");
        if (a != null)
            for (ConfToken t : a.values()) allowed.add(checkedName(a, t.text()));
        String prefix = d.targetPrefix();
        Setting p = v.get("target_prefix");
        if (p != null) {
            checkedName(p, p.value() + "x");                     // a prefix: a name once the map name follows
            prefix = p.value();
        }
        String[] chap = chap(v, "chap_username", "chap_password");
        return new ExportSettings(listen(v.get("nbd_listen"), d.nbdListen(), ExportSettings.NBD_PORT),
                listen(v.get("iscsi_listen"), d.iscsiListen(), PortalAddress.ISCSI_PORT), prefix, allowed,
                chap[0], chap[1]);
    }

    /** Both or neither of a CHAP name and secret. */
    private String[] chap(Map<String, Setting> v, String user, String password) throws ConfException {
        Setting u = v.get(user), p = v.get(password);
        if ((u == null) != (p == null)) {
            Setting given = u != null ? u : p;
            throw new ConfException(file, given.line(), given.name(), "without " + (u == null ? user : password)
                    + " (expected: both " + user + " and " + password + ")");
        }
        return u == null ? new String[2] : new String[] {u.value(), p.value()};
    }

    private PortalAddress listen(Setting s, PortalAddress dflt, int defaultPort) throws ConfException {
        if (s == null) return dflt;
        if (s.value().equals("off")) return null;
        return address(s, defaultPort, true);
    }

    private PortalAddress address(Setting s, int defaultPort, boolean listen) throws ConfException {
        String[] error = new String[1];
        PortalAddress a = PortalAddress.parse(s.value(), defaultPort, listen, error);
        if (a == null)
            throw new ConfException(file, s.line(), s.name(), "invalid address \"" + s.value() + "\" (expected: host, "
                    + "host:port or [IPv6]:port" + (listen ? " or off" : "") + "; " + error[0] + ")");
        return a;
    }

    private String name(Setting s, String dflt) throws ConfException {
        return s == null ? dflt : checkedName(s, s.value());
    }

    private String checkedName(Setting s, String name) throws ConfException {
        if (ISCSI_NAME.matcher(name).matches() && name.length() <= 223) return name;
        throw new ConfException(file, s.line(), s.name(), "invalid iSCSI name \"" + name + "\" (expected: "
                + "iqn.YYYY-MM.reversed.domain[:name] in lower case, eui. or naa. and hex digits, at most 223 bytes, "
                + "RFC 7143 §4.2.7)");
    }

    private Duration seconds(Setting s, Duration dflt, int min, int max) throws ConfException {
        return s == null ? dflt : Duration.ofSeconds(number(s, 0, min, max));
    }

    /** Seconds with up to three decimals ("0.5"), for a cap that must be shorter than a second. */
    private Duration decimalSeconds(Setting s, Duration dflt, double min, int max) throws ConfException {
        if (s == null) return dflt;
        try {
            java.math.BigDecimal n = new java.math.BigDecimal(s.value());
            if (s.value().matches("\\d+(\\.\\d{1,3})?") && n.doubleValue() >= min && n.doubleValue() <= max)
                return Duration.ofMillis(n.movePointRight(3).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            // below
        }
        throw new ConfException(file, s.line(), s.name(), "invalid value \"" + s.value() + "\" (expected: a number "
                + min + ".." + max + " seconds, at most three decimals, e.g. 0.5)");
    }

    private long number(Setting s, long dflt, int min, int max) throws ConfException {
        if (s == null) return dflt;
        try {
            long n = Long.parseLong(s.value());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfException(file, s.line(), s.name(), "invalid value \"" + s.value() + "\" (expected: a whole "
                + "number " + min + ".." + max + (s.name().equals("sessions_per_portal") ? "" : " seconds") + ")");
    }

    private DigestPreference digest(Setting s, DigestPreference dflt) throws ConfException {
        if (s == null) return dflt;
        DigestPreference d = DigestPreference.parse(s.value());
        if (d == null)
            throw new ConfException(file, s.line(), s.name(), "invalid value \"" + s.value() + "\" (expected: None, "
                    + "CRC32C, CRC32C,None or None,CRC32C, as iscsid.conf)");
        return d;
    }
}
