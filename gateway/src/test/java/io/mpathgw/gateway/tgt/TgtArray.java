package io.mpathgw.gateway.tgt;

import io.mpathgw.iscsi.tgt.Tgt;
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
 * Debian's tgtd as the array of a {@code @QuarkusTest}: a private tgtd (the iscsi test-jar's {@link Tgt}) with
 * three portals on 127.0.0.1 ephemeral ports and one target of two LUNs (LUN 1 of 16 MiB, LUN 2 of 32 MiB; LUN 0
 * is tgt's controller LU), started before Quarkus boots; a gateway.conf naming each portal with the target (tgtd
 * answers SendTargets with the portal asked only) and short iSCSI timers, and a multipath.conf that sets timers and
 * no_path_retry only, so the policy of the maps is the built-in hardware table's IET / VIRTUAL-DISK row.
 *
 * <p>Without tgtd ({@link #available()} false) it starts nothing and gives no {@code mpathgw.config}: the test class
 * must carry {@code @EnabledIf(TgtArray.AVAILABLE)} so that JUnit skips it with the reason.
 */
public class TgtArray implements QuarkusTestResourceLifecycleManager {

    /** For {@code @EnabledIf}: the condition method below. */
    public static final String AVAILABLE = "io.mpathgw.gateway.tgt.TgtArray#available";
    public static final String MISSING = "tgtd missing or /var/run/tgtd not writable: run scripts/install-test-peers.sh";
    public static final String IQN = "iqn.2026-11.io.mpathgw.test:quarkus";
    /** Checker intervals (1 s each) a map queues for with no path: long enough to restart tgtd. */
    static final int NO_PATH_RETRY = 30;

    private static volatile Tgt current;

    private Tgt tgt;
    private Path dir;

    /** Whether this machine can run tgtd (the test class's enabling condition). */
    public static boolean available() {
        return Tgt.available();
    }

    /** The tgtd the running test's application was configured with (to kill and restart it). */
    public static Tgt tgt() {
        Tgt t = current;
        if (t == null) throw new IllegalStateException("TgtArray is not started (annotate the test class with "
                + "@WithTestResource(TgtArray.class) and @EnabledIf(TgtArray.AVAILABLE))");
        return t;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (!available()) return config;
        try {
            tgt = Tgt.builder().portals(3).target(IQN, t -> t.lun(1, 16 << 20).lun(2, 32 << 20)).start();
            dir = Files.createTempDirectory("mpathgw-tgtarray");
            Files.writeString(dir.resolve("gateway.conf"), gatewayConf(tgt));
            Files.writeString(dir.resolve("multipath.conf"), "defaults {\n\tpolling_interval 1\n\tmax_polling_interval 2\n"
                    + "\tchecker_timeout 2\n\tno_path_retry " + NO_PATH_RETRY + "\n\tuser_friendly_names yes\n}\n");
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("TgtArray: cannot start tgtd or write the configuration", e);
        }
        current = tgt;
        config.put("mpathgw.config", dir.resolve("gateway.conf").toString());
        config.put("mpathgw.multipath-conf", dir.resolve("multipath.conf").toString());
        config.put("mpathgw.data-dir", dir.resolve("data").toString());
        return config;
    }

    /** gateway.conf: every portal with the target; timers that notice a dead tgtd and its return within ~2 s. */
    static String gatewayConf(Tgt tgt) {
        StringBuilder b = new StringBuilder("# written by TgtArray for ").append(tgt).append('\n');
        b.append("iscsi {\n\tnoop_out_interval 1\n\tnoop_out_timeout 1\n\tlogin_timeout 2\n"
                + "\tcommand_timeout 5\n\trelogin_max_interval 1\n}\n");
        for (InetSocketAddress a : tgt.portals())
            b.append("portal {\n\taddress ").append(a.getHostString()).append(':').append(a.getPort())
                    .append("\n\ttarget ").append(IQN).append("\n}\n");
        return b.toString();
    }

    @Override
    public void stop() {
        current = null;
        if (tgt != null) tgt.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
