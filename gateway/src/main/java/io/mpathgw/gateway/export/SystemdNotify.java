package io.mpathgw.gateway.export;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The service side of systemd's notify protocol (sd_notify(3)): {@code READY=1}, {@code STATUS=…},
 * {@code STOPPING=1} and the watchdog's {@code WATCHDOG=1}, sent as datagrams to {@code $NOTIFY_SOCKET}.
 *
 * <p>Java's own channels have no Unix datagram sockets, so a socket path goes through Netty's native epoll
 * {@link EpollDomainDatagramChannel}. An abstract socket ({@code @name}) or a platform without native epoll falls back
 * to running {@code systemd-notify --pid=OUR_PID}, which needs {@code NotifyAccess=all} in the unit.
 *
 * <p>The watchdog pings every half of {@code $WATCHDOG_USEC} while {@code healthy} says so; when it stops saying so
 * the pings stop, and systemd kills and restarts the service after WatchdogSec.
 */
public final class SystemdNotify implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SystemdNotify.class.getName());

    private final String socket;
    private final long pid = ProcessHandle.current().pid();
    private final EventLoopGroup group;
    private final Channel channel;
    private final ScheduledExecutorService timer;

    SystemdNotify(String socket, boolean forceCommand) throws InterruptedException {
        this.socket = socket;
        if (!forceCommand && socket.startsWith("/") && Epoll.isAvailable()) {
            group = new EpollEventLoopGroup(1);
            channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                        }
                    }).connect(new DomainSocketAddress(socket)).sync().channel();   // the default destination
        } else {
            group = null;
            channel = null;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpathgw-sd-notify");
            t.setDaemon(true);
            return t;
        });
    }

    /** A notifier when systemd started us with {@code Type=notify} ({@code $NOTIFY_SOCKET} set), else empty. */
    public static Optional<SystemdNotify> fromEnvironment() throws InterruptedException {
        return to(System.getenv("NOTIFY_SOCKET"));
    }

    /** A notifier to {@code socket} (a path, or {@code @name} for an abstract socket); empty when null or empty. */
    public static Optional<SystemdNotify> to(String socket) throws InterruptedException {
        if (socket == null || socket.isEmpty()) return Optional.empty();
        return Optional.of(new SystemdNotify(socket, false));
    }

    /**
     * The watchdog interval systemd asks for ({@code $WATCHDOG_USEC}), when it is meant for this process
     * ({@code $WATCHDOG_PID} unset or ours).
     */
    public static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC"), forPid = env.get("WATCHDOG_PID");
        if (usec == null || usec.isEmpty()) return Optional.empty();
        if (forPid != null && !forPid.isEmpty() && !forPid.equals(Long.toString(pid))) return Optional.empty();
        try {
            long us = Long.parseLong(usec);
            return us > 0 ? Optional.of(Duration.ofNanos(us * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warning("WATCHDOG_USEC: '" + usec + "' (expected: microseconds); no watchdog pings");
            return Optional.empty();
        }
    }

    /** Sends one message of newline-separated {@code KEY=VALUE} assignments; failures are logged, never thrown. */
    public void send(String state) {
        try {
            if (channel != null) {
                channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).sync();
            } else {
                List<String> cmd = new ArrayList<>(List.of("systemd-notify", "--pid=" + pid));
                cmd.addAll(List.of(state.split("\n")));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().put("NOTIFY_SOCKET", socket);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0)
                    LOG.warning("systemd-notify " + state.replace('\n', ' ') + ": " + out);
            }
        } catch (Exception e) {                    // Netty rethrows the write's IOException unchecked
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.warning("sd_notify " + state.replace('\n', ' ') + " to " + socket + ": " + e);
        }
    }

    /** Pings {@code WATCHDOG=1} every {@code interval / 2} while {@code healthy} holds. */
    public void startWatchdog(Duration interval, BooleanSupplier healthy) {
        long every = Math.max(1, interval.toMillis() / 2);
        boolean[] was = {true};                       // the timer thread's own: log changes only
        timer.scheduleAtFixedRate(() -> {
            boolean ok = healthy.getAsBoolean();
            if (ok) send("WATCHDOG=1");
            if (ok != was[0]) LOG.warning(ok ? "watchdog: healthy again, pinging"
                    : "watchdog: exports not healthy, no ping (systemd restarts the service after WatchdogSec)");
            was[0] = ok;
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (channel != null) channel.close().syncUninterruptibly();
        if (group != null) group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
