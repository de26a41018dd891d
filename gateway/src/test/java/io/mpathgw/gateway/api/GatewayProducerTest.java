package io.mpathgw.gateway.api;

import io.mpathgw.gateway.config.MultipathConf;
import io.mpathgw.gateway.daemon.MapSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What stops the service before it starts (named files missing or wrong), and multipath.conf as the daemon sees it. */
class GatewayProducerTest {

    private static GatewayProducer producer(Path gatewayConf, Path multipathConf) {
        GatewayProducer p = new GatewayProducer();
        p.gatewayConf = Optional.ofNullable(gatewayConf).map(Path::toString);
        p.multipathConf = Optional.ofNullable(multipathConf).map(Path::toString);
        return p;
    }

    @Test
    void aNamedFileThatDoesNotExistStopsStartupNamingTheProperty(@TempDir Path dir) {
        Path missing = dir.resolve("gateway.conf");
        assertThatThrownBy(() -> producer(missing, null).gateway()).isInstanceOf(IllegalStateException.class)
                .hasMessage("mpathgw.config: " + missing + " (expected: an existing file)");
        assertThatThrownBy(() -> producer(null, dir.resolve("mp.conf")).gateway())
                .hasMessage("mpathgw.multipath-conf: " + dir.resolve("mp.conf") + " (expected: an existing file)");
    }

    @Test
    void aBadFileStopsStartupWithFileLineAndKey(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("gateway.conf"), "iscsi {\n\tnoop_out_interval soon\n}\n");
        assertThatThrownBy(() -> producer(conf, null).gateway()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(conf.toString()).hasMessageContaining("2").hasMessageContaining("noop_out_interval");
        Path mp = Files.writeString(dir.resolve("multipath.conf"), "defaults {\n\tno_path_retry forever\n}\n");
        assertThatThrownBy(() -> producer(null, mp).gateway())
                .hasMessageContaining(mp.toString()).hasMessageContaining("no_path_retry");
    }

    @Test
    void policiesCarryMultipathConfToTheDaemon() throws Exception {
        MultipathConf conf = MultipathConf.parse("""
                defaults {
                    polling_interval 3
                    no_path_retry 7
                    user_friendly_names yes
                }
                devices {
                    device {
                        vendor "ACME"
                        product "BOX"
                        path_grouping_policy group_by_prio
                        hardware_handler "1 alua"
                        prio alua
                        failback 15
                        features "2 pg_init_retries 50"
                    }
                }
                multipaths {
                    multipath {
                        wwid 3600a0b80001
                        alias db
                    }
                }
                """, "test.conf");
        ConfPolicies p = new ConfPolicies(conf);
        MapSettings s = p.settingsFor("ACME", "BOX", "0001", "3600a0b80001");
        assertThat(s.pathGroupingPolicy()).isEqualTo("group_by_prio");
        assertThat(s.hardwareHandler()).isEqualTo("alua");
        assertThat(s.prio()).isEqualTo("alua");
        assertThat(s.failback()).isEqualTo("15");
        assertThat(s.features()).isEqualTo("2 pg_init_retries 50");
        assertThat(s.pollingInterval()).hasSeconds(3);
        assertThat(s.noPathRetry().toString()).isEqualTo("7");
        assertThat(p.mapName("3600a0b80001", Set.of())).isEqualTo("db");
        p.settingsFor("OTHER", "DISK", "1", "3600a0b80002");
        assertThat(p.mapName("3600a0b80002", Set.of("db"))).isEqualTo("mpatha");
        assertThat(p.show()).contains("polling_interval 3");
    }

    @Test
    void tableFormsBecomeTheDaemonsWords() {
        assertThat(ConfPolicies.handlerName("0")).isEmpty();
        assertThat(ConfPolicies.handlerName("1 rdac")).isEqualTo("rdac");
        assertThat(ConfPolicies.withoutQueueIfNoPath("1 queue_if_no_path")).isEqualTo("0");
        assertThat(ConfPolicies.withoutQueueIfNoPath("3 pg_init_retries 50 queue_if_no_path")).isEqualTo("2 pg_init_retries 50");
        assertThat(ConfPolicies.withoutQueueIfNoPath("0")).isEqualTo("0");
    }
}
