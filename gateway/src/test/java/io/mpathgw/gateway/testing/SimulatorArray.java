package io.mpathgw.gateway.testing;

import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A simulated dual-controller ALUA array for {@code @QuarkusTest} classes: starts an {@link ArraySimulator} (two
 * controllers, {@code portals} portals in all on 127.0.0.1 ephemeral ports, one LUN) before Quarkus boots, writes a
 * gateway.conf naming its portals (short iSCSI timers, so faults show within seconds) and a multipath.conf (polling
 * every second) into a temp dir, and hands {@code mpathgw.config}, {@code mpathgw.multipath-conf} and
 * {@code mpathgw.data-dir} to the application. Use it as
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(value = SimulatorArray.class, initArgs = &#64;ResourceArg(name = "portals", value = "4"))
 * class MyTest { ... SimulatorArray.simulator().portal(0).kill(); ... }
 * </pre>
 * Init args: {@code portals} (2 or 4, default 4, split evenly over the two controllers), {@code luns} (1..64 LUNs of
 * 1 MiB, default 1 of 16 MiB: one map), {@code no_path_retry} (multipath.conf value, default 5), {@code multipath.conf}
 * (extra lines for its defaults section).
 *
 * <p>{@link #simulator()} gives the running simulator for fault injection (portal kill/blackhole/revive, controller
 * failover); {@link #reviveAll()} undoes every portal fault between tests.
 */
public class SimulatorArray implements QuarkusTestResourceLifecycleManager {

    private static volatile ArraySimulator current;
    private static volatile Path currentDir;

    private int portals = 4;
    private int luns = 1;
    private String noPathRetry = "5";
    private String extraDefaults = "";
    private ArraySimulator sim;
    private Path dir;

    /** The simulator the running test's application was configured with. */
    public static ArraySimulator simulator() {
        ArraySimulator s = current;
        if (s == null) throw new IllegalStateException("SimulatorArray is not started (annotate the test class with "
                + "@WithTestResource(SimulatorArray.class))");
        return s;
    }

    /** The directory holding gateway.conf and multipath.conf (a test may rewrite them and reload). */
    public static Path configDir() {
        return currentDir;
    }

    /** Revives every killed portal and lifts every blackhole. */
    public static void reviveAll() throws InterruptedException {
        ArraySimulator s = simulator();
        for (int i = 0; i < s.portals().size(); i++) {
            var p = s.portal(i);
            p.blackhole(false);
            if (p.killed()) p.revive();
        }
    }

    @Override
    public void init(Map<String, String> initArgs) {
        String n = initArgs.getOrDefault("portals", "4");
        portals = Integer.parseInt(n);
        if (portals < 2 || portals > 4 || portals % 2 != 0)
            throw new IllegalArgumentException("SimulatorArray portals: " + n + " (expected: 2 or 4, two controllers)");
        String l = initArgs.getOrDefault("luns", "1");
        luns = Integer.parseInt(l);
        if (luns < 1 || luns > 64) throw new IllegalArgumentException("SimulatorArray luns: " + l + " (expected: 1..64)");
        noPathRetry = initArgs.getOrDefault("no_path_retry", noPathRetry);
        extraDefaults = initArgs.getOrDefault("multipath.conf", "");
    }

    @Override
    public Map<String, String> start() {
        try {
            var b = ArraySimulator.builder().personality(Personality.ALUA).controllers(2)
                    .portalsPerController(portals / 2).host("127.0.0.1");
            if (luns == 1) b.lun(0, 16L << 20);
            else for (int i = 0; i < luns; i++) b.lun(i, 1L << 20);
            sim = b.build().start();
            dir = Files.createTempDirectory("mpathgw-simarray");
            Files.writeString(dir.resolve("gateway.conf"), gatewayConf(sim));
            Files.writeString(dir.resolve("multipath.conf"), multipathConf());
        } catch (IOException e) {
            throw new UncheckedIOException("SimulatorArray: cannot write the configuration", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("SimulatorArray: interrupted while starting the simulator", e);
        }
        current = sim;
        currentDir = dir;
        Map<String, String> config = new HashMap<>();
        config.put("mpathgw.config", dir.resolve("gateway.conf").toString());
        config.put("mpathgw.multipath-conf", dir.resolve("multipath.conf").toString());
        config.put("mpathgw.data-dir", dir.resolve("data").toString());
        return config;
    }

    /** gateway.conf: every portal of the array with its target, and timers that notice a dead portal in ~2 s. */
    static String gatewayConf(ArraySimulator sim) {
        StringBuilder b = new StringBuilder("# written by SimulatorArray for ").append(sim).append('\n');
        b.append("iscsi {\n\tnoop_out_interval 1\n\tnoop_out_timeout 1\n\tlogin_timeout 2\n"
                + "\tcommand_timeout 5\n}\n");
        for (int i = 0; i < sim.portals().size(); i++) {
            InetSocketAddress a = sim.address(i);
            b.append("portal {\n\taddress ").append(a.getHostString()).append(':').append(a.getPort())
                    .append("\n\ttarget ").append(sim.targetName(i)).append("\n}\n");
        }
        return b.toString();
    }

    private String multipathConf() {
        return "defaults {\n\tpolling_interval 1\n\tmax_polling_interval 2\n\tchecker_timeout 2\n\tno_path_retry "
                + noPathRetry + "\n\tuser_friendly_names yes\n" + extraDefaults + "}\n";
    }

    @Override
    public void stop() {
        current = null;
        currentDir = null;
        if (sim != null) sim.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
