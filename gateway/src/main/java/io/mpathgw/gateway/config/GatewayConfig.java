package io.mpathgw.gateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * gateway.conf: what multipath.conf does not cover, in the same block syntax. An admin who knows iscsid.conf finds
 * its keys under their last name component:
 * <pre>
 * iscsi {                      # the initiator (defaults: fast, see {@link IscsiSettings})
 *     initiator_name iqn.2026-11.io.mpathgw:gw1
 *     noop_out_interval 1   noop_out_timeout 1   login_timeout 5   relogin_max_interval 0.5
 *     command_timeout 30   sessions_per_portal 1
 *     header_digest None   data_digest None
 *     replacement_timeout 0    # accepted, not used: see IscsiSettings
 * }
 * portal {                     # repeatable: SendTargets discovery, or one fixed target
 *     address 192.0.2.10:3260
 *     target iqn.2001-05.com.example:array1     # optional
 *     chap_username u   chap_password p   chap_username_in t   chap_password_in s
 * }
 * export {
 *     nbd_listen 127.0.0.1:10809   iscsi_listen 127.0.0.1:3260   target_prefix iqn.2026-11.io.mpathgw:
 *     allowed_initiators iqn.1993-08.org.debian:01:a iqn.1993-08.org.debian:01:b
 *     chap_username u   chap_password p
 * }
 * </pre>
 * Several {@code key value} pairs may share a line; {@code allowed_initiators} takes the rest of its line. Every
 * error names file, line and key; unknown keywords are errors here (a misspelt CHAP key must not pass silently).
 *
 * @param warnings keys read but without effect (replacement_timeout other than 0), each naming file, line and key;
 *                 the service logs them at startup
 */
public record GatewayConfig(IscsiSettings iscsi, List<PortalConfig> portals, ExportSettings export,
                            List<ConfWarning> warnings) {

    public GatewayConfig {
        portals = List.copyOf(portals);
        warnings = List.copyOf(warnings);
    }

    public static GatewayConfig parse(String text, String fileName) throws ConfException {
        return new GatewayConfigReader(fileName).read(text);
    }

    public static GatewayConfig load(Path path) throws ConfException {
        return parse(MultipathConf.read(path), path.toString());
    }

    /** No file: default initiator settings, no portals, exports on localhost. */
    public static GatewayConfig defaults() {
        return new GatewayConfig(IscsiSettings.defaults(), List.of(), ExportSettings.defaults(), List.of());
    }

    /** The effective config in the file's syntax, secrets as "***"; it parses back except for the secrets. */
    public String show() {
        StringBuilder b = new StringBuilder();
        IscsiSettings i = iscsi;
        b.append("iscsi {\n");
        kv(b, "initiator_name", i.initiatorName());
        kv(b, "noop_out_interval", i.noopOutInterval().toSeconds());
        kv(b, "noop_out_timeout", i.noopOutTimeout().toSeconds());
        kv(b, "login_timeout", i.loginTimeout().toSeconds());
        kv(b, "replacement_timeout", i.replacementTimeout().toSeconds());
        kv(b, "command_timeout", i.commandTimeout().toSeconds());
        kv(b, "sessions_per_portal", i.sessionsPerPortal());
        kv(b, "relogin_max_interval", java.math.BigDecimal.valueOf(i.reloginMaxInterval().toMillis(), 3)
                .stripTrailingZeros().toPlainString());
        kv(b, "header_digest", i.headerDigest());
        kv(b, "data_digest", i.dataDigest());
        b.append("}\n");
        for (PortalConfig p : portals) {
            b.append("portal {\n");
            kv(b, "address", p.address());
            kv(b, "target", p.target());
            chap(b, "chap_username", p.chapUsername(), "chap_password");
            chap(b, "chap_username_in", p.chapUsernameIn(), "chap_password_in");
            b.append("}\n");
        }
        ExportSettings e = export;
        b.append("export {\n");
        kv(b, "nbd_listen", e.nbdListen() == null ? "off" : e.nbdListen());
        kv(b, "iscsi_listen", e.iscsiListen() == null ? "off" : e.iscsiListen());
        kv(b, "target_prefix", e.targetPrefix());
        if (!e.allowedInitiators().isEmpty())
            b.append("\tallowed_initiators ").append(String.join(" ", e.allowedInitiators().stream()
                    .map(ConfPrinter::quote).toList())).append('\n');
        chap(b, "chap_username", e.chapUsername(), "chap_password");
        b.append("}\n");
        return b.toString();
    }

    private static void kv(StringBuilder b, String key, Object value) {
        if (value != null) b.append('\t').append(key).append(' ').append(ConfPrinter.quote(value.toString())).append('\n');
    }

    private static void chap(StringBuilder b, String user, String name, String password) {
        if (name == null) return;
        kv(b, user, name);
        kv(b, password, "***");
    }
}
