package io.mpathgw.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** gateway.conf: the iscsid.conf-like keys, address forms, secrets kept out of show(), and every error. */
class GatewayConfigTest {

    static final String FULL = """
            iscsi {            # initiator settings and timers
                initiator_name iqn.2026-11.io.mpathgw:gw1
                noop_out_interval 7      noop_out_timeout 6     login_timeout 4
                replacement_timeout 20   # how long a lost session holds its commands
                command_timeout 31       sessions_per_portal 2  header_digest CRC32C,None  data_digest None
                relogin_max_interval 3
            }
            portal {
                address 127.0.0.2:3262
                target iqn.2001-05.com.example:array1
                chap_username u   chap_password "p w#1"   chap_username_in t  chap_password_in s3cret
            }
            portal { address [::1]:3263 }
            portal {
                address array.example.com
            }
            export {  nbd_listen 127.0.0.1:0   iscsi_listen off   target_prefix iqn.2026-11.io.mpathgw:
                      allowed_initiators iqn.1993-08.org.debian:01:a iqn.1993-08.org.debian:01:b
                      chap_username exp chap_password expsecret }
            """;

    @Test
    void readsEveryKey() throws ConfException {
        GatewayConfig g = GatewayConfig.parse(FULL, "gateway.conf");
        IscsiSettings i = g.iscsi();
        assertThat(i.initiatorName()).isEqualTo("iqn.2026-11.io.mpathgw:gw1");
        assertThat(List.of(i.noopOutInterval(), i.noopOutTimeout(), i.loginTimeout(), i.replacementTimeout(),
                i.commandTimeout())).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(6), Duration.ofSeconds(4),
                Duration.ofSeconds(20), Duration.ofSeconds(31));
        assertThat(i.sessionsPerPortal()).isEqualTo(2);
        assertThat(i.reloginMaxInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(GatewayConfig.parse("iscsi {\n relogin_max_interval 0.25\n}\n", "g.conf").iscsi()
                .reloginMaxInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(i.headerDigest()).isEqualTo(DigestPreference.CRC32C_NONE);
        assertThat(i.headerDigest().offersCrc32c()).isTrue();
        assertThat(i.dataDigest()).isEqualTo(DigestPreference.NONE);
        assertThat(g.portals()).hasSize(3);
        PortalConfig a = g.portals().get(0);
        assertThat(a.address()).isEqualTo(new PortalAddress("127.0.0.2", 3262));
        assertThat(a.target()).isEqualTo("iqn.2001-05.com.example:array1");
        assertThat(a.discovery()).isFalse();
        assertThat(List.of(a.chapUsername(), a.chapPassword(), a.chapUsernameIn(), a.chapPasswordIn()))
                .containsExactly("u", "p w#1", "t", "s3cret");
        assertThat(g.portals().get(1).address()).isEqualTo(new PortalAddress("::1", 3263));
        assertThat(g.portals().get(1).address().toString()).isEqualTo("[::1]:3263");
        assertThat(g.portals().get(2).address()).isEqualTo(new PortalAddress("array.example.com", 3260));
        assertThat(g.portals().get(2).discovery()).isTrue();
        ExportSettings e = g.export();
        assertThat(e.nbdListen()).isEqualTo(new PortalAddress("127.0.0.1", 0));
        assertThat(e.iscsiListen()).isNull();
        assertThat(e.allowedInitiators()).containsExactly("iqn.1993-08.org.debian:01:a", "iqn.1993-08.org.debian:01:b");
        assertThat(e.chapPassword()).isEqualTo("expsecret");
        assertThat(g.warnings()).extracting(ConfWarning::toString).containsExactly("gateway.conf:4: "
                + "replacement_timeout 20 is not used: a lost connection's commands fail back to the map at once and "
                + "are retried on another path (as with fast_io_fail_tmo 0); nothing is held for a new connection "
                + "(expected: 0 or no replacement_timeout)");
    }

    @Test
    void replacementTimeoutZeroIsWhatWeDoAndWarnsNothing() throws ConfException {
        GatewayConfig g = GatewayConfig.parse("iscsi {\n replacement_timeout 0\n}\n", "g.conf");
        assertThat(g.iscsi().replacementTimeout()).isZero();
        assertThat(g.warnings()).isEmpty();
    }

    @Test
    void showHidesSecretsAndParsesBack() throws ConfException {
        GatewayConfig g = GatewayConfig.parse(FULL, "gateway.conf");
        String shown = g.show();
        assertThat(shown).doesNotContain("p w#1", "s3cret", "expsecret")
                .contains("\tchap_password \"***\"\n", "\taddress \"[::1]:3263\"\n", "\tiscsi_listen \"off\"\n");
        GatewayConfig back = GatewayConfig.parse(shown, "shown");
        assertThat(back.iscsi()).isEqualTo(g.iscsi());
        assertThat(back.portals()).extracting(PortalConfig::address, PortalConfig::target, PortalConfig::chapUsername)
                .isEqualTo(g.portals().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.address(), p.target(),
                        p.chapUsername())).toList());
        assertThat(back.export().allowedInitiators()).isEqualTo(g.export().allowedInitiators());
    }

    @Test
    void emptyFileIsTheFastDefaults() throws ConfException {
        GatewayConfig g = GatewayConfig.parse("# nothing\n", "gateway.conf");
        assertThat(g.portals()).isEmpty();
        // issue 7's aims: a silent portal fails its path within ~2 s, a returned one carries I/O within ~1 s
        assertThat(g.iscsi().noopOutInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(g.iscsi().noopOutTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(g.iscsi().reloginMaxInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(g.iscsi().replacementTimeout()).isZero();
        assertThat(g.warnings()).isEmpty();
        assertThat(g.iscsi().initiatorName()).startsWith(IscsiSettings.DEFAULT_INITIATOR_PREFIX);
        assertThat(g.export().nbdListen()).isEqualTo(new PortalAddress("127.0.0.1", 10809));
        assertThat(g.export().allowedInitiators()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1              | 10.0.0.1    | 3260
            10.0.0.1:3261         | 10.0.0.1    | 3261
            array-a.example.com:1 | array-a.example.com | 1
            [fe80::1]:3260        | fe80::1     | 3260
            [2001:db8::7]         | 2001:db8::7 | 3260
            """)
    void addressForms(String text, String host, int port) throws ConfException {
        GatewayConfig g = GatewayConfig.parse("portal {\n address " + text + "\n}\n", "g.conf");
        assertThat(g.portals().get(0).address()).isEqualTo(new PortalAddress(host, port));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("portal {\n address fe80::1:3260\n}\n", "g.conf:2: address: invalid address \"fe80::1:3260\" "
                        + "(expected: host, host:port or [IPv6]:port; brackets around an IPv6 address, as [fe80::1:3260])"),
                arguments("portal {\n address 10.0.0.1:0\n}\n", "g.conf:2: address: invalid address \"10.0.0.1:0\" "
                        + "(expected: host, host:port or [IPv6]:port; a port 1..65535)"),
                arguments("portal {\n address 10.0.0.1:http\n}\n", "g.conf:2: address: invalid address "
                        + "\"10.0.0.1:http\" (expected: host, host:port or [IPv6]:port; a port 1..65535)"),
                arguments("portal {\n address [::1\n}\n", "g.conf:2: address: invalid address \"[::1\" (expected: "
                        + "host, host:port or [IPv6]:port; an IPv6 address needs a closing ']')"),
                arguments("portal {\n address :3260\n}\n", "g.conf:2: address: invalid address \":3260\" (expected: "
                        + "host, host:port or [IPv6]:port; a host before the port)"),
                arguments("export {\n nbd_listen 127.0.0.1:70000\n}\n", "g.conf:2: nbd_listen: invalid address "
                        + "\"127.0.0.1:70000\" (expected: host, host:port or [IPv6]:port or off; a port 0..65535)"),
                arguments("portal {\n target iqn.2001-05.com.example:a\n}\n", "g.conf:1: portal: missing address "
                        + "(expected: 'address HOST[:PORT]' in every portal block)"),
                arguments("portal {\n address a\n chap_pasword x\n}\n", "g.conf:3: chap_pasword: unknown keyword in "
                        + "portal (expected: address, chap_password, chap_password_in, chap_username, "
                        + "chap_username_in, target)"),
                arguments("portal {\n address a\n chap_username u\n}\n", "g.conf:3: chap_username: without "
                        + "chap_password (expected: both chap_username and chap_password)"),
                arguments("portal {\n address a\n chap_password_in x\n}\n", "g.conf:3: chap_password_in: without "
                        + "chap_username_in (expected: both chap_username_in and chap_password_in)"),
                arguments("portal {\n address a\n chap_username_in t chap_password_in s\n}\n", "g.conf:3: "
                        + "chap_username_in: mutual CHAP without chap_username (expected: chap_username and "
                        + "chap_password as well)"),
                arguments("portal {\n address a\n address b\n}\n", "g.conf:3: address: given twice in portal "
                        + "(first on line 2)"),
                arguments("iscsi {\n}\niscsi {\n}\n", "g.conf:3: iscsi: section given twice (first on line 1; "
                        + "expected: one iscsi section)"),
                arguments("iscsi {\n noop_out_timeout 0\n}\n", "g.conf:2: noop_out_timeout: invalid value \"0\" "
                        + "(expected: a whole number 1..3600 seconds)"),
                arguments("iscsi {\n replacement_timeout 2m\n}\n", "g.conf:2: replacement_timeout: invalid value "
                        + "\"2m\" (expected: a whole number 0..86400 seconds)"),
                arguments("iscsi {\n relogin_max_interval 0\n}\n", "g.conf:2: relogin_max_interval: invalid value "
                        + "\"0\" (expected: a number 0.1..3600 seconds, at most three decimals, e.g. 0.5)"),
                arguments("iscsi {\n relogin_max_interval 1s\n}\n", "g.conf:2: relogin_max_interval: invalid value "
                        + "\"1s\" (expected: a number 0.1..3600 seconds, at most three decimals, e.g. 0.5)"),
                arguments("iscsi {\n relogin_max_interval 0.0625\n}\n", "g.conf:2: relogin_max_interval: invalid "
                        + "value \"0.0625\" (expected: a number 0.1..3600 seconds, at most three decimals, e.g. 0.5)"),
                arguments("iscsi {\n relogin_max_interval -1\n}\n", "g.conf:2: relogin_max_interval: invalid value "
                        + "\"-1\" (expected: a number 0.1..3600 seconds, at most three decimals, e.g. 0.5)"),
                arguments("iscsi {\n sessions_per_portal 17\n}\n", "g.conf:2: sessions_per_portal: invalid value "
                        + "\"17\" (expected: a whole number 1..16)"),
                arguments("iscsi {\n header_digest crc32c\n}\n", "g.conf:2: header_digest: invalid value \"crc32c\" "
                        + "(expected: None, CRC32C, CRC32C,None or None,CRC32C, as iscsid.conf)"),
                arguments("iscsi {\n initiator_name IQN.2026-11.x:y\n}\n", "g.conf:2: initiator_name: invalid iSCSI "
                        + "name \"IQN.2026-11.x:y\" (expected: iqn.YYYY-MM.reversed.domain[:name] in lower case, eui. "
                        + "or naa. and hex digits, at most 223 bytes, RFC 7143 §4.2.7)"),
                arguments("export {\n allowed_initiators iqn.1993-08.org.debian:01:a bob\n}\n", "g.conf:2: "
                        + "allowed_initiators: invalid iSCSI name \"bob\" (expected: iqn.YYYY-MM.reversed.domain[:name] "
                        + "in lower case, eui. or naa. and hex digits, at most 223 bytes, RFC 7143 §4.2.7)"),
                arguments("initiator_name iqn.2026-11.x:y\n", "g.conf:1: initiator_name: keyword outside any section "
                        + "(expected: inside iscsi { }, portal { } or export { })"),
                arguments("targets {\n}\n", "g.conf:1: targets: unknown section (expected: iscsi, portal or export)"),
                arguments("iscsi {\n login_timeout\n}\n", "g.conf:2: login_timeout: missing value (expected: "
                        + "'login_timeout VALUE' on one line)"),
                arguments("portal {\n address a\n", "g.conf:1: portal: missing closing '}' (expected: '}' to close the "
                        + "block opened on line 1 before the end of the file)"),
                arguments("portal\n address a\n}\n", "g.conf:1: portal: missing '{' (expected: 'portal {' to open "
                        + "the block)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void refusesWithFileLineKey(String text, String message) {
        assertThatThrownBy(() -> GatewayConfig.parse(text, "g.conf")).isInstanceOf(ConfException.class)
                .hasMessage(message);
    }
}
