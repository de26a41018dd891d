package io.mpathgw.iscsi.target;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every connection of a {@link Portal}: applies the portal's injected faults to raw bytes.
 * Black-holed: nothing is read (auto-read off) and nothing the target writes leaves, as a peer behind a dead link
 * sees it. Like TCP behind a link that comes back, no byte is lost: what was already read and what the target wrote
 * meanwhile are held, and delivered in order when the hole is lifted (dropping them would break the PDU framing or
 * hide a write the array still held). Latency: each received chunk is passed on {@code latency} later, never
 * overtaking an earlier one. Runs on the connection's event loop; the portal flips its flags from any thread.
 */
final class PortalFaults extends ChannelDuplexHandler {

    private final Portal portal;
    private long notBefore;
    /** Chunks held back by latency, in deadline order; released if the connection goes before they are due. */
    private final ArrayDeque<Object> delayed = new ArrayDeque<>();
    /** Received while black-holed: delivered when the hole is lifted. */
    private final ArrayDeque<Object> heldIn = new ArrayDeque<>();
    /** Written by the target while black-holed, with their promises: sent when the hole is lifted. */
    private final ArrayDeque<Object> heldOut = new ArrayDeque<>();
    private final ArrayDeque<ChannelPromise> heldOutPromises = new ArrayDeque<>();

    PortalFaults(Portal portal) {
        this.portal = portal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (portal.blackholed()) ctx.channel().config().setAutoRead(false);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (portal.blackholed()) {
            heldIn.add(msg);
            return;
        }
        long delay = portal.latencyNanos();
        if (delay <= 0 && delayed.isEmpty()) {
            ctx.fireChannelRead(msg);
            return;
        }
        // behind a chunk still held back, even an undelayed one waits its turn: TCP never reorders bytes
        long now = System.nanoTime();
        long at = Math.max(now + Math.max(delay, 0), notBefore);   // equal deadlines run in submission order
        notBefore = at;
        delayed.add(msg);
        ctx.executor().schedule(() -> {
            Object due = delayed.poll();            // deadlines never decrease, so the head is this task's chunk
            if (due == null) return;                // released by channelInactive/handlerRemoved
            if (!ctx.channel().isActive()) {
                ReferenceCountUtil.release(due);
                return;
            }
            ctx.fireChannelRead(due);
            ctx.fireChannelReadComplete();
        }, at - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseDelayed();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseDelayed();
    }

    /** A closing event loop cancels the scheduled deliveries: their chunks must not leak. */
    private void releaseDelayed() {
        Object m;
        while ((m = delayed.poll()) != null) ReferenceCountUtil.release(m);
        while ((m = heldIn.poll()) != null) ReferenceCountUtil.release(m);
        while ((m = heldOut.poll()) != null) {
            ReferenceCountUtil.release(m);
            heldOutPromises.poll().tryFailure(new java.nio.channels.ClosedChannelException());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (portal.latencyNanos() <= 0 && delayed.isEmpty()) ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (portal.blackholed()) {
            heldOut.add(msg);
            heldOutPromises.add(promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /** Called on the event loop when the portal starts or stops black-holing. */
    void blackhole(ChannelHandlerContext ctx, boolean on) {
        ctx.channel().config().setAutoRead(!on);
        if (on || ctx.isRemoved()) return;
        if (!heldOut.isEmpty()) {
            while (!heldOut.isEmpty()) ctx.write(heldOut.poll(), heldOutPromises.poll());
            ctx.flush();
        }
        Object m;
        while ((m = heldIn.poll()) != null) channelRead(ctx, m);
        channelReadComplete(ctx);
        ctx.read();
    }
}
