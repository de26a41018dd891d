package io.mpathgw.gateway.failover;

import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PriorityGroup;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.gateway.nbd.NbdServer;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.AluaState;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What every failover scenario runs on: the simulated dual-controller ALUA array (2 controllers x 2 portals, one
 * LUN, implicit ALUA), optionally a second simulated ALUA array (2 x 1 portals, its own LUN, so a second map), the
 * daemon logged into every portal by name (sdN = portal N in order), and the NBD server exporting each map under
 * its name.
 */
final class FailoverRig implements AutoCloseable {

    static final long LUN_BYTES = 64L << 20;

    final ArraySimulator sim;
    final ArraySimulator other;
    final Gateway gw;
    final NbdServer nbd;
    final EventLoopGroup checkLoops = EventLoops.create(1);

    private FailoverRig(ArraySimulator sim, ArraySimulator other, Gateway gw, NbdServer nbd) {
        this.sim = sim;
        this.other = other;
        this.gw = gw;
        this.nbd = nbd;
    }

    /** The timers of the gateway's sessions; {@code policies} for multipath.conf. */
    static FailoverRig start(GatewaySetup.Builder timers, Policies policies, boolean secondArray) throws Exception {
        return start(timers, policies, 2, secondArray);
    }

    /** As above with {@code perController} portals per controller (1: two single-path groups). */
    static FailoverRig start(GatewaySetup.Builder timers, Policies policies, int perController, boolean secondArray)
            throws Exception {
        ArraySimulator sim = null, other = null;
        Gateway gw = null;
        try {
            // implicit ALUA only (TPGS 1): the array alone decides who owns the LU, as on a controller failover;
            // with explicit ALUA the alua handler's pg_init would STPG a failed-over LU back to A's group
            sim = ArraySimulator.builder().personality(Personality.ALUA).controllers(2)
                    .portalsPerController(perController).tpgs(1).iqn("iqn.2026-11.io.mpathgw.failover:array1")
                    .lun(LunSpec.of(0, LUN_BYTES)).build().start();
            int portals = 2 * perController;
            for (int i = 0; i < portals; i++)
                timers.portal(GatewaySetup.Portal.target(sim.address(i), sim.targetName(i)));
            if (secondArray) {
                other = ArraySimulator.builder().personality(Personality.ALUA).controllers(2).portalsPerController(1)
                        .iqn("iqn.2026-11.io.mpathgw.failover:array2").lun(LunSpec.of(0, LUN_BYTES)).build().start();
                for (int i = 0; i < 2; i++)
                    timers.portal(GatewaySetup.Portal.target(other.address(i), other.targetName(i)));
            }
            gw = Gateway.start(timers.policies(policies).build());
            NbdServer nbd = NbdServer.builder().listen("127.0.0.1:0").start();
            FailoverRig rig = new FailoverRig(sim, other, gw, nbd);
            rig.awaitMap(rig.mapOf(sim), v -> v.nrActivePaths() == portals && v.groups().size() == 2,
                    Duration.ofSeconds(15));
            if (other != null) rig.awaitMap(rig.mapOf(other), v -> v.nrActivePaths() == 2, Duration.ofSeconds(15));
            for (String m : gw.mapNames()) nbd.addExport(m, "", gw.blockDevice(m).orElseThrow());
            return rig;
        } catch (Exception | Error e) {
            if (gw != null) gw.close();
            if (sim != null) sim.close();
            if (other != null) other.close();
            throw e;
        }
    }

    /** The quick timers of the tests: NOP 300/300 ms, relogin at most every 200 ms. */
    static GatewaySetup.Builder fastTimers() {
        return GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(3))
                .reconnectCap(Duration.ofMillis(200)).discoveryTimeout(Duration.ofSeconds(10));
    }

    /** group_by_prio over ALUA, service-time, failback immediate, checks every 200 ms (max 800), this no_path_retry. */
    static MapSettings fastAlua(io.mpathgw.dm.engine.NoPathRetry noPathRetry) {
        return MapSettings.DEFAULTS.withTimers(Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofMillis(500))
                .withGrouping("group_by_prio").withHandler("alua", "alua").withFailback("immediate")
                .withNoPathRetry(noPathRetry);
    }

    /** The name of the map over {@code array}'s LUN 0. */
    String mapOf(ArraySimulator array) throws InterruptedException {
        String wwid = array.lun(0).wwid();
        await(() -> gw.maps().stream().anyMatch(v -> v.wwid().equals(wwid)), Duration.ofSeconds(15),
                "a map with WWID " + wwid);
        return gw.maps().stream().filter(v -> v.wwid().equals(wwid)).findFirst().orElseThrow().name();
    }

    MapView view(String map) {
        return gw.map(map).orElseThrow(() -> new AssertionError("no map " + map + events()));
    }

    void awaitMap(String map, Predicate<MapView> p, Duration max) throws InterruptedException {
        await(() -> gw.map(map).map(p::test).orElse(false), max, "map " + map + " " + p);
    }

    void await(BooleanSupplier c, Duration max, String what) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end)
                throw new AssertionError("waited " + max + " for " + what + "; maps " + gw.maps() + events());
            Thread.sleep(5);
        }
    }

    /** The dev_t of the path through portal {@code index} of {@code array}. */
    String devT(ArraySimulator array, int index) {
        int port = array.address(index).getPort();
        return gw.paths().stream().filter(p -> p.portal().endsWith(":" + port) || p.portal().contains(":" + port + ","))
                .map(PathView::devT).findFirst().orElseThrow(() -> new AssertionError("no path to port " + port));
    }

    /** Requests that ended on path {@code devT} (read on the map's thread). */
    long completedOn(String map, String devT) throws Exception {
        MultipathDevice d = gw.blockDevice(map).orElseThrow().map();
        CompletableFuture<Long> f = new CompletableFuture<>();
        d.thread().execute(() -> {
            long n = -1;
            for (PriorityGroup g : d.groups())
                for (Path p : g.paths()) if (p.name().equals(devT)) n = p.stats().completed();
            f.complete(n);
        });
        return f.get(2, TimeUnit.SECONDS);
    }

    /** A controller whose port group serves I/O for the LUN now (active/optimized first), for the read-back. */
    static int servingController(ArraySimulator array) {
        for (AluaState want : new AluaState[]{AluaState.ACTIVE_OPTIMIZED, AluaState.ACTIVE_NON_OPTIMIZED})
            for (int c = 0; c < array.controllers().size(); c++)
                if (array.lun(0).aluaState(c) == want) return c;
        throw new AssertionError("no controller serves the LU: " + array.describe());
    }

    StampCheck.Result check(StampStream s, ArraySimulator array) throws Exception {
        int c = servingController(array);
        return StampCheck.check(s, array.controller(c).portals().get(0).address(), array.controller(c).targetName(),
                checkLoops);
    }

    String events() {
        StringBuilder b = new StringBuilder();
        List<EventView> all = new ArrayList<>(gw.events(0, 10_000));
        for (EventView e : all.subList(Math.max(0, all.size() - 60), all.size()))
            b.append('\n').append(e.time(), Math.max(0, e.time().length() - 13), e.time().length()).append(' ')
                    .append(e.kind()).append(' ').append(e.map()).append(' ').append(e.path()).append(": ")
                    .append(e.message());
        return b.toString();
    }

    @Override
    public void close() {
        nbd.close();
        gw.close();
        sim.close();
        if (other != null) other.close();
        checkLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
