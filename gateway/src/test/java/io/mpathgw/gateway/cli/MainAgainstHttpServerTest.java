package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpathgw.gateway.format.Fixtures;
import io.mpathgw.gateway.format.Topology;
import io.mpathgw.gateway.model.MapView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mpathgw.gateway.cli.MainUsageTest.Result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against an HTTP server speaking the REST API's contract (FakeGateway: real model records through
 * Jackson): what each command requests, what it prints, the exit codes, and each transport failure's one line.
 */
class MainAgainstHttpServerTest {

    private FakeGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) gateway.close();
    }

    private Result run(String... args) {
        return MainUsageTest.run(env(), args);
    }

    private Map<String, String> env() {
        return Map.of("MPATHGW_URL", gateway.url(), "MPATHGW_PASSWORD", FakeGateway.PASSWORD,
                "MPATHGW_DATA_DIR", "/nonexistent");
    }

    private void start(List<MapView> maps) throws IOException {
        gateway = new FakeGateway(maps, List.of(Fixtures.orphanVda()));
    }

    @Test
    void multipathLlPrintsEveryMapAsMultipathDoes() throws IOException {
        start(List.of(Fixtures.netapp(), Fixtures.unknownVendorAlua()));
        Result r = run("multipath", "-ll");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(golden("two-group-alua-multipath-ll.txt") + golden("unknown-vendor-alua.txt"));
        assertThat(run("multipath", "-ll", "mpatha").out()).isEqualTo(golden("two-group-alua-multipath-ll.txt"));
        Result missing = run("multipath", "-ll", "mpathz");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("multipath: no map named 'mpathz'\n");
        assertThat(missing.out()).isEmpty();
    }

    @Test
    void showTopologyPadsOverEveryPathTheGatewayKnows() throws IOException {
        start(List.of(Fixtures.netapp()));
        assertThat(run("multipathd", "show", "topology").out()).isEqualTo(golden("two-group-alua.txt"));
        assertThat(run("multipathd", "-kshow topology").out()).isEqualTo(golden("two-group-alua.txt"));
        assertThat(run("multipathd", "list", "multipaths", "topology").out()).isEqualTo(golden("two-group-alua.txt"));
        assertThat(run("multipathd", "show", "map", "mpatha", "topology").out()).isEqualTo(golden("two-group-alua.txt"));
        assertThat(run("multipathd", "show", "paths").out()).isEqualTo(golden("show-paths.txt"));
        assertThat(run("multipathd", "-kshow paths raw format \"%d:%T\"").out())
                .isEqualTo("sda:ready\nsdc:ready\nsdb:ready\nsdd:faulty\nvda:undef\n");
        assertThat(run("multipathd", "show", "path", "sdd").out()).isEqualTo("running\n");
        assertThat(run("multipathd", "show", "path", "8:16").out()).isEqualTo("running\n");
        Result noPath = run("multipathd", "show", "path", "sdz");
        assertThat(noPath.exit()).isEqualTo(1);
        assertThat(noPath.err()).isEqualTo("multipathd: no path named 'sdz'\n");
    }

    @Test
    void showMapsTablesAndJson() throws IOException {
        start(List.of(Fixtures.netapp(), issue92()));
        assertThat(run("multipathd", "show", "maps").out()).isEqualTo(golden("show-maps.txt"));
        assertThat(run("multipathd", "show", "maps", "status").out()).isEqualTo(golden("show-maps-status.txt"));
        assertThat(run("multipathd", "show", "maps", "stats").out()).isEqualTo(golden("show-maps-stats.txt"));
        assertThat(run("multipathd", "show", "maps", "json").out()).isEqualTo(golden("show-maps.json"));
        assertThat(run("multipathd", "show", "maps", "format", "%n %N").out()).isEqualTo("name   paths\nmpatha 3    \nmpathb 3    \n");
        assertThat(run("multipathd", "show", "map", "mpathb", "raw", "format", "%n %S").out()).isEqualTo("mpathb 6.0T\n");
        JsonNode one = new ObjectMapper().readTree(run("multipathd", "show", "map", "mpathb", "json").out());
        assertThat(one.get("map").get("path_groups").get(0).get("selector").asText()).isEqualTo("round-robin 0");
        Result missing = run("multipathd", "show", "map", "nosuch", "json");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();                          // a show has no "fail" line
        assertThat(missing.err()).isEqualTo("multipathd: no map named 'nosuch'\n");
    }

    @Test
    void failPathChangesTheStatusLineAndReinstateRestoresIt() throws IOException {
        start(List.of(Fixtures.netapp()));
        String before = run("dmsetup", "status", "mpatha").out();
        assertThat(before).contains(" 8:16 A 0");

        Result fail = run("multipathd", "fail", "path", "sdb");
        assertThat(fail.out()).isEqualTo("ok\n");
        assertThat(fail.exit()).isZero();
        assertThat(gateway.posts).containsExactly("/paths/sdb/fail");
        assertThat(run("dmsetup", "status", "mpatha").out()).contains(" 8:16 F 1").isNotEqualTo(before);
        assertThat(run("multipathd", "show", "paths", "raw", "format", "%d %t").out()).contains("sdb failed\n");

        assertThat(run("multipathd", "-kreinstate path sdb").out()).isEqualTo("ok\n");
        assertThat(run("dmsetup", "status", "mpatha").out()).isEqualTo(before);

        Result unknown = run("multipathd", "fail", "path", "sdz");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.out()).isEqualTo("fail\n");
        assertThat(unknown.err()).isEqualTo("multipathd: no path named 'sdz'\n");
    }

    @Test
    void actionsPostTheirResource() throws IOException {
        start(List.of(Fixtures.netapp()));
        assertThat(run("multipathd", "switchgroup", "map", "mpatha", "group", "2").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "disablequeueing", "maps").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "disablequeueing", "map", "mpatha").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "restorequeueing", "multipath", "mpatha").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "restorequeueing", "multipaths").out()).isEqualTo("ok\n");
        assertThat(run("multipathd", "reconfigure").out()).isEqualTo("ok\n");
        assertThat(gateway.posts).containsExactly("/maps/mpatha/groups/2/switch", "/queueing/disable",
                "/maps/mpatha/queueing/disable", "/maps/mpatha/queueing/restore", "/queueing/restore",
                "/config/reload");

        Result badGroup = run("multipathd", "switch", "map", "mpatha", "group", "3");
        assertThat(badGroup.exit()).isEqualTo(1);
        assertThat(badGroup.out()).isEqualTo("fail\n");
        assertThat(badGroup.err()).isEqualTo("multipathd: device-mapper: multipath: invalid PG number supplied to switch_group\n");
    }

    @Test
    void dmsetupTableStatusMessage() throws IOException {
        start(List.of(Fixtures.netapp(), issue92()));
        MapView a = Fixtures.netapp();
        assertThat(run("dmsetup", "table", "mpatha").out()).isEqualTo(a.table() + "\n");
        assertThat(run("dmsetup", "table").out())
                .isEqualTo("mpatha: " + a.table() + "\nmpathb: " + issue92().table() + "\n");
        assertThat(run("dmsetup", "status").out()).startsWith("mpatha: 0 20971520 multipath 2 0 0 0 2 1 A 0 2 0 8:0 A 0");

        Result msg = run("dmsetup", "message", "mpatha", "0", "fail_path", "8:16");
        assertThat(msg.exit()).isZero();
        assertThat(msg.out()).isEmpty();
        assertThat(gateway.posts).containsExactly("/maps/mpatha/message {\"sector\":0,\"message\":\"fail_path 8:16\"}");
        assertThat(run("dmsetup", "message", "mpatha", "0", "hello").out()).isEqualTo("hello back\n");

        Result bad = run("dmsetup", "message", "mpatha", "0", "bogus");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("dmsetup: device-mapper: message ioctl on mpatha failed: Invalid argument\n");
        Result none = run("dmsetup", "table", "mpathz");
        assertThat(none.err()).isEqualTo("dmsetup: no map named 'mpathz'\n");
        assertThat(none.exit()).isEqualTo(1);
    }

    @Test
    void emptyGateway() throws IOException {
        start(List.of());
        assertThat(run("dmsetup", "table").out()).isEqualTo("No devices found\n");
        assertThat(run("multipathd", "show", "maps").out()).isEqualTo("ok\n");    // multipathd's empty reply
        assertThat(run("multipath", "-ll").out()).isEmpty();
        Result s = run("sessions");
        assertThat(s.exit()).isEqualTo(1);
        assertThat(s.err()).isEqualTo("sessions: No active sessions.\n");
    }

    @Test
    void configAndSessions() throws IOException {
        start(List.of(Fixtures.netapp()));
        assertThat(run("multipathd", "show", "config").out()).isEqualTo("defaults {\n\tpolling_interval 5\n}\n");
        assertThat(run("sessions").out()).isEqualTo(
                "tcp: [1] 127.0.0.2:3260,1 iqn.2026-11.io.mpathgw.sim:array (non-flash)\n"
                        + "tcp: [2] 127.0.0.3:3260,1 iqn.2026-11.io.mpathgw.sim:array (non-flash)\n");
        assertThat(run("sessions", "-P", "1").out()).contains("\tiSCSI Session State: LOGGED_IN\n\tISID: 400001370000  TSIH: 1");
    }

    @Test
    void wrongCredentialsAndThePasswordTheGatewayGenerated(@TempDir Path dataDir) throws IOException {
        start(List.of(Fixtures.netapp()));
        Result wrong = MainUsageTest.run(Map.of("MPATHGW_URL", gateway.url(), "MPATHGW_DATA_DIR", "/nonexistent"),
                "dmsetup", "table");                                   // falls back to admin/admin
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).isEqualTo("dmsetup: wrong credentials for user 'admin' at " + gateway.url()
                + " (--user/--password or MPATHGW_USER/MPATHGW_PASSWORD)\n");

        Files.writeString(dataDir.resolve("admin-password"), FakeGateway.PASSWORD + "\n");
        Map<String, String> env = new HashMap<>(Map.of("MPATHGW_URL", gateway.url(), "MPATHGW_DATA_DIR", dataDir.toString()));
        assertThat(MainUsageTest.run(env, "dmsetup", "table", "mpatha").exit()).isZero();
        Result flag = MainUsageTest.run(env, "--user", "bob", "dmsetup", "table");   // flags beat the file
        assertThat(flag.err()).startsWith("dmsetup: wrong credentials for user 'bob'");
        Result url = MainUsageTest.run(Map.of(), "--url", gateway.url() + "/", "--password=" + FakeGateway.PASSWORD,
                "multipathd", "show", "maps", "raw", "format", "%n");
        assertThat(url.out()).isEqualTo("mpatha\n");
    }

    @Test
    void unreachableGatewayAndNonJsonErrors() throws IOException {
        start(List.of(Fixtures.netapp()));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Result r = MainUsageTest.run(Map.of("MPATHGW_URL", "http://127.0.0.1:" + closed), "multipathd", "show", "topology");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("multipathd: gateway unreachable at http://127.0.0.1:" + closed
                + " (connection refused); is 'mpathgw serve' running? (--url / MPATHGW_URL)\n");
        assertThat(r.out()).isEmpty();

        Result crash = run("dmsetup", "table", "crash");
        assertThat(crash.exit()).isEqualTo(1);
        assertThat(crash.err()).isEqualTo("dmsetup: HTTP 500 from GET " + gateway.url()
                + "/api/v1/maps/crash/table: <html>Internal\n");
    }

    private static MapView issue92() {
        return Fixtures.issue92();
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = Topology.class.getResourceAsStream("/format/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
