package io.mpathgw.gateway.web;

import io.mpathgw.gateway.testing.Admin;
import io.mpathgw.gateway.testing.SimulatorArray;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.mpathgw.gateway.testing.Admin.admin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page in Debian's Chromium, driven by Playwright scripts (src/test/web/*.mjs, see lib.mjs), against the
 * real gateway logged into the simulated dual-controller ALUA array ({@link SimulatorArray}: 4 portals, two LUNs of
 * 1 MiB, so two maps mpatha and mpathb; no_path_retry 30 so the queueing countdown lasts 31 s). Faults are injected here, on the simulator, when a script
 * asks for them. Skipped when /usr/bin/chromium, node or the scripts' node_modules are missing.
 *
 * <p>Screenshots go to target/web-screenshots; {@code -Dmpathgw.web.screenshots=../docs/screenshots} refreshes the
 * committed ones.
 */
@QuarkusTest
@WithTestResource(value = SimulatorArray.class, initArgs = {@ResourceArg(name = "no_path_retry", value = "30"),
        @ResourceArg(name = "luns", value = "2")})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageBrowserTest {

    static final String MAP = "mpatha";
    static final List<String> MAPS = List.of("mpatha", "mpathb");
    static final long SECTORS = 2048;
    static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void browserPresent() throws Exception {
        String missing = NodeScenario.missing();
        Assumptions.assumeTrue(missing == null, () -> "browser tests skipped: " + missing);
        awaitMaps("every map Optimal before the scenario", m -> m.getList("name").equals(MAPS)
                && m.getList("health").stream().allMatch("Optimal"::equals));
    }

    @AfterEach
    void heal() throws Exception {
        if (NodeScenario.missing() != null) return;
        SimulatorArray.reviveAll();
        admin().post("/api/v1/queueing/restore").then().statusCode(200);
        for (Map<String, Object> p : admin().get("/api/v1/paths").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("")) {
            if (Boolean.TRUE.equals(p.get("adminFailed")))
                admin().post("/api/v1/paths/" + p.get("dev") + "/reinstate").then().statusCode(200);
        }
    }

    @Test
    @Order(1)
    void overviewShowsOptimalAndTheMapDetail() throws Exception {
        NodeScenario.Result r = scenario("overview").run(SCRIPT_TIMEOUT);
        assertPassed(r);
        assertThat(r.lines()).anyMatch(l -> l.startsWith("STEP overview: " + MAP + " Optimal: 4/4 paths"));
        assertThat(r.lines()).contains("STEP narrow 400 px: no horizontal scrolling");
    }

    @Test
    @Order(2)
    void killedPortalTurnsTheMapDegradedWithoutAReload() throws Exception {
        ArraySimulator sim = SimulatorArray.simulator();
        NodeScenario.Result r = scenario("degraded").on("kill-portal", () -> sim.portal(0).kill()).run(SCRIPT_TIMEOUT);
        assertPassed(r);
        assertThat(r.lines()).anyMatch(l -> l.matches("STEP Degraded after \\d+ ms without a reload: 3/4 paths.*"));
    }

    @Test
    @Order(3)
    void failPathFromThePageChangesTheDmStatusLine() throws Exception {
        long seq = lastSeq();
        NodeScenario.Result r = scenario("failpath").run(SCRIPT_TIMEOUT);
        assertPassed(r);
        // The page's click reached the daemon as an operator fail and reinstate of one path.
        List<Map<String, Object>> events = admin().get("/api/v1/events?after=" + seq + "&limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("");
        assertThat(events).anyMatch(e -> "PATH_FAILED".equals(e.get("kind")));
        assertThat(events).anyMatch(e -> "PATH_REINSTATED".equals(e.get("kind")));
    }

    @Test
    @Order(4)
    void allPortalsDownShowsTheQueueingCountdown() throws Exception {
        ArraySimulator sim = SimulatorArray.simulator();
        NodeScenario.Result r = scenario("queueing").on("kill-all", () -> {
            for (int i = 0; i < sim.portals().size(); i++) sim.portal(i).kill();
        }).run(SCRIPT_TIMEOUT);
        assertPassed(r);
        assertThat(r.lines()).anyMatch(l -> l.matches("STEP Queueing after \\d+ ms: all paths down, queued I/O fails in \\d+ s of 3[01] s"));
    }

    @Test
    @Order(5)
    void unauthenticatedVisitorSeesOnlyTheLogin() throws Exception {
        NodeScenario.Result r = scenario("login").run(SCRIPT_TIMEOUT);
        assertPassed(r);
    }

    @Test
    @Order(5)
    void endedSessionSendsThePageToTheLogin() throws Exception {
        NodeScenario.Result r = scenario("expired").run(SCRIPT_TIMEOUT);
        assertPassed(r);
    }

    @Test
    @Order(6)
    void droppedStreamShowsStaleDataThenReconnects() throws Exception {
        try (CuttableProxy proxy = new CuttableProxy(new InetSocketAddress(base.getHost(), base.getPort()))) {
            NodeScenario.Result r = scenario("stale").env("MPATHGW_URL", "http://127.0.0.1:" + proxy.port())
                    .on("cut", proxy::cut).on("restore", proxy::restore).run(SCRIPT_TIMEOUT);
            assertPassed(r);
            assertThat(r.lines()).anyMatch(l -> l.matches("STEP offline: banner after \\d+ ms: Stale since .*"));
            assertThat(r.lines()).anyMatch(l -> l.startsWith("STEP online: live again"));
        }
    }

    private NodeScenario scenario(String name) throws Exception {
        Path shots = Path.of(System.getProperty("mpathgw.web.screenshots", "target/web-screenshots")).toAbsolutePath();
        Files.createDirectories(shots);
        String url = base.toString().replaceAll("/$", "");
        return new NodeScenario(name).env("MPATHGW_URL", url).env("MPATHGW_USER", Admin.USER)
                .env("MPATHGW_PASSWORD", Admin.PASSWORD).env("MPATHGW_MAP", MAP).env("MPATHGW_MAPS", String.join(" ", MAPS))
                .env("MPATHGW_SECTORS", Long.toString(SECTORS)).env("MPATHGW_SHOTS", shots.toString());
    }

    private static void assertPassed(NodeScenario.Result r) {
        assertThat(r.passed()).as("scenario output:\n" + r.output()).isTrue();
        assertThat(r.lines()).as("page errors").noneMatch(l -> l.startsWith("PAGEERROR"));
    }

    private static long lastSeq() {
        List<Integer> seqs = admin().get("/api/v1/events?after=0&limit=10000").then().statusCode(200).extract()
                .jsonPath().getList("seq", Integer.class);
        return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
    }

    private static void awaitMaps(String what, java.util.function.Predicate<JsonPath> done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonPath m = admin().get("/api/v1/maps").then().extract().jsonPath();
        while (!done.test(m)) {
            assertThat(System.nanoTime()).as(what + "; maps now: " + m.prettify()).isLessThan(end);
            Thread.sleep(100);
            m = admin().get("/api/v1/maps").then().extract().jsonPath();
        }
    }
}
