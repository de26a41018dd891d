package io.mpathgw.gateway.nbd;

import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.scsi.BlockDevice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An NBD server (NetworkBlockDevice/nbd doc/proto.md, fixed newstyle) exporting {@link BlockDevice}s by name, on
 * Netty: native epoll where there is one, NIO otherwise ({@link EventLoops}).
 *
 * <pre>
 * NbdServer nbd = NbdServer.builder().listen("127.0.0.1:10809").start();
 * nbd.addExport("mpatha", "map mpatha (WWID 36001405...)", map);
 * // nbdinfo nbd://127.0.0.1:10809/mpatha
 * nbd.close();
 * </pre>
 *
 * <p>Handshake options: NBD_OPT_EXPORT_NAME, ABORT, LIST, INFO, GO (NBD_INFO_EXPORT, NAME, DESCRIPTION,
 * BLOCK_SIZE), STRUCTURED_REPLY, LIST_META_CONTEXT / SET_META_CONTEXT (base:allocation, every extent reported as
 * data); anything else is answered NBD_REP_ERR_UNSUP. The empty export name is the first export added. Commands:
 * READ, WRITE (FUA), FLUSH, TRIM (unmap), WRITE_ZEROES (write same; NO_HOLE forbids deallocating), BLOCK_STATUS,
 * DISC. Transmission flags: HAS_FLAGS, SEND_FLUSH, SEND_FUA, SEND_TRIM, SEND_WRITE_ZEROES, CAN_MULTI_CONN, SEND_DF
 * with structured replies, READ_ONLY for read-only exports.
 *
 * <p>Thread-safe. Exports may be added and removed while clients are connected; removing one disconnects its
 * clients once their requests are answered.
 */
public final class NbdServer implements AutoCloseable {

    /** The IANA port of NBD. */
    public static final int DEFAULT_PORT = 10809;
    /** NBD_INFO_BLOCK_SIZE maximum: 32 MiB, the size proto.md says clients may assume at most. */
    public static final int DEFAULT_MAX_PAYLOAD = 32 << 20;
    /** Requests one connection may have with the device before it stops reading from its socket. */
    public static final int DEFAULT_MAX_OUTSTANDING = 128;

    /** The export a connection in transmission is attached to. */
    static final AttributeKey<String> EXPORT_NAME = AttributeKey.valueOf("nbd.export");

    private final NbdExports exports = new NbdExports();
    private final ChannelGroup connections = new DefaultChannelGroup("nbd", GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Channel listener;
    private final Path unixSocket;

    private NbdServer(Builder b) throws InterruptedException {
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? EventLoops.create(b.threads) : b.group;
        NbdSettings settings = new NbdSettings(b.maxPayload, b.maxOutstanding);
        this.unixSocket = b.address instanceof DomainSocketAddress d ? Path.of(d.path()) : null;
        ServerBootstrap boot = new ServerBootstrap().group(group).channel(serverChannel(group, b.address))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(2 << 20, 8 << 20))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        // no FlushConsolidationHandler: NbdTransmission decides when replies are flushed
                        ch.pipeline().addLast("nbd-handshake", new NbdHandshake(exports, settings));
                    }
                });
        if (unixSocket == null) boot.childOption(ChannelOption.TCP_NODELAY, true);
        try {
            if (unixSocket != null) Files.deleteIfExists(unixSocket);     // a stale socket of an earlier run
            this.listener = boot.bind(b.address).sync().channel();
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (ownsGroup) group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof InterruptedException ie) throw ie;
            throw new IllegalStateException("NBD listen address " + b.address + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server on {@code listen} ({@link Builder#listen(String)}) with its own event loops and the defaults. */
    public static NbdServer start(String listen) throws InterruptedException {
        return builder().listen(listen).start();
    }

    /**
     * Offers {@code device} as {@code name}. The server does not own the device: closing either leaves it open.
     *
     * @throws IllegalArgumentException a name already exported, longer than 4096 bytes or with a NUL
     */
    public NbdExport addExport(String name, String description, BlockDevice device) {
        return addExport(new NbdExport(name, description, device, false));
    }

    public NbdExport addExport(NbdExport export) {
        exports.add(export);
        return export;
    }

    /** Stops offering {@code name}; its clients are disconnected once their requests are answered. */
    public Optional<NbdExport> removeExport(String name) {
        Optional<NbdExport> gone = exports.remove(name);
        if (gone.isPresent())
            for (Channel ch : connections)
                if (name.equals(ch.attr(EXPORT_NAME).get())) disconnect(ch);
        return gone;
    }

    /** The exports, in the order they were added (the first is the default export ""). */
    public List<NbdExport> exports() {
        return exports.all();
    }

    /** The bound address: an {@link InetSocketAddress} with the port chosen, or the unix socket. */
    public SocketAddress localAddress() {
        return listener.localAddress();
    }

    /** The bound TCP port (-1 on a unix socket). */
    public int port() {
        return localAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
    }

    /** Open client connections (in handshake or transmission). */
    public int connectionCount() {
        return connections.size();
    }

    /** Requests handed to a device and not answered yet, over every connection (asks each event loop). */
    int requestsInFlight() throws Exception {
        int n = 0;
        for (Channel ch : connections) {
            NbdTransmission t = ch.pipeline().get(NbdTransmission.class);
            if (t != null) n += ch.eventLoop().submit(t::inFlight).get(5, TimeUnit.SECONDS);
        }
        return n;
    }

    /**
     * Stops listening, lets every connection finish the requests it has with a device (at most 5 s), then closes
     * them, and the event loops if the server made its own.
     */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        for (Channel ch : connections) disconnect(ch);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!connections.isEmpty() && System.nanoTime() < deadline) sleep();
        connections.close().syncUninterruptibly();
        if (unixSocket != null) {
            try {
                Files.deleteIfExists(unixSocket);
            } catch (IOException ignored) {
                // another process's file now, or gone
            }
        }
        if (ownsGroup) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void disconnect(Channel ch) {
        try {
            ch.eventLoop().execute(() -> {
                NbdTransmission t = ch.pipeline().get(NbdTransmission.class);
                if (t != null) t.disconnect();
                else ch.close();               // still in the handshake: nothing in flight
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ch.close();                        // its event loop (shared, not ours) is shutting down
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Class<? extends ServerChannel> serverChannel(EventLoopGroup group, SocketAddress address) {
        // a single EventLoop is a group too: all connections on one given thread (e.g. the map's)
        EventLoopGroup kind = group instanceof EventLoop loop ? loop.parent() : group;
        if (!(address instanceof DomainSocketAddress)) return EventLoops.serverSocketChannel(kind);
        if (!(kind instanceof EpollEventLoopGroup))
            throw new IllegalArgumentException("NBD listen address: unix:" + ((DomainSocketAddress) address).path()
                    + " (expected: host:port; unix sockets need native epoll, which this platform lacks)");
        return EpollServerDomainSocketChannel.class;
    }

    /**
     * Parses a listen address: {@code host:port}, {@code [ipv6]:port}, {@code :port} (every interface) or
     * {@code unix:/path}. Port 0 picks a free one.
     */
    public static SocketAddress parseListen(String listen) {
        if (listen.startsWith("unix:") && listen.length() > 5) return new DomainSocketAddress(listen.substring(5));
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "" : listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) colon = -1;                  // an IPv6 address without brackets or port
        int port = -1;
        try {
            if (colon >= 0) port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("NBD listen address: \"" + listen
                    + "\" (expected: host:port, [ipv6]:port, :port or unix:/path, port 0..65535)");
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** Where and how the server listens. */
    public static final class Builder {
        private SocketAddress address = new InetSocketAddress("127.0.0.1", DEFAULT_PORT);
        private EventLoopGroup group;
        private int threads = 2;
        private int maxPayload = DEFAULT_MAX_PAYLOAD;
        private int maxOutstanding = DEFAULT_MAX_OUTSTANDING;

        private Builder() {
        }

        /** {@link #parseListen} syntax; 127.0.0.1:10809 by default. */
        public Builder listen(String listen) {
            this.address = parseListen(listen);
            return this;
        }

        public Builder listen(SocketAddress address) {
            this.address = address;
            return this;
        }

        /**
         * Event loops to share (e.g. with the initiator's sessions); the server then does not shut them down. A
         * single {@link EventLoop} (a map's, i.e. its first session's) puts every connection on that thread, so a
         * request and its completion need no hop between threads (4 KiB random reads through a 1-path map: about
         * 0.65x iscsi-perf direct with the connection on another loop, 0.85x on the map's).
         */
        public Builder eventLoops(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /** Threads of the server's own event loops, when none are given; 2 by default. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** NBD_INFO_BLOCK_SIZE maximum, a power of 2 >= 64 KiB; {@value #DEFAULT_MAX_PAYLOAD} by default. */
        public Builder maxPayload(int bytes) {
            this.maxPayload = bytes;
            return this;
        }

        /** Requests per connection with the device at once; {@value #DEFAULT_MAX_OUTSTANDING} by default. */
        public Builder maxOutstanding(int n) {
            this.maxOutstanding = n;
            return this;
        }

        /** Binds and returns the running server. */
        public NbdServer start() throws InterruptedException {
            new NbdSettings(maxPayload, maxOutstanding);         // fails fast on a bad value
            return new NbdServer(this);
        }
    }
}
