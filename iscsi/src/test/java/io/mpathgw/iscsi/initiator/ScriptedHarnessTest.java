package io.mpathgw.iscsi.initiator;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness's after-test check catches what it claims to: an exception reaching a pipeline's tail. (Leaks are
 * logged by the same detector {@code NoLeaksTest} proves; a deliberate leak here would also be reported to the
 * next class's check, so there is none.)
 */
class ScriptedHarnessTest {

    @RegisterExtension
    static final ScriptedHarness h = new ScriptedHarness();

    @Test
    void anExceptionReachingThePipelineTailIsCaught() throws Exception {
        EventLoopGroup g = new DefaultEventLoopGroup(1);
        try {
            LocalAddress addr = new LocalAddress("scripted-harness-test");
            Channel server = new ServerBootstrap().group(g).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            ctx.fireExceptionCaught(new IllegalStateException("deliberate"));
                        }
                    }).bind(addr).sync().channel();
            Channel client = new Bootstrap().group(g).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(addr).sync().channel();
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[]{1})).sync();
            ScriptedHarness.await("the tail's warning", Duration.ofSeconds(2), () -> !h.escaped().isEmpty());
            assertThat(h.escaped()).anySatisfy(m -> assertThat(m).contains("exceptionCaught").contains("deliberate"));
            client.close().sync();
            server.close().sync();
        } finally {
            g.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).sync();
            h.clearLogs();
        }
    }
}
