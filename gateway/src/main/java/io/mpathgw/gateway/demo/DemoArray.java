package io.mpathgw.gateway.demo;

import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SimCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The demo's array: an in-process {@link ArraySimulator} (dual-controller ALUA, two portals per controller on
 * 127.0.0.1, one LUN in memory, sparse), and the gateway.conf and multipath.conf that point the gateway at it,
 * written to {@code <data dir>/demo/}. One per JVM: {@link #start} returns the running one; {@link #close} stops it.
 * Fault commands ({@link SimCommands}, what {@code mpathgw sim} reads on stdin) run through {@link #execute}.
 */
public final class DemoArray implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoArray.class.getName());
    static final String TARGET_PREFIX = "iqn.2026-11.io.mpathgw.demo:";
    static final String GATEWAY_CONF = "gateway.conf", MULTIPATH_CONF = "multipath.conf";

    private static DemoArray current;

    private final DemoSettings settings;
    private final ArraySimulator sim;
    private final SimCommands commands;
    private final Path gatewayConf, multipathConf;

    private DemoArray(DemoSettings settings, ArraySimulator sim, Path dir) throws IOException {
        this.settings = settings;
        this.sim = sim;
        this.commands = new SimCommands(sim);
        Files.createDirectories(dir);
        this.gatewayConf = Files.writeString(dir.resolve(GATEWAY_CONF), DemoFiles.gatewayConf(sim, settings));
        this.multipathConf = Files.writeString(dir.resolve(MULTIPATH_CONF), DemoFiles.multipathConf());
    }

    /** Starts the demo array, or returns the one this JVM already runs. */
    public static synchronized DemoArray start(DemoSettings settings) {
        if (current != null) return current;
        ArraySimulator sim = null;
        try {
            sim = ArraySimulator.builder().personality(Personality.ALUA).controllers(2).portalsPerController(2)
                    .host(settings.host()).firstPort(settings.arrayPort()).lun(0, settings.lunBytes())
                    .iqn("iqn.2026-11.io.mpathgw.demo:array").build().start();
            current = new DemoArray(settings, sim, dir(settings));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (sim != null) sim.close();
            throw new IllegalStateException("demo array: interrupted while starting", e);
        } catch (IOException e) {
            sim.close();
            throw new UncheckedIOException("demo array: cannot write its configuration under "
                    + settings.dataDir().toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (sim != null) sim.close();
            throw new IllegalStateException("demo array: cannot start on " + settings.host() + " (array port "
                    + settings.arrayPort() + "): " + e.getMessage(), e);
        }
        LOG.info("demo array started:\n" + sim.describe().stripTrailing());
        return current;
    }

    /** Where the demo's configuration files go. */
    static Path dir(DemoSettings settings) {
        return settings.dataDir().resolve("demo").toAbsolutePath();
    }

    /** The running demo array, if any. */
    public static synchronized Optional<DemoArray> current() {
        return Optional.ofNullable(current);
    }

    public ArraySimulator simulator() {
        return sim;
    }

    public DemoSettings settings() {
        return settings;
    }

    public Path gatewayConf() {
        return gatewayConf;
    }

    public Path multipathConf() {
        return multipathConf;
    }

    public InetSocketAddress portal(int i) {
        return sim.address(i);
    }

    /**
     * Runs one fault command ({@code kill 0}, {@code controller A blackhole on}, {@code failover B}, {@code status},
     * …) and returns what it prints. Serialised: the commands keep state (flappers).
     *
     * @throws IllegalArgumentException a bad command, with what was expected
     */
    public synchronized String execute(String line) throws InterruptedException {
        if (line.isBlank()) throw new IllegalArgumentException("command: empty (expected: one of the sim's fault "
                + "commands; 'help' lists them)");
        if (line.trim().equals("quit"))
            throw new IllegalArgumentException("command: 'quit' (expected: a fault command; stop the demo with Ctrl-C)");
        return commands.execute(line);
    }

    /** Stops flappers and the simulated array; the next {@link #start} makes a new one. */
    @Override
    public void close() {
        synchronized (DemoArray.class) {
            if (current == this) current = null;
        }
        commands.close();
        sim.close();
        LOG.info("demo array stopped");
    }
}
