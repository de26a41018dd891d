package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.PduEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * An iSCSI target (RFC 7143) on Netty: listens on its {@link Portal}s, serves discovery and normal sessions of its
 * {@link TargetNode}s, and hands SCSI commands to their {@link LogicalUnit}s. Built with {@link #builder()},
 * then {@link #start()}; {@link #close()} drops every connection and stops listening.
 *
 * <p>Target nodes come and go at run time ({@link #addTarget}, {@link #removeTarget}) without disturbing the
 * sessions of the other nodes: SendTargets and login look the node up at the moment they run.
 *
 * <p>Threading: each connection lives on one event loop, and all its state (login, sequence numbers, tasks) is
 * touched there only. The target-wide tables (targets, sessions by TSIH and by I_T nexus) are concurrent maps.
 */
public final class IscsiTarget implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IscsiTarget.class.getName());

    /**
     * Seconds a session of a removed node is given to log out (AsyncEvent 1, Parameter3) before its connection
     * is closed: long enough for an initiator to answer, short because the node and its LUs are gone.
     */
    public static final int REMOVAL_LOGOUT_SECONDS = 2;

    private final TargetSettings settings;
    /** By name, sorted so SendTargets lists them in a stable order. */
    private final Map<String, TargetNode> targets = new ConcurrentSkipListMap<>();
    /** Names removed and not added again: their logins get 0x0204 Target removed rather than 0x0203 Not found. */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final List<Portal> portals = new ArrayList<>();
    private final SessionRegistry sessions = new SessionRegistry();
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private volatile boolean started;

    private IscsiTarget(Builder b) {
        this.settings = b.settings;
        this.targets.putAll(b.targets);
        this.ownGroup = b.group == null;
        this.group = ownGroup ? EventLoops.create(b.threads) : b.group;
        for (PortalConfig p : b.portals) portals.add(new Portal(this, p));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds every portal; returns once all listen. */
    public IscsiTarget start() throws InterruptedException {
        if (started) throw new IllegalStateException("target already started");
        started = true;
        ServerBootstrap template = serverBootstrap();
        for (Portal p : portals) p.bind(template);
        return this;
    }

    ServerBootstrap serverBootstrap() {
        return new ServerBootstrap().group(group).channel(EventLoops.serverSocketChannel(group))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true);
    }

    /** Pipeline of an accepted connection: faults, framing, encoding, then the iSCSI connection itself. */
    void initConnection(Portal portal, SocketChannel ch) {
        Digests digests = Digests.none();
        TargetFrameDecoder decoder = new TargetFrameDecoder(digests, TargetConnection.LOGIN_MRDSL);
        ch.pipeline().addLast(new PortalFaults(portal), new FlushConsolidationHandler(64, true), decoder,
                new PduEncoder(digests), new TargetConnection(this, portal, ch, digests, decoder));
    }

    public List<Portal> portals() {
        return Collections.unmodifiableList(portals);
    }

    public Portal portal(int index) {
        return portals.get(index);
    }

    public TargetSettings settings() {
        return settings;
    }

    /** The nodes served now (a live, unmodifiable view). */
    public Map<String, TargetNode> targets() {
        return Collections.unmodifiableMap(targets);
    }

    /**
     * Serves {@code node} from now on: the next SendTargets lists it and logins to it succeed. Sessions of other
     * nodes are not touched. Any thread.
     *
     * @throws IllegalArgumentException if a node of that name is served already
     */
    public void addTarget(TargetNode node) {
        Objects.requireNonNull(node, "node");
        if (targets.putIfAbsent(node.name(), node) != null)
            throw new IllegalArgumentException("target name: " + node.name() + " (expected: not served yet; remove it first)");
        removed.remove(node.name());
        LOG.fine(() -> "target node added: " + node.name());
    }

    /**
     * Stops serving the node {@code name}: SendTargets no longer lists it, new logins to it get 0x0204 Target
     * removed, and each of its sessions gets an Async Message asking it to log out (AsyncEvent 1, RFC 7143
     * §11.9.1) within {@link #REMOVAL_LOGOUT_SECONDS}, after which its connection is closed if still open. Only
     * that node's sessions end; commands they send meanwhile still reach its LUs. Any thread.
     *
     * @return completes once every session of the node has ended
     * @throws IllegalArgumentException if no node of that name is served
     */
    public CompletableFuture<Void> removeTarget(String name) {
        Objects.requireNonNull(name, "name");
        TargetNode node = targets.remove(name);
        if (node == null) throw new IllegalArgumentException("target name: " + name + " (expected: a served target node)");
        removed.add(name);
        // a login that registers after this sweep sees the node gone and fails itself (LoginResponder.finish)
        List<CompletableFuture<String>> ends = new ArrayList<>();
        for (TargetSession s : sessions.all()) {
            if (s.target() != node) continue;
            ends.add(s.closed());
            s.requestLogout(REMOVAL_LOGOUT_SECONDS);
        }
        LOG.fine(() -> "target node removed: " + name + ", " + ends.size() + " session(s) asked to log out");
        return CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new));
    }

    /** Whether {@code name} was served and removed (and not added again). */
    boolean wasRemoved(String name) {
        return removed.contains(name);
    }

    public Optional<TargetNode> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Sessions in the full feature phase, discovery sessions included. */
    public List<TargetSession> sessions() {
        return sessions.all();
    }

    /** Sessions of one target node. */
    public List<TargetSession> sessions(String targetName) {
        return sessions.all().stream().filter(s -> targetName.equals(s.targetName())).toList();
    }

    SessionRegistry registry() {
        return sessions;
    }

    /** Drops every connection, stops listening, and shuts down the event loops if the target made them. */
    @Override
    public void close() {
        for (Portal p : portals) p.close();
        for (TargetSession s : sessions.all()) s.drop("target closed");
        if (ownGroup) group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Mutable builder: at least one portal; targets here or later with {@link #addTarget}. */
    public static final class Builder {
        private final List<PortalConfig> portals = new ArrayList<>();
        private final Map<String, TargetNode> targets = new LinkedHashMap<>();
        private TargetSettings settings = TargetSettings.DEFAULTS;
        private EventLoopGroup group;
        private int threads = 0;

        private Builder() {
        }

        public Builder portal(PortalConfig p) { portals.add(Objects.requireNonNull(p)); return this; }
        public Builder settings(TargetSettings s) { settings = Objects.requireNonNull(s); return this; }
        /** Event loops to run on (not shut down by {@link #close()}); default: a group of the target's own. */
        public Builder eventLoopGroup(EventLoopGroup g) { group = g; return this; }
        /** Threads of the target's own group; 0: Netty's default (2 × cores). */
        public Builder threads(int n) { threads = n; return this; }

        public Builder target(TargetNode t) {
            if (targets.putIfAbsent(t.name(), t) != null)
                throw new IllegalArgumentException("target name: " + t.name() + " (expected: unique)");
            return this;
        }

        public IscsiTarget build() {
            if (portals.isEmpty()) throw new IllegalStateException("portals: none (expected: at least one)");
            return new IscsiTarget(this);
        }
    }
}
