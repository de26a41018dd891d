package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.Health;
import io.mpathgw.gateway.testing.FixedGatewayControl;
import io.mpathgw.gateway.testing.FixedGatewayProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mpathgw.gateway.testing.Admin.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * The HTTP layer alone, over {@link FixedGatewayControl}: JSON shape of every read, error mapping of every refusal,
 * parameters the API parses itself, the action timeout. The daemon behind the same endpoints: {@code ApiGatewayTest}.
 */
@QuarkusTest
@TestProfile(FixedGatewayProfile.class)
class ApiHttpLayerTest {

    @Inject
    FixedGatewayControl control;

    @BeforeEach
    void reset() {
        control.reset();
    }

    @Test
    void mapsAreListedWithGroupsPathsAndCounters() {
        admin().get("/api/v1/maps").then().statusCode(200).contentType(ContentType.JSON)
                .body("name", contains("mpatha"))
                .body("[0].wwid", equalTo(FixedGatewayControl.WWID))
                .body("[0].groups.number", contains(1, 2))
                .body("[0].groups[0].paths.dev", contains("sdb", "sdc"))
                .body("[0].groups[1].status", equalTo("enabled"))
                .body("[0].counters.pathFaults", equalTo(7))
                .body("[0].nrActivePaths", equalTo(3));
    }

    @Test
    void oneMapByAliasOrWwidAndUnknownIs404() {
        admin().get("/api/v1/maps/mpatha").then().statusCode(200).body("dmName", equalTo("dm-0"));
        admin().get("/api/v1/maps/" + FixedGatewayControl.WWID).then().statusCode(200).body("name", equalTo("mpatha"));
        admin().get("/api/v1/maps/mpathz").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("no map named 'mpathz'"));
    }

    @Test
    void tableAndStatusAreTheLinesVerbatim() {
        String table = admin().get("/api/v1/maps/mpatha/table").then().statusCode(200).contentType(ContentType.TEXT)
                .extract().asString();
        assertThat(table).isEqualTo(control.maps().get(0).table());
        String status = admin().get("/api/v1/maps/mpatha/status").then().statusCode(200).extract().asString();
        assertThat(status).isEqualTo(control.maps().get(0).status());
        admin().get("/api/v1/maps/nope/status").then().statusCode(404).body("error", equalTo("no map named 'nope'"));
    }

    @Test
    void messageReachesTheMapWithItsSectorAndText() {
        admin().contentType(ContentType.JSON).body("{\"sector\":0,\"message\":\"fail_path 8:16\"}")
                .post("/api/v1/maps/mpatha/message").then().statusCode(200).body("output", equalTo(""));
        admin().contentType(ContentType.JSON).body("{\"message\":\"reinstate_path 8:16\"}")
                .post("/api/v1/maps/mpatha/message").then().statusCode(200);
        assertThat(control.actions()).containsExactly("message mpatha 0 fail_path 8:16", "message mpatha 0 reinstate_path 8:16");
    }

    @Test
    void badMessagesAreRefusedNamingWhatWasWrong() {
        admin().contentType(ContentType.JSON).body("{\"sector\":0,\"message\":\"frobnicate\"}")
                .post("/api/v1/maps/mpatha/message").then().statusCode(400)
                .body("error", equalTo("device-mapper: multipath: Unrecognised multipath message received: frobnicate"));
        admin().contentType(ContentType.JSON).body("{\"sector\":0}")
                .post("/api/v1/maps/mpatha/message").then().statusCode(400)
                .body("error", equalTo("message: missing (expected: a multipath target message such as \"fail_path 8:16\")"));
        admin().contentType(ContentType.JSON).body("{\"sector\":-1,\"message\":\"fail_path 8:16\"}")
                .post("/api/v1/maps/mpatha/message").then().statusCode(400)
                .body("error", equalTo("sector: -1 (expected: >= 0)"));
        admin().contentType(ContentType.JSON).body("{\"sector\":\"zero\",\"message\":\"fail_path 8:16\"}")
                .post("/api/v1/maps/mpatha/message").then().statusCode(400)
                .body("error", startsWith("request body: "));
        admin().contentType(ContentType.JSON).body("{\"sector\":0,")
                .post("/api/v1/maps/mpatha/message").then().statusCode(400)
                .body("error", startsWith("request body: "));
        admin().contentType(ContentType.JSON).body("{\"message\":\"fail_path 8:16\"}")
                .post("/api/v1/maps/mpathz/message").then().statusCode(404)
                .body("error", equalTo("no map named 'mpathz'"));
        assertThat(control.actions()).containsExactly("message mpatha 0 frobnicate");
    }

    @Test
    void groupActions() {
        for (String action : List.of("switch", "enable", "disable"))
            admin().post("/api/v1/maps/mpatha/groups/2/" + action).then().statusCode(200).body("result", equalTo("ok"));
        assertThat(control.actions()).containsExactly("switchGroup mpatha 2", "enableGroup mpatha 2", "disableGroup mpatha 2");
        admin().post("/api/v1/maps/mpatha/groups/3/switch").then().statusCode(400)
                .body("error", equalTo("group: 3 (expected: 1..2, the groups of mpatha)"));
        admin().post("/api/v1/maps/mpatha/groups/two/switch").then().statusCode(400)
                .body("error", equalTo("group: 'two' (expected: a priority group number, 1 for the first)"));
        admin().post("/api/v1/maps/mpatha/groups/0/enable").then().statusCode(400)
                .body("error", equalTo("group: '0' (expected: a priority group number, 1 for the first)"));
        admin().post("/api/v1/maps/mpathz/groups/1/disable").then().statusCode(404)
                .body("error", equalTo("no map named 'mpathz'"));
    }

    @Test
    void queueingPerMapAndForAll() {
        admin().post("/api/v1/maps/mpatha/queueing/disable").then().statusCode(200).body("result", equalTo("ok"));
        admin().post("/api/v1/maps/mpatha/queueing/restore").then().statusCode(200);
        admin().post("/api/v1/queueing/disable").then().statusCode(200).body("result", equalTo("ok"));
        admin().post("/api/v1/queueing/restore").then().statusCode(200);
        admin().post("/api/v1/maps/mpathz/queueing/disable").then().statusCode(404)
                .body("error", equalTo("no map named 'mpathz'"));
        assertThat(control.actions()).containsExactly("disableQueueing mpatha", "restoreQueueing mpatha",
                "disableQueueing null", "restoreQueueing null");
    }

    @Test
    void pathsReadsAndActions() {
        admin().get("/api/v1/paths").then().statusCode(200).body("dev", contains("sdb", "sdc", "sdd", "sde", "sdf"))
                .body("find { it.dev == 'sdf' }.map", equalTo(""));
        admin().get("/api/v1/paths/sdd").then().statusCode(200).body("aluaState", equalTo("active/non-optimized"))
                .body("counters.scsiErrors", equalTo(3)).body("group", equalTo(2));
        admin().get("/api/v1/paths/sdz").then().statusCode(404).body("error", equalTo("no path named 'sdz'"));
        admin().post("/api/v1/paths/sdb/fail").then().statusCode(200).body("result", equalTo("ok"));
        admin().post("/api/v1/paths/sdb/reinstate").then().statusCode(200);
        admin().post("/api/v1/paths/sdz/fail").then().statusCode(404).body("error", equalTo("no path named 'sdz'"));
        admin().post("/api/v1/paths/sdf/fail").then().statusCode(409).body("error", equalTo("path sdf belongs to no map"));
        assertThat(control.actions()).containsExactly("failPath sdb", "reinstatePath sdb");
    }

    @Test
    void sessionsAndRelogin() {
        admin().get("/api/v1/sessions").then().statusCode(200).body("state", contains("LOGGED_IN"))
                .body("[0].paths", contains("sdb"));
        admin().post("/api/v1/sessions/relogin").then().statusCode(200).body("result", equalTo("ok"));
        admin().queryParam("portal", "127.0.0.1:3260").post("/api/v1/sessions/relogin").then().statusCode(200);
        admin().queryParam("portal", "127.0.0.1").post("/api/v1/sessions/relogin").then().statusCode(400)
                .body("error", equalTo("portal: '127.0.0.1' (expected: address:port, e.g. 127.0.0.1:3260)"));
        admin().queryParam("portal", "127.0.0.1:99999").post("/api/v1/sessions/relogin").then().statusCode(400);
        admin().queryParam("portal", "127.0.0.9:3260").post("/api/v1/sessions/relogin").then().statusCode(404)
                .body("error", equalTo("no session to portal 127.0.0.9:3260"));
        assertThat(control.actions()).containsExactly("retryLogin null", "retryLogin 127.0.0.1:3260");
    }

    @Test
    void eventsAfterASeqWithALimit() {
        long base = control.events(0, 10_000).size();
        control.raise("PATH_DOWN", "sdb", "tur checker reports path is down");
        control.raise("PATH_UP", "sdb", "tur checker reports path is up");
        control.raise("GROUP_SWITCH", "", "switch to group 2");
        admin().queryParam("after", base).get("/api/v1/events").then().statusCode(200)
                .body("kind", contains("PATH_DOWN", "PATH_UP", "GROUP_SWITCH"))
                .body("[0].seq", equalTo((int) base + 1)).body("[0].path", equalTo("sdb"));
        admin().queryParam("after", base + 1).queryParam("limit", 1).get("/api/v1/events").then().statusCode(200)
                .body("kind", contains("PATH_UP"));
        admin().queryParam("limit", 0).get("/api/v1/events").then().statusCode(400)
                .body("error", equalTo("limit: '0' (expected: 1..10000)"));
        admin().queryParam("after", "x").get("/api/v1/events").then().statusCode(400)
                .body("error", equalTo("after: 'x' (expected: 0..9223372036854775807)"));
    }

    @Test
    void configShowAndReload() {
        admin().get("/api/v1/config").then().statusCode(200).contentType(ContentType.TEXT)
                .body(equalTo(control.showConfig()));
        admin().post("/api/v1/config/reload").then().statusCode(200).body("result", equalTo("ok"));
        assertThat(control.actions()).containsExactly("reconfigure");
    }

    @Test
    void anActionTheMapThreadNeverAppliesAnswers503() {
        control.hangNext();
        admin().post("/api/v1/paths/sdb/fail").then().statusCode(503)
                .body("error", equalTo("fail path sdb: not applied by the map thread within 300 ms (mpathgw.api.action-timeout)"));
    }

    @Test
    void unknownEndpointsAndMethodsAnswerJson() {
        admin().get("/api/v1/nothing").then().statusCode(404).body("error", equalTo("no such endpoint: GET /api/v1/nothing"));
        admin().delete("/api/v1/maps").then().statusCode(405).body("error", startsWith("DELETE /api/v1/maps: method not allowed"));
    }

    @Test
    void healthForTheAdminAndTheProbes() {
        admin().get("/api/v1/health").then().statusCode(200).body("ready", equalTo(true)).body("word", equalTo("Degraded"))
                .body("reasons", contains("mpatha: Degraded: 3/4 paths"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.health", equalTo("Degraded"))
                .body("checks[0].data.reason1", equalTo("mpatha: Degraded: 3/4 paths"));
        control.health(new Health(false, "Failed", List.of("mpatha: Failed: 0/4 paths")));
        try {
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks[0].data.health", equalTo("Failed"));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            control.health(new Health(true, "Degraded", List.of("mpatha: Degraded: 3/4 paths")));
        }
    }

    @Test
    void everyApiEndpointNeedsTheAdmin() {
        for (String get : List.of("/api/v1/maps", "/api/v1/maps/mpatha", "/api/v1/maps/mpatha/table", "/api/v1/paths",
                "/api/v1/sessions", "/api/v1/events", "/api/v1/config", "/api/v1/health", "/api/v1/stream")) {
            given().get(get).then().statusCode(401);
            given().auth().preemptive().basic("admin", "wrong").get(get).then().statusCode(401);
        }
        given().post("/api/v1/paths/sdb/fail").then().statusCode(401);
        given().post("/api/v1/queueing/disable").then().statusCode(401);
        assertThat(control.actions()).isEmpty();
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void theWebPageLogsInWithAFormAndItsCookieOpensTheApi() {
        given().redirects().follow(false).get("/").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/login.html"));
        given().redirects().follow(false).formParam("j_username", "admin").formParam("j_password", "wrong")
                .post("/j_security_check").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/login.html?error"));
        var login = given().redirects().follow(false).formParam("j_username", "admin")
                .formParam("j_password", io.mpathgw.gateway.testing.Admin.PASSWORD).post("/j_security_check")
                .then().statusCode(302).extract();
        String cookie = login.cookie("mpathgw-session");
        assertThat(cookie).as("session cookie").isNotBlank();
        given().cookie("mpathgw-session", cookie).get("/api/v1/maps").then().statusCode(200).body("name", contains("mpatha"));
        given().cookie("mpathgw-session", "forged").get("/api/v1/maps").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());
        given().header("X-Requested-With", "XMLHttpRequest").get("/api/v1/maps").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());
        given().get("/api/v1/maps").then().statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"mpathgw\""));
    }

    @Test
    void metricsCarryEveryCounterOfTheMapAndItsPaths() throws InterruptedException {
        control.pathFaults(4242);
        String faults = "mpathgw_map_path_faults_total{map=\"mpatha\"} 4242.0";
        String text = "";
        for (int i = 0; i < 40 && !text.contains(faults); i++) {        // seen on the next 1 s refresh
            text = given().get("/q/metrics").then().statusCode(200).extract().asString();
            if (!text.contains(faults)) Thread.sleep(100);
        }
        control.pathFaults(7);
        assertThat(text).contains("mpathgw_map_path_faults_total{map=\"mpatha\"} 4242.0",
                "mpathgw_map_switch_grp_total{map=\"mpatha\"} 2.0",
                "mpathgw_map_map_failures_total{map=\"mpatha\"} 3.0",
                "mpathgw_map_reads_total{map=\"mpatha\"} 1000.0",
                "mpathgw_map_written_bytes_total{map=\"mpatha\"} 2048000.0",
                "mpathgw_map_health{health=\"Degraded\",map=\"mpatha\"} 1.0",
                "mpathgw_map_health{health=\"Optimal\",map=\"mpatha\"} 0.0",
                "mpathgw_map_active_paths{map=\"mpatha\"} 3.0",
                "mpathgw_path_scsi_errors_total{group=\"2\",map=\"mpatha\",path=\"sdd\"} 3.0",
                "mpathgw_path_transport_errors_total{group=\"1\",map=\"mpatha\",path=\"sdb\"} 2.0",
                "mpathgw_path_dm_state{group=\"1\",map=\"mpatha\",path=\"sdc\",state=\"failed\"} 1.0",
                "mpathgw_path_latency_micros{group=\"1\",map=\"mpatha\",path=\"sdb\"} 250.0");
        for (String counter : List.of("path_faults", "switch_grp", "map_loads", "total_q_time", "q_timeouts", "map_failures", "reads",
                "writes", "read_bytes", "written_bytes", "errors"))
            assertThat(text).contains("mpathgw_map_" + counter + "_total{map=\"mpatha\"}");
        for (String gauge : List.of("queued", "in_flight", "paths"))
            assertThat(text).contains("mpathgw_map_" + gauge + "{map=\"mpatha\"}");
        for (String counter : List.of("ios", "bytes", "failures"))
            assertThat(text).contains("mpathgw_path_" + counter + "_total{group=\"2\",map=\"mpatha\",path=\"sde\"}");
        for (String gauge : List.of("iops", "priority", "checker_up", "online"))
            assertThat(text).contains("mpathgw_path_" + gauge + "{group=\"2\",map=\"mpatha\",path=\"sde\"}");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void metricsCountEventsByKind() {
        control.raise("METRICS_TEST", "", "LU not supported on every path");
        control.raise("METRICS_TEST", "", "again");
        String text = "";
        String two = "mpathgw_events_total{kind=\"METRICS_TEST\"} 2.0";
        for (int i = 0; i < 30 && !text.contains(two); i++) {      // counted on the next 1 s refresh
            text = given().get("/q/metrics").then().statusCode(200).extract().asString();
            if (!text.contains(two)) sleep(100);
        }
        assertThat(text).containsPattern("mpathgw_events_total\\{kind=\"METRICS_TEST\"} 2\\.0");
    }

    @Test
    void openApiListsEveryPathWithItsSchemas() {
        var doc = admin().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("paths").keySet()).contains("/api/v1/maps", "/api/v1/maps/{map}",
                "/api/v1/maps/{map}/table", "/api/v1/maps/{map}/status", "/api/v1/maps/{map}/message",
                "/api/v1/maps/{map}/groups/{n}/switch", "/api/v1/maps/{map}/groups/{n}/enable",
                "/api/v1/maps/{map}/groups/{n}/disable", "/api/v1/maps/{map}/queueing/disable",
                "/api/v1/maps/{map}/queueing/restore", "/api/v1/queueing/disable", "/api/v1/queueing/restore",
                "/api/v1/paths", "/api/v1/paths/{dev}", "/api/v1/paths/{dev}/fail", "/api/v1/paths/{dev}/reinstate",
                "/api/v1/sessions", "/api/v1/sessions/relogin", "/api/v1/events", "/api/v1/stream", "/api/v1/config",
                "/api/v1/config/reload", "/api/v1/health");
        assertThat(doc.getMap("components.schemas").keySet()).contains("MapView", "GroupView", "PathView", "MapCounters",
                "PathCounters", "SessionView", "EventView", "Health", "Error", "ActionResult", "MessageRequest",
                "MessageOutput");
        assertThat(doc.getString("paths.'/api/v1/maps/{map}/message'.post.requestBody.content.'application/json'.schema.$ref"))
                .isEqualTo("#/components/schemas/MessageRequest");
        assertThat(doc.getString("paths.'/api/v1/maps'.get.description")).contains("multipathd show maps");
        assertThat(doc.getString("components.schemas.MapView.properties.groups.items.$ref"))
                .isEqualTo("#/components/schemas/GroupView");
        given().get("/q/openapi").then().statusCode(401);
    }
}
