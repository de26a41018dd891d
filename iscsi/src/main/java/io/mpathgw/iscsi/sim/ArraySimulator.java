package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.target.IscsiTarget;
import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.Portal;
import io.mpathgw.iscsi.target.PortalConfig;
import io.mpathgw.iscsi.target.TargetNode;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A SAN array in one JVM: controllers with portals on loopback, LUNs in memory, and the behaviour of a real array
 * type ({@link Personality}) towards the kernel's hardware handlers, with fault injection for every failure a
 * multipath stack must survive. Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops it.
 *
 * <p>Topology: controller {@code c} (0-based, named A, B, …) is target port group {@code c + 1} and iSCSI target
 * portal group tag {@code c + 1}; portal {@code p} (0-based over the whole array, controller by controller) is
 * relative target port {@code p + 1}. Every LUN is reachable through every portal; which paths may do what is the
 * personality's business.
 *
 * <p>Faults: per portal through {@link Portal} ({@code kill}, {@code revive}, {@code blackhole}, {@code latency},
 * {@code refuseLogin}) and {@link #flap}; per controller through {@link Controller}; per LUN through
 * {@link SimLun} (sense injection, PDL, latency, stall, capacity change, ALUA state, failover); array-wide
 * {@link #failover}. Randomness comes from the builder's seed only.
 *
 * <p>Threads: portals run on the array's own event loops; transitions and delayed answers on one scheduler
 * thread. Every public method may be called from any thread.
 */
public final class ArraySimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ArraySimulator.class.getName());

    private final SimSettings settings;
    private final String serialPrefix;
    private final List<Controller> controllers = new ArrayList<>();
    private final Map<Integer, SimLun> luns = new LinkedHashMap<>();
    private final List<IscsiTarget> targets = new ArrayList<>();
    private final List<Portal> portals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Flapper> flappers = new ArrayList<>();
    private final EventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private volatile boolean started;
    private volatile boolean closed;

    ArraySimulator(SimSettings settings) {
        this.settings = settings;
        this.serialPrefix = "SIM" + HexFormat.of().withUpperCase().formatHex(sha256(settings.iqn()), 0, 4);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpathgw-sim-" + serialPrefix);
            t.setDaemon(true);
            return t;
        });
        int per = settings.portalsPerController();
        for (int c = 0; c < settings.controllers(); c++) {
            List<Integer> rtps = new ArrayList<>();
            for (int k = 0; k < per; k++) rtps.add(c * per + k + 1);
            String name = settings.targetPerController()
                    ? settings.iqn() + ".ctrl" + Character.toLowerCase((char) ('a' + c)) : settings.iqn();
            controllers.add(new Controller(this, c, name, rtps));
        }
        for (LunSpec s : settings.luns()) luns.put(s.number(), new SimLun(this, s));
        this.group = EventLoops.create(settings.threads());
        for (List<Controller> served : targetGroups()) targets.add(target(served));
    }

    public static ArraySimulatorBuilder builder() {
        return new ArraySimulatorBuilder();
    }

    /** One target for the whole array, or one per controller. */
    private List<List<Controller>> targetGroups() {
        if (!settings.targetPerController()) return List.of(controllers);
        return controllers.stream().map(List::of).toList();
    }

    private IscsiTarget target(List<Controller> served) {
        TargetNode.Builder node = TargetNode.builder(served.get(0).targetName())
                .alias("mpathgw simulated " + settings.personality() + " array");
        luns.forEach(node::lun);
        IscsiTarget.Builder b = IscsiTarget.builder().settings(settings.targetSettings()).eventLoopGroup(group)
                .target(node.build());
        for (Controller c : served)
            for (int rtp : c.relativeTargetPorts()) {
                int port = settings.firstPort() == 0 ? 0 : settings.firstPort() + rtp - 1;
                b.portal(PortalConfig.of(new InetSocketAddress(settings.host(), port), c.targetPortGroup(),
                        c.targetPortGroup(), rtp));
            }
        return b.build();
    }

    /** Binds every portal; returns once all listen. */
    public ArraySimulator start() throws InterruptedException {
        if (started) throw new IllegalStateException("simulator already started");
        started = true;
        for (IscsiTarget t : targets) {
            t.start();
            for (Portal p : t.portals()) {
                portals.add(p);
                controllers.get(p.config().targetPortGroup() - 1).attach(p);
            }
        }
        LOG.info("simulated array started:\n" + describe());
        return this;
    }

    // ---------------------------------------------------------------- topology

    public Personality personality() {
        return settings.personality();
    }

    public List<Controller> controllers() {
        return Collections.unmodifiableList(controllers);
    }

    public Controller controller(int index) {
        if (index < 0 || index >= controllers.size())
            throw new IllegalArgumentException("controller: " + index + " (expected: 0.." + (controllers.size() - 1) + ")");
        return controllers.get(index);
    }

    /** Every portal, controller by controller (portal {@code p} is relative target port {@code p + 1}). */
    public List<Portal> portals() {
        return Collections.unmodifiableList(portals);
    }

    public Portal portal(int index) {
        if (index < 0 || index >= portals.size())
            throw new IllegalArgumentException("portal: " + index + " (expected: 0.." + (portals.size() - 1)
                    + (started ? "" : "; start() first") + ")");
        return portals.get(index);
    }

    /** The address portal {@code index} listens on. */
    public InetSocketAddress address(int index) {
        return portal(index).address();
    }

    /** The controller portal {@code index} belongs to. */
    public Controller controllerOf(Portal p) {
        return controllers.get(p.config().targetPortGroup() - 1);
    }

    /** The iSCSI target name to log in to through portal {@code index}. */
    public String targetName(int portal) {
        return controllerOf(portal(portal)).targetName();
    }

    /** The array's IQN (with one target per controller, their common prefix). */
    public String iqn() {
        return settings.iqn();
    }

    public List<SimLun> luns() {
        return List.copyOf(luns.values());
    }

    public SimLun lun(int number) {
        SimLun l = luns.get(number);
        if (l == null) throw new IllegalArgumentException("lun: " + number + " (expected: one of " + luns.keySet() + ")");
        return l;
    }

    /** The iSCSI targets serving the array (one, or one per controller), for their sessions. */
    public List<IscsiTarget> targets() {
        return Collections.unmodifiableList(targets);
    }

    /** A {@link Random} from the array's seed and {@code salt}: the same pair gives the same sequence. */
    public Random random(long salt) {
        return new Random(settings.seed() * 0x9E3779B97F4A7C15L + salt);
    }

    /** Topology and state, one line each: controllers with their portals, then LUNs. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(settings.personality()).append(" array ").append(settings.iqn()).append(", seed ")
                .append(settings.seed()).append('\n');
        for (Controller c : controllers) {
            b.append("  controller ").append(c.name()).append(" tpg ").append(c.targetPortGroup())
                    .append(c.alive() ? "" : " DEAD").append(" target ").append(c.targetName()).append('\n');
            for (Portal p : c.portals())
                b.append("    portal ").append(portals.indexOf(p)).append(' ').append(p.describe())
                        .append(" rtp ").append(p.config().relativeTargetPort()).append(p.killed() ? " killed" : "")
                        .append('\n');
        }
        for (SimLun l : luns.values()) b.append("  ").append(l.describe()).append('\n');
        return b.toString();
    }

    // ---------------------------------------------------------------- array-wide faults

    /** Every LUN moves to controller {@code to}, as the array does on a controller failover. */
    public void failover(int to) {
        controller(to);
        for (SimLun l : luns.values()) l.failover(to);
    }

    /**
     * Flaps portal {@code index}: up for a time drawn from [minUp, maxUp], killed for one from [minDown, maxDown],
     * over and over until the returned flapper is closed. The times come from {@link #random} salted with the
     * portal index, so a seed replays the same pattern.
     */
    public Flapper flap(int index, Duration minUp, Duration maxUp, Duration minDown, Duration maxDown) {
        Flapper f = new Flapper(portal(index), random(index), minUp, maxUp, minDown, maxDown, scheduler);
        synchronized (flappers) {
            flappers.add(f);
        }
        f.start();
        return f;
    }

    // ---------------------------------------------------------------- for the package

    SimSettings settings() {
        return settings;
    }

    String serialPrefix() {
        return serialPrefix;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The controller a nexus came in through, or null for a port the array does not know. */
    Controller controllerOf(Nexus n) {
        int i = n.targetPortGroup() - 1;
        return i >= 0 && i < controllers.size() ? controllers.get(i) : null;
    }

    String targetNameOf(Nexus n) {
        Controller c = controllerOf(n);
        return c != null ? c.targetName() : settings.iqn();
    }

    LunPersonality newPersonality(SimLun lun) {
        return switch (settings.personality()) {
            case ALUA -> new AluaPersonality(this, lun);
            case RDAC -> new RdacPersonality(this, lun);
            case EMC -> new EmcPersonality(this, lun);
            case HP_SW -> new HpSwPersonality(this, lun);
            case ACTIVE_ACTIVE -> new ActiveActivePersonality();
        };
    }

    /** REPORTED LUNS DATA HAS CHANGED on the other LUNs (SPC-4 §5.14: the inventory changed). */
    void lunInventoryChanged(SimLun changed) {
        for (SimLun l : luns.values())
            if (l != changed) l.sbc().reportedLunsDataChanged();
    }

    /** Completes with {@code value} after {@code nanos}, on the scheduler. */
    <T> CompletableFuture<T> later(T value, long nanos) {
        CompletableFuture<T> f = new CompletableFuture<>();
        schedule(() -> f.complete(value), nanos);
        return f;
    }

    /** Runs {@code r} on the scheduler after {@code nanos}; at once (still on the scheduler) for 0. */
    ScheduledFuture<?> schedule(Runnable r, long nanos) {
        return scheduler.schedule(r, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    void controllerLost(Controller c) {
        LOG.info("controller " + c.name() + " lost");
        for (SimLun l : luns.values()) l.personality().controllerLost(c.index());
    }

    void controllerRevived(Controller c) {
        LOG.info("controller " + c.name() + " revived");
        for (SimLun l : luns.values()) l.personality().controllerRevived(c.index());
    }

    /** The next live controller after {@code from}, or -1 when every other one is dead. */
    int survivor(int from) {
        for (int i = 1; i < controllers.size(); i++) {
            Controller c = controllers.get((from + i) % controllers.size());
            if (c.alive()) return c.index();
        }
        return -1;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256: missing (expected: in every Java runtime)", e);
        }
    }

    /** Stops flapping, closes every portal and session, frees the LUNs' memory. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        synchronized (flappers) {
            flappers.forEach(Flapper::stop);
        }
        for (IscsiTarget t : targets) t.close();
        scheduler.shutdownNow();
        for (SimLun l : luns.values()) l.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "ArraySimulator[" + settings.personality() + " " + settings.iqn() + "]";
    }
}
