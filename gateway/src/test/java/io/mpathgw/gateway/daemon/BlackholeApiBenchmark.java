package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.model.MapView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.ArraySimulatorBuilder;
import io.mpathgw.iscsi.sim.Personality;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: how long the daemon's API calls take while 100 paths are black-holed (issue 5: p99 under 50 ms). The
 * simulated array has 4 portals and 25 LUNs (100 paths, 25 maps); after the maps form, every portal is black-holed
 * and for {@code seconds} the calls a REST request makes (maps, paths, sessions, health, events, one map, and a
 * fail path / reinstate path action) are timed one round after another.
 *
 * <p>Run: {@code java -cp <gateway test classpath> io.mpathgw.gateway.daemon.BlackholeApiBenchmark [seconds]}.
 */
public final class BlackholeApiBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        ArraySimulatorBuilder b = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).portalsPerController(2);
        for (int l = 0; l < 25; l++) b.lun(l, 1 << 20);
        try (ArraySimulator sim = b.build().start();
             Gateway gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofSeconds(1), Duration.ofSeconds(1))
                     .commandTimeout(Duration.ofSeconds(2)).discoveryTimeout(Duration.ofSeconds(30))
                     .policies(Policies.uniform(MapSettings.DEFAULTS.withGrouping("multibus")
                             .withTimers(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2)), true))
                     .portal(GatewaySetup.Portal.discover(sim.address(0))).build())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (gw.maps().size() < 25 || gw.maps().stream().anyMatch(v -> v.nrActivePaths() < 4)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("maps not formed: " + gw.maps().size());
                Thread.sleep(50);
            }
            System.out.println("maps " + gw.maps().size() + ", paths " + gw.paths().size());
            sim.controllers().forEach(c -> c.blackhole(true));
            long[] rounds = new long[200_000];
            int n = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end && n < rounds.length) {
                long s = System.nanoTime();
                gw.maps();
                gw.paths();
                gw.sessions();
                gw.health();
                gw.events(0, 100);
                gw.map("mpathm");
                if (n % 10 == 0) {
                    gw.failPath("sdb").toCompletableFuture().get(1, TimeUnit.SECONDS);
                    gw.reinstatePath("sdb").toCompletableFuture().get(1, TimeUnit.SECONDS);
                }
                rounds[n++] = System.nanoTime() - s;
                Thread.sleep(2);
            }
            long[] r = Arrays.copyOf(rounds, n);
            Arrays.sort(r);
            long down = gw.maps().stream().mapToInt(MapView::nrActivePaths).filter(a -> a == 0).count();
            System.out.printf("%d rounds while 100 paths black-holed (%d/25 maps without a path at the end): "
                            + "p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", n, down, r[n / 2] / 1e6,
                    r[(int) (n * 0.99)] / 1e6, r[n - 1] / 1e6);
        }
    }
}
