package io.mpathgw.gateway.demo;

import io.mpathgw.gateway.export.ExportLifecycle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.gateway.testing.Admin.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Demo mode boots the whole service on its own simulated array: mpathgw.demo=true starts the array before the
 * daemon reads its configuration, the daemon forms the map with two ALUA groups, the exports offer it (nbdinfo
 * reads it), and the array's faults are reachable over /api/v1/demo/sim.
 */
@QuarkusTest
@TestProfile(DemoModeTest.Demo.class)
class DemoModeTest {

    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mpathgw.demo", "true", "mpathgw.demo.lun-size", "64M",
                    "mpathgw.data-dir", "target/mpathgw-demo-test");
        }
    }

    @Inject
    ExportLifecycle lifecycle;

    static JsonPath awaitMap(String what, java.util.function.Predicate<JsonPath> done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            var r = admin().get("/api/v1/maps/mpatha");
            if (r.statusCode() == 200 && done.test(r.jsonPath())) return r.jsonPath();
            assertThat(System.nanoTime()).as(what + "; now: " + r.asString()).isLessThan(end);
            Thread.sleep(100);
        }
    }

    @Test
    void bootsTheArrayFormsTheMapWithTwoGroupsAndExportsIt() throws Exception {
        DemoArray demo = DemoArray.current().orElseThrow();
        assertThat(demo.simulator().portals()).hasSize(4);
        assertThat(Files.readString(demo.multipathConf())).contains("group_by_prio").contains("service-time 0");
        JsonPath m = awaitMap("map of 4 active paths", j -> j.getInt("nrActivePaths") == 4);
        assertThat(m.getList("groups")).hasSize(2);
        assertThat(m.getString("selector")).startsWith("service-time");
        assertThat(m.getString("wwid")).isEqualTo("3" + demo.simulator().lun(0).wwid().substring(1));

        var exports = lifecycle.exports().orElseThrow();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!exports.exported().contains("mpatha") && System.nanoTime() < end) Thread.sleep(50);
        assertThat(exports.exported()).containsExactly("mpatha");
        assertThat(exports.nbdPort()).isNotEqualTo(10809).isPositive();      // test mode: ephemeral ports
        assumeTrue(has("nbdinfo"), "nbdinfo missing: apt-get install libnbd-bin (or scripts/install-test-peers.sh)");
        Process p = new ProcessBuilder("nbdinfo", "nbd://127.0.0.1:" + exports.nbdPort() + "/mpatha")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(info).isZero();
        assertThat(info).contains("export=\"mpatha\"").contains("export-size: 67108864");
    }

    @Test
    void faultsOfTheDemoArrayAreReachableOverRest() throws Exception {
        awaitMap("map of 4 active paths", j -> j.getInt("nrActivePaths") == 4);
        String status = admin().contentType("text/plain").body("status").post("/api/v1/demo/sim")
                .then().statusCode(200).extract().asString();
        assertThat(status).contains("127.0.0.1");
        admin().contentType("text/plain").body("kill 3").post("/api/v1/demo/sim").then().statusCode(200);
        awaitMap("a path failed after kill 3", j -> j.getInt("nrActivePaths") == 3);
        admin().contentType("text/plain").body("revive 3").post("/api/v1/demo/sim").then().statusCode(200);
        awaitMap("every path back after revive 3", j -> j.getInt("nrActivePaths") == 4);
        String bad = admin().contentType("text/plain").body("explode 1").post("/api/v1/demo/sim")
                .then().statusCode(400).extract().asString();
        assertThat(bad).contains("command: 'explode'").contains("expected");
        io.restassured.RestAssured.given().contentType("text/plain").body("kill 0").post("/api/v1/demo/sim")
                .then().statusCode(401);
    }

    static boolean has(String tool) {
        return io.mpathgw.gateway.testing.Tools.onPath(tool);
    }
}
