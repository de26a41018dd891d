package io.mpathgw.gateway.export;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * sd_notify without systemd: a Unix datagram socket stands in for $NOTIFY_SOCKET and receives what the service
 * sends, over Netty's epoll channel and through the systemd-notify fallback.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SystemdNotifyTest {

    @TempDir
    Path dir;
    EpollEventLoopGroup group;
    Channel server;
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    String socket;

    @BeforeEach
    void listen() throws InterruptedException {
        assumeTrue(Epoll.isAvailable(), "native epoll missing: no Unix datagram socket to stand in for systemd");
        socket = dir.resolve("notify").toString();
        group = new EpollEventLoopGroup(1);
        server = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        received.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(socket)).sync().channel();
    }

    @AfterEach
    void close() {
        if (server != null) server.close().syncUninterruptibly();
        if (group != null) group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sendsStateAsOneDatagram() throws Exception {
        try (SystemdNotify n = new SystemdNotify(socket, false)) {
            n.send("READY=1\nSTATUS=serving");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("READY=1\nSTATUS=serving");
        }
    }

    @Test
    void watchdogPingsWhileHealthyAndStopsWhenNot() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (SystemdNotify n = new SystemdNotify(socket, false)) {
            n.startWatchdog(Duration.ofMillis(100), healthy::get);          // a ping every 50 ms
            for (int i = 0; i < 4; i++) assertThat(received.poll(2, TimeUnit.SECONDS)).isEqualTo("WATCHDOG=1");
            healthy.set(false);
            Thread.sleep(100);                                              // a ping under way may still land
            received.clear();
            assertThat(received.poll(400, TimeUnit.MILLISECONDS)).as("no ping while unhealthy").isNull();
            healthy.set(true);
            assertThat(received.poll(2, TimeUnit.SECONDS)).isEqualTo("WATCHDOG=1");
        }
    }

    @Test
    void fallsBackToSystemdNotifyWithOurPid() throws Exception {
        assumeTrue(ExportTools.has("systemd-notify"), "systemd-notify missing (package systemd)");
        try (SystemdNotify n = new SystemdNotify(socket, true)) {
            n.send("READY=1\nSTATUS=serving");
            String m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("what systemd-notify sent").isNotNull().contains("READY=1").contains("STATUS=serving")
                    .contains("MAINPID=" + ProcessHandle.current().pid());
        }
    }

    @Test
    void watchdogIntervalIsHonouredOnlyForThisProcess() {
        assertThat(SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000"), 42))
                .contains(Duration.ofSeconds(30));
        assertThat(SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42))
                .contains(Duration.ofSeconds(30));
        assertThat(SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42))
                .isEmpty();
        assertThat(SystemdNotify.watchdogInterval(Map.of(), 42)).isEmpty();
        assertThat(SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
        assertThat(SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 42)).isEmpty();
    }
}
