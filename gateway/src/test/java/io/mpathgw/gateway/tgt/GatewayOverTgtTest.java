package io.mpathgw.gateway.tgt;

import io.mpathgw.gateway.cli.Main;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.testing.Admin;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.mpathgw.gateway.testing.Admin.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The gateway (Quarkus, the real daemon) against Debian's tgtd with three portals and two LUNs ({@link TgtArray}),
 * seen as an admin sees it: over the REST API and through the CLI. Two maps by WWID with one path per portal and
 * the hardware table's IET / VIRTUAL-DISK policy (multibus: one group of three), their dmsetup table and status
 * lines; an operator's fail/reinstate in the status line; tgtd killed (every path failed, readiness down, I/O
 * queued) and restarted (paths back, readiness up, the queued read completes with the data written before).
 *
 * <p>Ordered: the exact status lines are checked first, while every path's fail count is still 0.
 */
@QuarkusTest
@WithTestResource(TgtArray.class)
@EnabledIf(value = TgtArray.AVAILABLE, disabledReason = TgtArray.MISSING)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayOverTgtTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    Gateway gateway;

    @TestHTTPResource("/")
    URL root;

    @AfterEach
    void heal() throws Exception {
        if (!TgtArray.tgt().isRunning()) TgtArray.tgt().restart();
        for (Map<String, Object> p : admin().get("/api/v1/paths").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("")) {
            if (Boolean.TRUE.equals(p.get("adminFailed")))
                admin().post("/api/v1/paths/" + p.get("dev") + "/reinstate").then().statusCode(200);
        }
        awaitMaps("every path of both maps active", m -> m.getList("nrActivePaths", Integer.class).equals(List.of(3, 3)));
    }

    @Test
    @Order(1)
    void twoMapsByWwidOnePathPerPortalWithTheIetRowsPolicy() throws Exception {
        JsonPath maps = awaitMaps("two maps of three active paths",
                m -> m.getList("nrActivePaths", Integer.class).equals(List.of(3, 3)));
        assertThat(maps.<String>getList("name")).containsExactly("mpatha", "mpathb");
        assertThat(maps.<String>getList("vendor")).containsOnly("IET");
        assertThat(maps.<String>getList("product")).containsOnly("VIRTUAL-DISK");
        assertThat(maps.getList("sizeSectors", Long.class)).containsExactly((16L << 20) / 512, (32L << 20) / 512);
        // IET VIRTUAL-DISK row: multibus; the rest is the compiled defaults and our multipath.conf's no_path_retry
        assertThat(maps.getList("groups", List.class)).allMatch(g -> g.size() == 1);
        assertThat(maps.<String>getList("selector")).containsOnly("service-time 0");
        assertThat(maps.<String>getList("hwHandler")).containsOnly("0");
        assertThat(maps.<String>getList("features")).containsOnly("1 queue_if_no_path");
        List<String> wwids = maps.getList("wwid");
        assertThat(wwids.get(0)).isNotEqualTo(wwids.get(1)).startsWith("3");
        for (int i = 0; i < 2; i++)
            admin().get("/api/v1/maps/" + wwids.get(i)).then().statusCode(200).body("name", equalTo(maps.getString("name[" + i + "]")));

        List<String> portals = TgtArray.tgt().portals().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList();
        for (String map : List.of("mpatha", "mpathb")) {
            List<Map<String, Object>> paths = paths(map);
            assertThat(paths).hasSize(3);
            int lun = map.equals("mpatha") ? 1 : 2;
            assertThat(paths).allSatisfy(p -> {
                assertThat(p.get("lun")).isEqualTo(lun);
                assertThat(p.get("checker")).isEqualTo("tur");
                assertThat(p.get("prioritizer")).isEqualTo("const");
                assertThat(p.get("checkerState")).isEqualTo("ready");
                assertThat(p.get("target")).isEqualTo(TgtArray.IQN);
            });
            // one path per portal ("address:port" or "address:port,tpgt")
            assertThat(paths.stream().map(p -> ((String) p.get("portal")).replaceAll(",\\d+$", "")).sorted().toList())
                    .isEqualTo(portals.stream().sorted().toList());
        }

        // the first I/O makes group 1 the current one (status "A"; "E" before, as the kernel's current_pg)
        for (String map : List.of("mpatha", "mpathb")) writeAndRead(map, 0, map.equals("mpatha") ? 0x5a : 0xa5);
        for (String map : List.of("mpatha", "mpathb")) {
            long size = map.equals("mpatha") ? 32768 : 65536;
            List<String> devTs = paths(map).stream().map(p -> (String) p.get("devT")).toList();
            String table = admin().get("/api/v1/maps/" + map + "/table").then().statusCode(200)
                    .contentType(ContentType.TEXT).extract().asString();
            assertThat(table).isEqualTo("0 " + size + " multipath 1 queue_if_no_path 0 1 1 service-time 0 3 2 "
                    + devTs.stream().map(d -> d + " 1 1").collect(Collectors.joining(" ")) + " ");
            String status = admin().get("/api/v1/maps/" + map + "/status").then().statusCode(200).extract().asString();
            assertThat(status).isEqualTo("0 " + size + " multipath 2 0 0 0 1 1 A 0 3 2 "
                    + devTs.stream().map(d -> d + " A 0 0 1 ").collect(Collectors.joining()));
        }
    }

    @Test
    @Order(2)
    void multipathLlListsBothMapsWithThreePathsEach() throws Exception {
        for (String map : List.of("mpatha", "mpathb")) writeAndRead(map, 8, 0x11);      // group 1 current: "active"
        Cli ll = cli("multipath", "-ll");
        assertThat(ll.exit()).as(ll.err()).isZero();
        List<String> lines = ll.out().lines().toList();
        assertThat(lines).as(ll.out()).hasSize(12);
        assertThat(lines.get(0)).matches("mpatha \\(3[0-9a-f]+\\) dm-\\d+ IET,VIRTUAL-DISK");
        assertThat(lines.get(1)).isEqualTo("size=16M features='1 queue_if_no_path' hwhandler='0' wp=rw");
        assertThat(lines.get(6)).matches("mpathb \\(3[0-9a-f]+\\) dm-\\d+ IET,VIRTUAL-DISK");
        assertThat(lines.get(7)).isEqualTo("size=32M features='1 queue_if_no_path' hwhandler='0' wp=rw");
        for (int g : new int[] {2, 8}) {
            assertThat(lines.get(g)).matches("`-\\+- policy='service-time 0' prio=1 status=active");
            for (int i = 1; i <= 3; i++)
                assertThat(lines.get(g + i)).matches("  [|`]- \\d+:0:0:" + (g == 2 ? 1 : 2) + " +sd[a-z]+ +8:\\d+ +active ready running");
        }
    }

    @Test
    @Order(3)
    void anOperatorsFailAndReinstateMoveTheStatusLine() throws Exception {
        Map<String, Object> p = paths("mpathb").get(1);
        String dev = (String) p.get("dev"), devT = (String) p.get("devT");
        admin().post("/api/v1/paths/" + dev + "/fail").then().statusCode(200).body("result", equalTo("ok"));
        String failed = admin().get("/api/v1/maps/mpathb/status").asString();
        assertThat(failed).contains(" " + devT + " F 1 ").doesNotContain(" " + devT + " A ");
        assertThat(admin().get("/api/v1/maps/mpathb").then().extract().jsonPath().getInt("nrActivePaths")).isEqualTo(2);
        assertThat(admin().get("/api/v1/maps/mpatha/status").asString()).doesNotContain(" F ");
        admin().post("/api/v1/paths/" + dev + "/reinstate").then().statusCode(200);
        awaitMaps(dev + " active again", m -> m.getList("nrActivePaths", Integer.class).equals(List.of(3, 3)));
        assertThat(admin().get("/api/v1/maps/mpathb/status").asString()).contains(" " + devT + " A 1 ");
    }

    @Test
    @Order(4)
    void tgtdKilledFailsEveryPathAndQueuesTheReadUntilItIsBack() throws Exception {
        byte[] written = writeAndRead("mpathb", 64, 0x3c);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        TgtArray.tgt().kill();
        awaitPaths("every path failed, checker faulty", ps -> ps.stream()
                .allMatch(p -> p.get("dmState").equals("failed") && p.get("checkerState").equals("faulty")));
        awaitReady(false);
        JsonPath maps = admin().get("/api/v1/maps").then().statusCode(200).extract().jsonPath();
        assertThat(maps.<String>getList("health")).containsOnly("Queueing");
        assertThat(maps.<String>getList("queueing")).noneMatch(q -> q.equals("off") || q.equals("-"));
        for (String map : List.of("mpatha", "mpathb")) {
            String status = admin().get("/api/v1/maps/" + map + "/status").asString();
            for (Map<String, Object> p : paths(map)) assertThat(status).contains(" " + p.get("devT") + " F ");
        }

        CompletableFuture<ByteBuf> held = gateway.blockDevice("mpathb").orElseThrow().read(64, 8);
        Thread.sleep(500);
        assertThat(held).as("a read with every path down queues (no_path_retry " + TgtArray.NO_PATH_RETRY + ")").isNotDone();

        TgtArray.tgt().restart();
        awaitPaths("every path reinstated", ps -> ps.stream()
                .allMatch(p -> p.get("dmState").equals("active") && p.get("checkerState").equals("ready")));
        awaitReady(true);
        ByteBuf back = held.get(10, TimeUnit.SECONDS);
        try {
            assertThat(ByteBufUtil.getBytes(back)).isEqualTo(written);
        } finally {
            back.release();
        }
        admin().get("/api/v1/health").then().statusCode(200).body("ready", equalTo(true)).body("word", equalTo("Optimal"));
    }

    private byte[] writeAndRead(String map, long lba, int seed) throws Exception {
        var dev = gateway.blockDevice(map).orElseThrow();
        byte[] data = new byte[8 * dev.blockSize()];
        Arrays.fill(data, (byte) seed);
        dev.write(lba, Unpooled.wrappedBuffer(data), false).get(10, TimeUnit.SECONDS);
        ByteBuf back = dev.read(lba, 8).get(10, TimeUnit.SECONDS);
        try {
            assertThat(ByteBufUtil.getBytes(back)).isEqualTo(data);
        } finally {
            back.release();
        }
        return data;
    }

    /** The map's paths in H:C:T:L order (host = session, one per portal). */
    private static List<Map<String, Object>> paths(String map) {
        return admin().get("/api/v1/paths").then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("")
                .stream().filter(p -> map.equals(p.get("map")))
                .sorted(Comparator.comparingLong(p -> Arrays.stream(((String) p.get("hcil")).split(":"))
                        .mapToLong(Long::parseLong).reduce(0, (a, b) -> a * 1000 + b)))
                .toList();
    }

    private static JsonPath awaitMaps(String what, Predicate<JsonPath> done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonPath m = admin().get("/api/v1/maps").then().statusCode(200).extract().jsonPath();
        while (!done.test(m)) {
            assertThat(System.nanoTime()).as(what + "; maps now: " + m.prettify()).isLessThan(end);
            Thread.sleep(100);
            m = admin().get("/api/v1/maps").then().statusCode(200).extract().jsonPath();
        }
        return m;
    }

    private static void awaitPaths(String what, Predicate<List<Map<String, Object>>> done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        List<Map<String, Object>> ps = admin().get("/api/v1/paths").then().statusCode(200).extract().jsonPath().getList("");
        while (ps.size() != 6 || !done.test(ps)) {
            assertThat(System.nanoTime()).as(what + "; paths now: " + ps).isLessThan(end);
            Thread.sleep(100);
            ps = admin().get("/api/v1/paths").then().statusCode(200).extract().jsonPath().getList("");
        }
    }

    private static void awaitReady(boolean up) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        int want = up ? 200 : 503;
        int got;
        while ((got = given().get("/q/health/ready").statusCode()) != want) {
            assertThat(System.nanoTime()).as("readiness " + want + ", last " + got + ": "
                    + given().get("/q/health/ready").asString()).isLessThan(end);
            Thread.sleep(100);
        }
        given().get("/q/health/ready").then().body("status", equalTo(up ? "UP" : "DOWN"));
    }

    record Cli(int exit, String out, String err) {
    }

    /** The CLI (Main) against this application as the admin, as {@code ./mpathgw ARGS} would run it. */
    private Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("MPATHGW_URL", root.toString().replaceAll("/$", ""), "MPATHGW_USER", Admin.USER,
                "MPATHGW_PASSWORD", Admin.PASSWORD, "MPATHGW_DATA_DIR", "/nonexistent");
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
