package io.mpathgw.iscsi.target;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * One listening network portal of a running {@link IscsiTarget}, with the fault hooks the array simulator drives.
 * Every method may be called from any thread.
 *
 * <ul>
 *   <li>{@link #kill()}: every connection is reset (SO_LINGER 0, then close: the peer gets an RST at once) and
 *       the listening socket closes, so new connections are refused; {@link #revive()} listens again on the same
 *       port.</li>
 *   <li>{@link #blackhole(boolean)}: connections are accepted but nothing is read and nothing is sent.</li>
 *   <li>{@link #refuseLogin(boolean)}: logins are answered 0x0301 Service Unavailable.</li>
 *   <li>{@link #latency(Duration)}: every received PDU is processed that much later.</li>
 * </ul>
 */
public final class Portal {

    private static final Logger LOG = Logger.getLogger(Portal.class.getName());

    private final IscsiTarget target;
    private final PortalConfig config;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile Channel server;
    private volatile InetSocketAddress bound;
    private volatile boolean killed, blackholed, refuseLogin;
    private volatile long latencyNanos;

    Portal(IscsiTarget target, PortalConfig config) {
        this.target = target;
        this.config = config;
    }

    public PortalConfig config() {
        return config;
    }

    /** The address actually bound (the port chosen when the config asked for port 0). */
    public InetSocketAddress address() {
        InetSocketAddress b = bound;
        if (b == null) throw new IllegalStateException("portal " + config.bind() + " not started");
        return b;
    }

    public int port() {
        return address().getPort();
    }

    public int portalGroupTag() {
        return config.portalGroupTag();
    }

    /** Open connections (logged in or not). */
    public int connectionCount() {
        return connections.size();
    }

    void bind(ServerBootstrap template) throws InterruptedException {
        InetSocketAddress at = bound != null ? bound : config.bind();
        ServerBootstrap b = template.clone().childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                accept(ch);
            }
        });
        Channel ch = b.bind(at).sync().channel();
        server = ch;
        bound = (InetSocketAddress) ch.localAddress();
    }

    private void accept(SocketChannel ch) {
        if (killed) {
            reset(ch);
            return;
        }
        connections.add(ch);
        ch.closeFuture().addListener(f -> connections.remove(ch));
        target.initConnection(this, ch);
    }

    /** Resets every connection and stops listening: peers see ECONNRESET, then ECONNREFUSED. */
    public void kill() {
        killed = true;
        Channel s = server;
        if (s != null) s.close().syncUninterruptibly();
        for (Channel c : List.copyOf(connections)) reset(c);
        LOG.info("portal " + describe() + " killed");
    }

    /** Listens again on the same address after {@link #kill()}. */
    public void revive() throws InterruptedException {
        if (!killed) return;
        killed = false;
        bind(target.serverBootstrap());
        LOG.info("portal " + describe() + " revived");
    }

    public boolean killed() {
        return killed;
    }

    /** Starts or stops black-holing: accepted connections read nothing and send nothing. */
    public void blackhole(boolean on) {
        blackholed = on;
        for (Channel c : List.copyOf(connections)) {
            PortalFaults f = c.pipeline().get(PortalFaults.class);
            if (f != null) c.eventLoop().execute(() -> f.blackhole(c.pipeline().context(f), on));
        }
    }

    boolean blackholed() {
        return blackholed;
    }

    /** Answers every new login with 0x0301 Service Unavailable while on. */
    public void refuseLogin(boolean on) {
        refuseLogin = on;
    }

    boolean refusingLogin() {
        return refuseLogin;
    }

    /** Delays the processing of every received PDU by {@code latency} (zero: none). */
    public void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    long latencyNanos() {
        return latencyNanos;
    }

    void close() {
        Channel s = server;
        if (s != null) s.close().syncUninterruptibly();
        for (Channel c : List.copyOf(connections)) c.close();
    }

    /** SO_LINGER 0 makes close() send an RST instead of a FIN. */
    private static void reset(Channel c) {
        c.eventLoop().execute(() -> {
            try {
                c.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                LOG.fine("SO_LINGER 0 not set on " + c + ": " + e);
            }
            c.close();
        });
    }

    /** host:port,tpgt as TargetAddress writes it (RFC 7143 §13.8), seen from a connection to {@code local}. */
    String targetAddress(InetSocketAddress local) {
        String host = config.advertisedHost();
        InetSocketAddress a = address();
        if (host == null) host = a.getAddress().isAnyLocalAddress() && local != null
                ? local.getAddress().getHostAddress() : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return host + ":" + a.getPort() + "," + config.portalGroupTag();
    }

    public String describe() {
        return (bound != null ? bound.getAddress().getHostAddress() + ":" + bound.getPort() : config.bind().toString())
                + "," + config.portalGroupTag();
    }

    @Override
    public String toString() {
        return "Portal[" + describe() + "]";
    }
}
