package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpathgw.gateway.testing.Admin;
import io.mpathgw.gateway.testing.FixedGatewayControl;
import io.mpathgw.gateway.testing.FixedGatewayProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Main against the gateway's real REST layer (Quarkus, HTTP Basic, Jackson) over the API's fixed test control:
 * the CLI and the API agree on paths, JSON and errors. The daemon behind it is exercised by the end-to-end test.
 */
@QuarkusTest
@TestProfile(FixedGatewayProfile.class)
class CliOverRestApiTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    FixedGatewayControl control;

    @BeforeEach
    void reset() {
        control.reset();
    }

    private MainUsageTest.Result run(String... args) {
        String url = root.toString().replaceAll("/$", "");
        return MainUsageTest.run(Map.of("MPATHGW_URL", url, "MPATHGW_USER", Admin.USER, "MPATHGW_PASSWORD", Admin.PASSWORD,
                "MPATHGW_DATA_DIR", "/nonexistent"), args);
    }

    private static final String TOPOLOGY = String.join("\n",
            "mpatha (36001405aabbccddeeff00112233445566) dm-0 LIO-ORG,SIM",
            "size=64M features='1 queue_if_no_path' hwhandler='1 alua' wp=rw",
            "|-+- policy='service-time 0' prio=50 status=active",
            "| |- 3:0:0:0 sdb 8:16 active ready  running",
            "| `- 3:0:0:0 sdc 8:32 failed faulty running",
            "`-+- policy='service-time 0' prio=10 status=enabled",
            "  |- 3:0:0:0 sdd 8:48 active ready  running",
            "  `- 3:0:0:0 sde 8:64 active ready  running", "");

    @Test
    void views() throws Exception {
        assertThat(run("multipath", "-ll").out()).isEqualTo(TOPOLOGY);
        assertThat(run("multipath", "-ll", "36001405aabbccddeeff00112233445566").out()).isEqualTo(TOPOLOGY);
        assertThat(run("multipathd", "show", "topology").out()).isEqualTo(TOPOLOGY);
        assertThat(run("multipathd", "show", "paths").out()).isEqualTo(String.join("\n",
                "hcil    dev dev_t pri dm_st  chk_st dev_st  next_check    ",
                "3:0:0:0 sdb 8:16  50  active ready  running XXXXXXXX.. 4/5",
                "3:0:0:0 sdc 8:32  50  failed faulty running XXXXXXXX.. 4/5",
                "3:0:0:0 sdd 8:48  10  active ready  running XXXXXXXX.. 4/5",
                "3:0:0:0 sde 8:64  10  active ready  running XXXXXXXX.. 4/5",
                "4:0:0:1 sdf 8:80  -1  undef  undef  unknown orphan        ", ""));
        assertThat(run("multipathd", "show", "maps", "stats").out()).isEqualTo(String.join("\n",
                "name   path_faults switch_grp map_loads total_q_time q_timeouts",
                "mpatha 7           2          1         0            0         ", ""));
        assertThat(new ObjectMapper().readTree(run("multipathd", "show", "maps", "json").out())
                .get("maps").get(0).get("path_groups").get(1).get("paths").get(1).get("dev").asText()).isEqualTo("sde");
        assertThat(run("dmsetup", "status", "mpatha").out()).isEqualTo(
                "0 131072 multipath 2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 F 1 0 1 E 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1\n");
        assertThat(run("dmsetup", "table").out()).startsWith("mpatha: 0 131072 multipath 1 queue_if_no_path 1 alua 2 1 ");
        assertThat(run("multipathd", "show", "config").out()).isEqualTo("defaults {\n\tpolling_interval 5\n}\n");
        assertThat(run("sessions").out()).isEqualTo("tcp: [1] 127.0.0.1:3260,1 iqn.2026-01.io.mpathgw.sim:array (non-flash)\n");
    }

    @Test
    void actionsReachTheControl() {
        assertThat(run("multipathd", "fail", "path", "sdb").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "reinstate", "path", "sdb").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "switchgroup", "map", "mpatha", "group", "2").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "disablequeueing", "maps").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "restorequeueing", "map", "mpatha").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "reconfigure").out()).isEqualTo("ok\n");
        assertThat(run("dmsetup", "message", "mpatha", "0", "fail_path", "8:16").exit()).isZero();
        assertThat(control.actions()).containsExactly("failPath sdb", "reinstatePath sdb", "switchGroup mpatha 2",
                "disableQueueing null", "restoreQueueing mpatha", "reconfigure", "message mpatha 0 fail_path 8:16");
    }

    @Test
    void refusalsCarryTheApisReason() {
        MainUsageTest.Result orphan = run("multipathd", "fail", "path", "sdf");
        assertThat(orphan.exit()).isEqualTo(1);
        assertThat(orphan.out()).isEqualTo("fail\n");
        assertThat(orphan.err()).isEqualTo("multipathd: path sdf belongs to no map\n");

        MainUsageTest.Result group = run("multipathd", "switchgroup", "map", "mpatha", "group", "3");
        assertThat(group.err()).isEqualTo("multipathd: group: 3 (expected: 1..2, the groups of mpatha)\n");

        MainUsageTest.Result msg = run("dmsetup", "message", "mpatha", "0", "queue_if_no_pat");
        assertThat(msg.exit()).isEqualTo(1);
        assertThat(msg.err()).isEqualTo("dmsetup: device-mapper: multipath: Unrecognised multipath message received: "
                + "queue_if_no_pat\n");

        MainUsageTest.Result map = run("multipath", "-ll", "mpathz");
        assertThat(map.exit()).isEqualTo(1);
        assertThat(map.err()).isEqualTo("multipath: no map named 'mpathz'\n");
    }

    @Test
    void wrongPassword() {
        String url = root.toString().replaceAll("/$", "");
        MainUsageTest.Result r = MainUsageTest.run(Map.of("MPATHGW_URL", url, "MPATHGW_PASSWORD", "nope",
                "MPATHGW_DATA_DIR", "/nonexistent"), "multipathd", "show", "maps");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("multipathd: wrong credentials for user 'admin' at " + url
                + " (--user/--password or MPATHGW_USER/MPATHGW_PASSWORD)\n");
    }
}
