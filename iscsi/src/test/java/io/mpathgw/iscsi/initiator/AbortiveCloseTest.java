package io.mpathgw.iscsi.initiator;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection the initiator gives up on is reset (RST), not closed with FIN: the kernel must discard what the
 * socket still holds, so that a WRITE the map requeues on another path can never also arrive late over this one.
 * A peer that never answers the login sees "Connection reset" where a FIN would have given it end of stream.
 */
class AbortiveCloseTest {

    @Test
    void aConnectionGivenUpOnIsReset() throws Exception {
        EventLoopGroup group = EventLoops.create(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[4096];
                    while (true) {
                        if (in.read(buf) < 0) return "end of stream (FIN)";
                    }
                } catch (SocketException e) {
                    return e.getMessage();
                } catch (IOException e) {
                    return e.toString();
                }
            });
            InetSocketAddress portal = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Session s = Session.open(InitiatorConfig.builder(portal, "iqn.2026-11.io.mpathgw.test:silent")
                    .initiatorName("iqn.2026-11.io.mpathgw.test:init").loginTimeout(Duration.ofMillis(300))
                    .reconnectInitial(Duration.ofSeconds(30)).reconnectCap(Duration.ofSeconds(30)).build(), group);
            try {
                assertThat(seen.get(10, TimeUnit.SECONDS)).containsIgnoringCase("reset");
            } finally {
                s.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
