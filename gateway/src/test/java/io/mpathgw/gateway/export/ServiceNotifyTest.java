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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as systemd sees it (Type=notify, WatchdogSec): a Unix datagram socket stands in for $NOTIFY_SOCKET
 * (mpathgw.notify-socket) before the application starts; it must receive READY=1 once the application serves,
 * then WATCHDOG=1 pings at half the 400 ms watchdog interval.
 */
@QuarkusTest
@QuarkusTestResource(value = ServiceNotifyTest.NotifySocket.class, restrictToAnnotatedClass = true)
class ServiceNotifyTest {

    static final LinkedBlockingQueue<String> RECEIVED = new LinkedBlockingQueue<>();

    public static class NotifySocket implements QuarkusTestResourceLifecycleManager {
        EpollEventLoopGroup group;
        Channel server;
        Path dir;

        @Override
        public Map<String, String> start() {
            if (!Epoll.isAvailable()) return Map.of();
            try {
                dir = Files.createTempDirectory("mpathgw-notify");
                group = new EpollEventLoopGroup(1);
                server = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                        .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                                RECEIVED.add(p.content().toString(StandardCharsets.UTF_8));
                            }
                        }).bind(new DomainSocketAddress(dir.resolve("notify").toString())).sync().channel();
            } catch (Exception e) {
                throw new IllegalStateException("notify socket: " + e, e);
            }
            return Map.of("mpathgw.notify-socket", dir.resolve("notify").toString(), "mpathgw.watchdog-usec", "400000");
        }

        @Override
        public void stop() {
            if (server != null) server.close().syncUninterruptibly();
            if (group != null) group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void readyOnceServingThenWatchdogPings() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll missing: no Unix datagram socket");
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.stream().filter("WATCHDOG=1"::equals).count() < 3 && System.nanoTime() < end) {
            String m = RECEIVED.poll(200, TimeUnit.MILLISECONDS);
            if (m != null) got.add(m);
        }
        assertThat(got).isNotEmpty();
        assertThat(got.get(0)).startsWith("READY=1\nSTATUS=serving");
        assertThat(got.subList(1, got.size())).containsOnly("WATCHDOG=1").hasSizeGreaterThanOrEqualTo(3);
    }
}
