package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.NoPathRetry;
import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathCounters;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.ArraySimulatorBuilder;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daemon against the simulated arrays over loopback: discovery, maps by WWID, faults, checker, failback. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class GatewaySimTest {

    static final MapSettings FAST = MapSettings.DEFAULTS.withTimers(Duration.ofMillis(200), Duration.ofMillis(800),
            Duration.ofMillis(500));

    ArraySimulator sim;
    Gateway gw;

    ArraySimulator sim(Consumer<ArraySimulatorBuilder> config) throws InterruptedException {
        ArraySimulatorBuilder b = ArraySimulator.builder();
        config.accept(b);
        sim = b.build().start();
        return sim;
    }

    Gateway gateway(MapSettings settings) throws InterruptedException {
        GatewaySetup.Builder b = GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .reconnectCap(Duration.ofMillis(200)).discoveryTimeout(Duration.ofSeconds(10))
                .policies(Policies.uniform(settings, true))
                .portal(GatewaySetup.Portal.discover(sim.address(0)));
        gw = Gateway.start(b.build());
        return gw;
    }

    MapView map() {
        assertThat(gw.maps()).as(events()).hasSize(1);
        return gw.maps().get(0);
    }

    String events() {
        StringBuilder b = new StringBuilder();
        for (EventView e : gw.events(0, 10_000))
            b.append('\n').append(e.kind()).append(' ').append(e.path()).append(": ").append(e.message());
        return b.toString();
    }

    static void await(BooleanSupplier condition, Duration max, Runnable onFail) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                onFail.run();
                return;
            }
            Thread.sleep(5);
        }
    }

    void awaitMap(String what, java.util.function.Predicate<MapView> p, Duration max) throws InterruptedException {
        await(() -> !gw.maps().isEmpty() && p.test(gw.maps().get(0)), max,
                () -> assertThat(gw.maps()).as(what + events()).allMatch(p));
    }

    List<String> states(MapView m) {
        return m.groups().stream().flatMap(g -> g.paths().stream())
                .map(p -> p.dev() + " " + p.dmState() + " " + p.checkerState()).toList();
    }

    @Test
    void formsOneMapPerWwidWithGroupsByPrioAndFailsAKilledPortalAtOnce() throws Exception {
        sim(b -> b.personality(Personality.ALUA).portalsPerController(2));
        gateway(FAST.withGrouping("group_by_prio").withHandler("alua", "alua").withFailback("immediate"));
        awaitMap("map with 4 checked paths", m -> m.groups().stream().flatMap(g -> g.paths().stream())
                .allMatch(p -> p.checkerState().equals("ready") && p.priority() >= 0), Duration.ofSeconds(5));
        MapView m = map();
        assertThat(m.name()).isEqualTo("mpatha");
        assertThat(m.wwid()).isEqualTo("3" + sim.lun(0).wwid().substring(1)).startsWith("36");
        assertThat(m.nrPaths()).isEqualTo(4);
        assertThat(m.groups()).hasSize(2);
        assertThat(m.hwHandler()).isEqualTo("1 alua");
        assertThat(m.features()).isEqualTo("1 queue_if_no_path");
        // controller A (TPG 1) owns the LU: its two paths are A/O (50), B's are A/NO or standby
        assertThat(m.groups().get(0).priority()).isEqualTo(50);
        assertThat(m.groups().get(0).paths()).extracting(PathView::aluaTpg).containsOnly(1);
        assertThat(m.groups().get(1).paths()).extracting(PathView::aluaTpg).containsOnly(2);
        assertThat(gw.paths()).extracting(PathView::dev).containsExactly("sda", "sdb", "sdc", "sdd");
        assertThat(gw.paths()).extracting(PathView::devT).containsExactly("8:0", "8:16", "8:32", "8:48");
        assertThat(m.table()).isEqualTo("0 " + m.sizeSectors() + " multipath 1 queue_if_no_path 1 alua 2 1 "
                + "service-time 0 2 2 8:0 1 1 8:16 1 1 service-time 0 2 2 8:32 1 1 8:48 1 1 ");
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        writeAndVerify(dev, 0, 7);

        // a killed portal resets its connections: the session listener fails the path well under 100 ms
        long t0 = System.nanoTime();
        sim.portal(0).kill();
        await(() -> map().groups().get(0).paths().get(0).dmState().equals("failed"), Duration.ofSeconds(2),
                () -> assertThat(states(map())).as(events()).contains("sda failed faulty"));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(tookMs).as("fail after kill" + events()).isLessThan(100);
        writeAndVerify(dev, 64, 8);

        // healing: the session logs in again, the checker reinstates
        sim.portal(0).revive();
        awaitMap("sda reinstated", v -> states(v).contains("sda active ready"), Duration.ofSeconds(5));
        assertThat(gw.events(0, 10_000)).extracting(EventView::kind).contains("MAP_CREATED", "PATH_FAILED",
                "PATH_REINSTATED", "CONNECTION_LOST", "LOGIN");
    }

    @Test
    void blackholedPortalFailsWithinTheNopTimeoutAndTheApiStaysFast() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(2));
        gateway(FAST.withGrouping("multibus"));
        awaitMap("checked", v -> states(v).stream().allMatch(s -> s.endsWith("ready")), Duration.ofSeconds(5));
        assertThat(map().groups()).hasSize(1);
        assertThat(map().groups().get(0).paths()).hasSize(4);
        sim.controller(0).blackhole(true);
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {         // reads never wait on the dead paths
            long s = System.nanoTime();
            gw.maps();
            gw.paths();
            gw.health();
            assertThat((System.nanoTime() - s) / 1_000_000).isLessThan(50);
            Thread.sleep(10);
        }
        awaitMap("two paths failed", v -> v.nrActivePaths() == 2, Duration.ofSeconds(3));
        assertThat((System.nanoTime() - t0) / 1_000_000).as("NOP 300 ms + 300 ms, checker 500 ms").isLessThan(2500);
        assertThat(gw.health().word()).isEqualTo("Degraded");
        sim.controller(0).blackhole(false);
        awaitMap("healed", v -> v.nrActivePaths() == 4, Duration.ofSeconds(5));
        assertThat(gw.health().word()).isEqualTo("Optimal");
        assertThat(gw.health().ready()).isTrue();
    }

    @Test
    void operatorActionsAndErrors() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        gateway(FAST);
        awaitMap("checked", v -> states(v).stream().allMatch(s -> s.endsWith("ready")), Duration.ofSeconds(5));
        assertThat(map().groups()).hasSize(2);              // failover: one path per group
        gw.failPath("sdb").toCompletableFuture().get(2, TimeUnit.SECONDS);
        Thread.sleep(600);                                   // the checker leaves an operator's failure alone
        assertThat(states(map())).contains("sdb failed ready");
        assertThat(gw.paths()).filteredOn(p -> p.dev().equals("sdb")).extracting(PathView::adminFailed)
                .containsExactly(true);
        gw.reinstatePath("8:16").toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(states(map())).contains("sdb active ready");
        gw.switchGroup("mpatha", 2).toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(map().table()).contains(" 2 2 service-time");
        // a plain dm message fails the path in the kernel; the checker finds it up and reinstates it
        // (multipathd's sync_map_state), unlike multipathd's own "fail path"
        assertThat(gw.message("mpatha", 0, "fail_path sda").toCompletableFuture().get(2, TimeUnit.SECONDS)).isEmpty();
        awaitMap("sda back", v -> states(v).contains("sda active ready"), Duration.ofSeconds(3));
        assertThat(gw.events(0, 10_000)).filteredOn(e -> e.kind().equals("PATH_FAILED") && e.path().equals("sda"))
                .extracting(EventView::message).anyMatch(t -> t.startsWith("message fail_path"));

        assertThat(failure(() -> gw.failPath("sdz").toCompletableFuture().get()))
                .hasMessage("no path named 'sdz' (expected: a dev such as sdb or its dev_t such as 8:16)")
                .extracting(e -> ((ControlException) e).httpStatus()).isEqualTo(404);
        assertThat(failure(() -> gw.switchGroup("mpathz", 1).toCompletableFuture().get()))
                .hasMessage("no map named 'mpathz'");
        ControlException bad = (ControlException) failure(() -> gw.switchGroup("mpatha", 3).toCompletableFuture().get());
        assertThat(bad.httpStatus()).isEqualTo(400);
        assertThat(bad.getMessage()).startsWith("mpatha: device-mapper: multipath");
        assertThat(failure(() -> gw.message("mpatha", 0, "fail_path 99:99").toCompletableFuture().get()))
                .hasMessage("mpatha: device-mapper: multipath: message: error getting device 99:99");
    }

    @Test
    void noPathRetryCountsDownThenFailsQueuedIo() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        gateway(FAST.withGrouping("multibus").withNoPathRetry(NoPathRetry.checks(3)));
        awaitMap("checked", v -> states(v).stream().allMatch(s -> s.endsWith("ready")), Duration.ofSeconds(5));
        assertThat(map().queueing()).isEqualTo("3 chk");
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        sim.controller(0).kill();
        sim.controller(1).kill();
        awaitMap("no path", v -> v.nrActivePaths() == 0, Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        var read = dev.read(0, 1);
        assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // 3 checks of 200 ms plus the loop's tick of 1 s
        assertThat(ms).as(events()).isBetween(1300L, 2600L);
        assertThat(map().counters().queueTimeouts()).isEqualTo(1);
        assertThat(gw.events(0, 10_000)).extracting(EventView::kind).contains("APD", "QUEUEING_OFF");
    }

    @Test
    void pdlStopsQueueingAtOnce() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        gateway(FAST.withGrouping("multibus").withNoPathRetry(NoPathRetry.QUEUE));
        awaitMap("checked", v -> states(v).stream().allMatch(s -> s.endsWith("ready")), Duration.ofSeconds(5));
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        sim.lun(0).pdl(true);
        var read = dev.read(0, 1);
        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        awaitMap("PDL", v -> v.health().equals("Lost"), Duration.ofSeconds(3));
        assertThat(map().queueing()).isEqualTo("off");
        assertThat(gw.events(0, 10_000)).extracting(EventView::kind).contains("PDL");
    }

    @Test
    void aluaControllerFailoverRegroupsAndFailsBack() throws Exception {
        sim(b -> b.personality(Personality.ALUA).portalsPerController(1));
        gateway(FAST.withGrouping("group_by_prio").withHandler("alua", "alua").withFailback("immediate"));
        awaitMap("checked", v -> states(v).stream().allMatch(s -> s.endsWith("ready")), Duration.ofSeconds(5));
        assertThat(map().groups().get(0).paths()).extracting(PathView::dev).containsExactly("sda");
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        writeAndVerify(dev, 0, 1);
        // controller A's port group becomes unavailable, B's active/optimized: A's path is down (02/04/0C) and
        // keeps its last priority (50, multipathd refreshes only up paths); B's rises from 10 to 50, so
        // group_by_prio puts both in one group: multipathd reloads, A's path loaded failed
        sim.lun(0).aluaState(0, AluaState.UNAVAILABLE, Duration.ZERO);
        sim.lun(0).aluaState(1, AluaState.ACTIVE_OPTIMIZED, Duration.ZERO);
        awaitMap("one group", v -> v.groups().size() == 1, Duration.ofSeconds(5));
        assertThat(map().table()).endsWith(" 1 alua 1 1 service-time 0 2 2 8:0 1 1 8:16 1 1 ");
        assertThat(states(map())).containsExactly("sda failed faulty", "sdb active ready");
        writeAndVerify(dev, 64, 2);
        assertThat(map().groups().get(0).status()).as(events()).isEqualTo("active");
        // A comes back active/optimized: failback immediate puts it first again
        sim.lun(0).aluaState(1, AluaState.ACTIVE_NON_OPTIMIZED, Duration.ZERO);
        sim.lun(0).aluaState(0, AluaState.ACTIVE_OPTIMIZED, Duration.ZERO);
        awaitMap("A's group first", v -> v.groups().size() == 2 && v.groups().get(0).paths().get(0).dev().equals("sda")
                && v.nrActivePaths() == 2, Duration.ofSeconds(5));
        assertThat(map().groups()).extracting(g -> g.priority()).containsExactly(50, 10);
        writeAndVerify(dev, 128, 3);
        assertThat(map().counters().mapLoads()).isGreaterThanOrEqualTo(3);
        assertThat(gw.events(0, 10_000)).extracting(EventView::kind).contains("PRIORITY", "MAP_RELOADED");
    }

    @Test
    void aSessionThatLogsInLateJoinsItsMapByAReload() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        sim.controller(1).refuseLogin(true);
        gateway(FAST.withGrouping("multibus"));
        awaitMap("one path", v -> v.nrPaths() == 1 && v.nrActivePaths() == 1, Duration.ofSeconds(5));
        assertThat(gw.sessions()).extracting(v -> v.state()).contains("LOGGED_IN");
        sim.controller(1).refuseLogin(false);
        gw.retryLogin(null).toCompletableFuture().get(1, TimeUnit.SECONDS);
        awaitMap("two paths", v -> v.nrPaths() == 2 && v.nrActivePaths() == 2, Duration.ofSeconds(5));
        assertThat(map().table()).contains("service-time 0 2 2 8:0 1 1 8:16 1 1");
        assertThat(map().counters().mapLoads()).isEqualTo(2);
        writeAndVerify(gw.blockDevice("mpatha").orElseThrow(), 0, 3);
    }

    @Test
    void twelveBlackholedPathsNeverSlowTheApi() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(2).lun(0, 8 << 20).lun(1, 8 << 20)
                .lun(2, 8 << 20));
        gateway(FAST.withGrouping("multibus"));
        await(() -> gw.maps().size() == 3 && gw.maps().stream().allMatch(v -> v.nrActivePaths() == 4),
                Duration.ofSeconds(5), () -> assertThat(gw.maps()).as(events()).hasSize(3));
        assertThat(gw.paths()).hasSize(12);
        assertThat(gw.maps()).extracting(MapView::name).containsExactly("mpatha", "mpathb", "mpathc");
        sim.controller(0).blackhole(true);
        sim.controller(1).blackhole(true);
        long worst = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < end) {
            long s = System.nanoTime();
            gw.maps();
            gw.paths();
            gw.sessions();
            gw.health();
            gw.events(0, 100);
            gw.failPath("sdl").toCompletableFuture().get(1, TimeUnit.SECONDS);    // an action hops and returns
            worst = Math.max(worst, System.nanoTime() - s);
            Thread.sleep(20);
        }
        assertThat(worst / 1_000_000).as("slowest API round, ms").isLessThan(100);
        await(() -> gw.maps().stream().allMatch(v -> v.nrActivePaths() == 0), Duration.ofSeconds(3),
                () -> assertThat(gw.maps()).extracting(MapView::nrActivePaths).containsOnly(0));
        assertThat(gw.health().ready()).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "rdac, rdac, rdac", "emc, emc_clariion, emc", "hp_sw, hp_sw, hp_sw"})
    void ownedPersonalitiesGroupByPrioWithTheirHandler(String handler, String checker, String prio) throws Exception {
        sim(b -> b.personality(Personality.of(handler).orElseThrow()).portalsPerController(1));
        gateway(FAST.withGrouping("group_by_prio").withHandler("", prio).withChecker(checker)
                .withFailback("immediate"));
        awaitMap("two groups", v -> v.groups().size() == 2, Duration.ofSeconds(5));
        MapView m = map();
        assertThat(m.hwHandler()).isEqualTo("1 " + handler);
        assertThat(m.groups().get(0).priority()).as(events()).isGreaterThan(m.groups().get(1).priority());
        assertThat(m.groups().get(0).paths().get(0).dev()).isEqualTo("sda");   // controller A owns the LU
        writeAndVerify(gw.blockDevice("mpatha").orElseThrow(), 0, 4);
        // the owner dies: I/O moves to B after pg_init
        sim.controller(0).kill();
        writeAndVerify(gw.blockDevice("mpatha").orElseThrow(), 64, 5);
        assertThat(gw.events(0, 10_000)).extracting(EventView::kind).contains("PG_INIT");
    }

    @Test
    void aPathWhoseWwidChangesIsFailedAndRemoved() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        gateway(FAST.withGrouping("multibus"));
        awaitMap("checked", v -> v.nrActivePaths() == 2, Duration.ofSeconds(5));
        // portal 0's port now answers for another array whose LU has another WWID (same target name)
        var port0 = sim.address(0);
        sim.portal(0).kill();
        ArraySimulator other = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).controllers(1)
                .portalsPerController(1).firstPort(port0.getPort())
                .lun(io.mpathgw.iscsi.sim.LunSpec.of(0, 64 << 20).withNaa("60014050123456789abcdef012345678"))
                .build().start();
        try {
            awaitMap("sda removed", v -> v.nrPaths() == 1, Duration.ofSeconds(5));
            assertThat(map().table()).endsWith(" 0 1 1 service-time 0 1 2 8:16 1 1 ");
            assertThat(gw.paths()).filteredOn(p -> p.dev().equals("sda")).singleElement()
                    .satisfies(p -> assertThat(p.dmState()).isEqualTo("undef"))
                    .satisfies(p -> assertThat(p.lastCause()).startsWith("WWID changed from " + map().wwid()
                            + " to 360014050123456789abcdef012345678"));
            assertThat(map().nrActivePaths()).isEqualTo(1);
            assertThat(gw.events(0, 10_000)).extracting(EventView::kind).contains("PATH_REMOVED");
            writeAndVerify(gw.blockDevice("mpatha").orElseThrow(), 0, 6);     // only through sdb, the same LU
            assertThat(other.lun(0).commands()).as("the other LU got only the scan").isLessThan(10);
        } finally {
            other.close();
        }
    }

    @Test
    void reconfigureAppliesNewSettingsAndABadFileChangesNothing() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        java.util.concurrent.atomic.AtomicReference<Object> next = new java.util.concurrent.atomic.AtomicReference<>();
        GatewaySetup.Builder b = GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .policies(Policies.uniform(FAST, true)).portal(GatewaySetup.Portal.discover(sim.address(0)))
                .policiesReload(() -> {
                    Object o = next.get();
                    if (o instanceof Exception e) throw e;
                    return (Policies) o;
                });
        gw = Gateway.start(b.build());
        awaitMap("checked", v -> v.nrActivePaths() == 2, Duration.ofSeconds(5));
        String table = map().table();
        next.set(new IllegalArgumentException("/etc/multipath.conf line 3, invalid value for no_path_retry: \"x\""));
        assertThat(failure(() -> gw.reconfigure().toCompletableFuture().get(2, TimeUnit.SECONDS)))
                .hasMessage("/etc/multipath.conf line 3, invalid value for no_path_retry: \"x\"")
                .extracting(e -> ((ControlException) e).httpStatus()).isEqualTo(400);
        assertThat(map().table()).isEqualTo(table);
        next.set(Policies.uniform(FAST.withGrouping("multibus").withFailback("immediate")
                .withNoPathRetry(NoPathRetry.QUEUE), true));
        gw.reconfigure().toCompletableFuture().get(5, TimeUnit.SECONDS);
        awaitMap("reloaded", v -> v.groups().size() == 1, Duration.ofSeconds(3));
        assertThat(map().failback()).isEqualTo("immediate");
        // the reload brought no_path_retry queue to the engine too, not only to the table's features
        assertThat(map().queueing()).isEqualTo("on");
        assertThat(map().noPathRetry()).isEqualTo("queue");
        assertThat(map().table()).endsWith(" 1 queue_if_no_path 0 1 1 service-time 0 2 2 8:0 1 1 8:16 1 1 ");
        assertThat(gw.events(0, 10_000)).extracting(EventView::kind)
                .contains("CONFIG_REJECTED", "CONFIG_RELOADED", "MAP_RECONFIGURED", "MAP_RELOADED");
    }

    @Test
    void sessionsAndPathsShowTheirPortalGroupTagAlsoForAPortalGivenWithItsTarget() throws Exception {
        sim(b -> b.personality(Personality.ALUA).portalsPerController(1));
        // portal 1 is controller B's: TPGT 2, so a default of 1 could not pass
        String expected = sim.address(1).getHostString() + ":" + sim.address(1).getPort() + ","
                + sim.portal(1).config().portalGroupTag();
        assertThat(sim.portal(1).config().portalGroupTag()).isEqualTo(2);
        gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .discoveryTimeout(Duration.ofSeconds(10)).policies(Policies.uniform(FAST, true))
                .portal(GatewaySetup.Portal.target(sim.address(1), sim.targetName(1))).build());
        await(() -> gw.sessions().size() == 1 && gw.sessions().get(0).portal().equals(expected),
                Duration.ofSeconds(3), () -> assertThat(gw.sessions()).extracting(s -> s.portal())
                        .as("a portal given with its target: a discovery session to it gives the tag")
                        .containsExactly(expected));
        await(() -> !gw.paths().isEmpty() && gw.paths().get(0).portal().equals(expected), Duration.ofSeconds(3),
                () -> assertThat(gw.paths()).extracting(PathView::portal).containsOnly(expected));
        assertThat(gw.paths()).extracting(PathView::portal).containsOnly(expected);
    }

    @Test
    void discoveredSessionsCarryTheTagSendTargetsGave() throws Exception {
        sim(b -> b.personality(Personality.ALUA).portalsPerController(1));
        gateway(FAST);
        awaitMap("two paths", v -> v.nrPaths() == 2, Duration.ofSeconds(5));
        List<String> expected = List.of(0, 1).stream().map(i -> sim.address(i).getHostString() + ":"
                + sim.address(i).getPort() + "," + sim.portal(i).config().portalGroupTag()).toList();
        assertThat(gw.sessions()).extracting(s -> s.portal()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void pathCountersTellTransportErrorsFromScsiErrors() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        // default 5 s polling: no checker TUR takes the injected sense before the reads do
        gateway(MapSettings.DEFAULTS.withGrouping("failover").withNoPathRetry(NoPathRetry.FAIL));
        awaitMap("checked", v -> v.nrActivePaths() == 2, Duration.ofSeconds(5));
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        // NOT READY 04/03: the path fails (a path error with an answer), the read goes to the other path
        sim.lun(0).injectSense(new Sense(0x70, Sense.NOT_READY, 0x04, 0x03, 0), 1);
        dev.read(0, 1).get(10, TimeUnit.SECONDS).release();
        awaitMap("the checker reinstates it", v -> v.nrActivePaths() == 2, Duration.ofSeconds(3));
        // MEDIUM ERROR: the LU's own error, back to the client
        sim.lun(0).injectSense(new Sense(0x70, Sense.MEDIUM_ERROR, 0x11, 0x00, 0), 1);
        assertThatThrownBy(() -> dev.read(8, 1).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(total(PathCounters::transportErrors)).isZero();
        // killed portals drop the connection under a read in flight: a transport error (two if the retry was sent
        // down the other path before its session listener failed it)
        sim.lun(0).latency(Duration.ofMillis(300));
        var slow = dev.read(16, 1);
        Thread.sleep(100);
        sim.controller(0).kill();
        sim.controller(1).kill();
        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        await(() -> total(PathCounters::transportErrors) >= 1,
                Duration.ofSeconds(3), () -> { });
        assertThat(total(PathCounters::scsiErrors)).as("NOT READY + MEDIUM ERROR").isEqualTo(2);
        assertThat(total(PathCounters::transportErrors)).as("the killed portals' read" + events()).isBetween(1L, 2L);
        // the medium error and the read with no path left reached the client; the map failed once (no_path_retry
        // fail, last path lost)
        assertThat(map().counters().errors()).isEqualTo(2);
        assertThat(map().counters().mapFailures()).isEqualTo(1);
    }

    long total(java.util.function.ToLongFunction<PathCounters> f) {
        return gw.paths().stream().mapToLong(p -> f.applyAsLong(p.counters())).sum();
    }

    @Test
    void closeFailsQueuedIoWithinItsBound() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        gateway(FAST.withGrouping("multibus").withNoPathRetry(NoPathRetry.QUEUE));
        awaitMap("checked", v -> v.nrActivePaths() == 2, Duration.ofSeconds(5));
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        sim.controller(0).kill();
        sim.controller(1).kill();
        awaitMap("queueing", v -> v.nrActivePaths() == 0, Duration.ofSeconds(2));
        var held = dev.read(0, 1);
        Thread.sleep(200);
        assertThat(held).isNotDone();
        assertThat(map().health()).isEqualTo("Queueing");
        long t0 = System.nanoTime();
        gw.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("close, ms").isLessThan(5000);
        assertThatThrownBy(() -> held.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(gw.sessions()).extracting(v -> v.state()).allMatch(s -> s.equals("CLOSED") || s.equals("FAILED"));
    }

    @Test
    void deferredFailbackWaitsItsSecondsThenSwitches() throws Exception {
        sim(b -> b.personality(Personality.ACTIVE_ACTIVE).portalsPerController(1));
        gateway(FAST.withFailback("2"));
        awaitMap("checked", v -> v.nrActivePaths() == 2, Duration.ofSeconds(5));
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        writeAndVerify(dev, 0, 1);
        sim.controller(0).kill();
        writeAndVerify(dev, 8, 2);                          // I/O moved to group 2
        assertThat(map().groups().get(1).status()).isEqualTo("active");
        sim.controller(0).revive();
        awaitMap("sda back", v -> v.nrActivePaths() == 2, Duration.ofSeconds(5));
        long back = System.nanoTime();
        await(() -> gw.events(0, 10_000).stream().anyMatch(e -> e.kind().equals("GROUP_SWITCH")
                && e.message().startsWith("switch_group 1")), Duration.ofSeconds(6), () -> { throw new AssertionError(
                "no deferred switch" + events()); });
        long ms = (System.nanoTime() - back) / 1_000_000;
        assertThat(ms).as("failback 2: 3 loop ticks of 1 s after the path came up" + events()).isBetween(1500L, 4500L);
        writeAndVerify(dev, 16, 3);
        assertThat(map().groups().get(0).status()).isEqualTo("active");
    }

    static Throwable failure(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            Throwable c = t;
            while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null)
                c = c.getCause();
            return c;
        }
        throw new AssertionError("expected a failure");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static void writeAndVerify(MultipathBlockDevice dev, long lba, int seed) throws Exception {
        byte[] data = new byte[8 * dev.blockSize()];
        Arrays.fill(data, (byte) seed);
        dev.write(lba, Unpooled.wrappedBuffer(data), false).get(10, TimeUnit.SECONDS);
        ByteBuf back = dev.read(lba, 8).get(10, TimeUnit.SECONDS);
        try {
            assertThat(ByteBufUtil.getBytes(back)).isEqualTo(data);
        } finally {
            back.release();
        }
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (sim != null) sim.close();
    }
}
