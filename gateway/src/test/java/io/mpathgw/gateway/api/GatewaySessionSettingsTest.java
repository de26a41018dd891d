package io.mpathgw.gateway.api;

import io.mpathgw.gateway.config.ConfException;
import io.mpathgw.gateway.config.GatewayConfig;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;
import io.mpathgw.gateway.model.SessionView;
import io.mpathgw.iscsi.login.ChapCredentials;
import io.mpathgw.iscsi.target.IscsiTarget;
import io.mpathgw.iscsi.target.PortalConfig;
import io.mpathgw.iscsi.target.TargetNode;
import io.mpathgw.iscsi.target.TargetSession;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.scsi.MemoryBlockDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gateway.conf's digests and mutual CHAP reach every session's login, through {@link GatewayProducer#setup} and the
 * daemon, against our own target that requires CRC32C header and data digests and answers mutual CHAP.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class GatewaySessionSettingsTest {

    static final String IQN = "iqn.2026-11.io.mpathgw.test:digests";

    IscsiTarget target;
    Gateway gw;

    @BeforeEach
    void startTarget() throws Exception {
        target = IscsiTarget.builder()
                .target(TargetNode.builder(IQN).lun(0, SbcLogicalUnit.builder(new MemoryBlockDevice(512, 2048))
                                .serial("DIG0001").build())
                        .chap(ChapCredentials.of("gateway", "gateway-secret-1"))
                        .mutualChap(ChapCredentials.of("array", "array-secret-22"))
                        .requireHeaderDigest(true).requireDataDigest(true).build())
                .portal(PortalConfig.of(new InetSocketAddress("127.0.0.1", 0))).threads(1).build().start();
    }

    private String conf(String iscsi, String chapIn) {
        InetSocketAddress a = target.portal(0).address();
        return "iscsi {\n" + iscsi + "\n\tlogin_timeout 2\n}\nportal {\n\taddress 127.0.0.1:" + a.getPort()
                + "\n\ttarget " + IQN + "\n\tchap_username gateway\n\tchap_password gateway-secret-1\n" + chapIn
                + "}\n";
    }

    private Gateway start(String text) throws ConfException, InterruptedException {
        GatewayConfig c = GatewayConfig.parse(text, "gateway.conf");
        GatewaySetup setup = GatewayProducer.setup(c, Policies.uniform(MapSettings.DEFAULTS, true), null)
                .discoveryTimeout(Duration.ofSeconds(5)).build();
        return Gateway.start(setup);
    }

    @Test
    void digestsAndMutualChapReachTheLogin() throws Exception {
        gw = start(conf("\theader_digest CRC32C\n\tdata_digest None,CRC32C",
                "\tchap_username_in array\n\tchap_password_in array-secret-22\n"));
        assertThat(gw.sessions()).extracting(SessionView::state).containsExactly("LOGGED_IN");
        assertThat(gw.maps()).hasSize(1);
        assertThat(gw.paths()).hasSize(1).allMatch(p -> p.map().equals(gw.maps().get(0).name()));
        List<TargetSession> normal = target.sessions(IQN).stream().filter(s -> !s.discovery()).toList();
        assertThat(normal).hasSize(1);
        assertThat(normal.get(0).params().headerDigest()).as("HeaderDigest on the wire").isTrue();
        assertThat(normal.get(0).params().dataDigest()).as("DataDigest on the wire").isTrue();
    }

    /**
     * The target requires both digests: a gateway.conf that does not offer one cannot log in (so the test above
     * shows the setting reached the wire); a wrong chap_password_in fails the target's answer to our challenge
     * (so mutual CHAP was asked for).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no header digest        | header_digest None       | data_digest CRC32C | array-secret-22
            no data digest          | header_digest CRC32C     | data_digest None   | array-secret-22
            wrong chap_password_in  | header_digest CRC32C     | data_digest CRC32C | not-the-secret-3
            """)
    void withoutTheSettingTheLoginFails(String why, String header, String data, String secretIn) throws Exception {
        gw = start(conf("\t" + header + "\n\t" + data,
                "\tchap_username_in array\n\tchap_password_in " + secretIn + "\n"));
        assertThat(gw.sessions()).hasSize(1);
        assertThat(gw.sessions().get(0).state()).as(why).isNotEqualTo("LOGGED_IN");
        assertThat(gw.sessions().get(0).lastError()).as(why).isNotEmpty();
        assertThat(gw.maps()).isEmpty();
        assertThat(target.sessions(IQN).stream().filter(s -> !s.discovery())).isEmpty();
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (target != null) target.close();
    }
}
