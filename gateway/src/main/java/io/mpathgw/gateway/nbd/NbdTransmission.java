package io.mpathgw.gateway.nbd;

import io.mpathgw.scsi.BlockDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The transmission phase of one connection: each {@link NbdRequest} is checked, handed to the export's
 * {@link BlockDevice}, and answered when the device completes it, in whatever order that happens (replies carry the
 * client's handle). Nothing is acknowledged before the device acknowledged it; nothing is cached.
 *
 * <p>Threading: every field is touched on the connection's event loop only; device completions hop onto it.
 * Buffers: a write's payload (a retained slice of the received bytes) goes to {@link BlockDevice#write} as it is;
 * a read's buffer from {@link BlockDevice#read} goes out behind its reply header without a copy.
 *
 * <p>Back-pressure: the decoder asks {@link #mayDecode()} before each request. The answer is no while
 * {@code maxOutstanding} requests of this connection are with the device, while the device is not writable (a
 * {@link io.mpathgw.dm.engine.MultipathBlockDevice} at its water mark or busy) or while the socket's outbound
 * buffer is above its high water mark; reading from the socket then stops and resumes when all three clear.
 * A map that still refuses a request (several connections raced for its last slots) gets it again once it is
 * writable: a refusal is back-pressure, never an I/O error.
 */
final class NbdTransmission extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(NbdTransmission.class.getName());
    /** The most one WRITE SAME or UNMAP is asked to cover (many arrays take 0xFFFF blocks of 512 at least). */
    static final long MAX_RANGE_BYTES = 16 << 20;
    /** Reply bytes written that are flushed at once rather than with the rest of the event loop's batch. */
    static final int FLUSH_BYTES = 64 << 10;

    private final NbdExport export;
    private final BlockDevice device;
    private final boolean structuredReplies;
    private final boolean blockStatus;
    private final NbdSettings settings;
    private final DeviceWritability writability;
    private final int blockSize;
    private ChannelHandlerContext ctx;
    private int inFlight;
    private boolean readingStopped;
    private boolean waitingForDevice;
    private boolean rescanScheduled;
    /** NBD_CMD_DISC, a bad magic or the server's shutdown: take no more requests, close once all are answered. */
    private boolean disconnecting;
    private boolean closed;
    /** Reply bytes written and not flushed yet, and whether a flush of them is scheduled. */
    private long unflushed;
    private boolean flushScheduled;

    NbdTransmission(NbdExport export, boolean structuredReplies, boolean blockStatus, NbdSettings settings) {
        this.export = export;
        this.device = export.device();
        this.structuredReplies = structuredReplies;
        this.blockStatus = blockStatus;
        this.settings = settings;
        this.writability = DeviceWritability.of(device);
        this.blockSize = device.blockSize();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    NbdExport export() {
        return export;
    }

    /** Requests of this connection with the device now (for tests and status). */
    int inFlight() {
        return inFlight;
    }

    // ------------------------------------------------------------------ back-pressure

    /** Whether the decoder may take another request now; if not, reading stops until it may. */
    boolean mayDecode() {
        if (disconnecting || closed) return false;
        if (inFlight < settings.maxOutstanding() && writability.writable() && ctx.channel().isWritable()) return true;
        stopReading();
        return false;
    }

    private void stopReading() {
        if (!readingStopped) {
            readingStopped = true;
            ctx.channel().config().setAutoRead(false);
        }
        if (!waitingForDevice && !writability.writable()) {
            waitingForDevice = true;
            writability.whenWritable(() -> onLoop(() -> {
                waitingForDevice = false;
                maybeResume();
            }, null));
        }
    }

    private void maybeResume() {
        if (!readingStopped || disconnecting || closed) return;
        if (inFlight >= settings.maxOutstanding() || !writability.writable() || !ctx.channel().isWritable()) {
            stopReading();                      // re-arms the device's callback if that is what we wait for
            return;
        }
        readingStopped = false;
        ctx.channel().config().setAutoRead(true);
        // requests already received wait in the decoder's buffer: let it look again, from a task of its own,
        // since this may run inside the decoder (a completion or a writability change during its callDecode)
        if (!rescanScheduled) {
            rescanScheduled = true;
            ctx.executor().execute(this::rescan);
        }
    }

    private void rescan() {
        rescanScheduled = false;
        if (closed || readingStopped) return;
        ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        ctx.pipeline().fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) maybeResume();
        ctx.fireChannelWritabilityChanged();
    }

    // ------------------------------------------------------------------ requests

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof NbdRequest rq)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        NbdError bad = NbdRequestCheck.check(rq, export, structuredReplies, blockStatus, settings.maxPayload());
        if (bad != null) {
            ReferenceCountUtil.release(rq.payload());
            LOG.log(Level.FINE, () -> "nbd " + ctx.channel().remoteAddress() + ": " + rq + ": " + bad);
            reply(rq, bad);
            return;
        }
        dispatch(rq);
    }

    private void dispatch(NbdRequest rq) {
        boolean fua = (rq.flags() & Nbd.NBD_CMD_FLAG_FUA) != 0;
        long lba = rq.offset() / blockSize;
        long blocks = rq.length() / blockSize;
        switch (rq.type()) {
            case Nbd.NBD_CMD_READ -> submit(rq, () -> device.read(lba, (int) blocks), null);
            case Nbd.NBD_CMD_WRITE -> submit(rq, () -> device.write(lba, rq.payload().retain(), fua), rq.payload());
            case Nbd.NBD_CMD_FLUSH -> submit(rq, device::flush, null);
            case Nbd.NBD_CMD_TRIM -> {
                // a hint (proto.md): a device that cannot deallocate keeps the data, which is allowed
                if (device.unmapSupported())
                    submit(rq, () -> thenFlush(inPieces(lba, blocks, device::unmap), fua), null);
                else reply(rq, null);
            }
            case Nbd.NBD_CMD_WRITE_ZEROES -> {
                // NBD_CMD_FLAG_NO_HOLE: the zeroes must be written, not deallocated; without it a device that
                // deallocates (and then reads zeroes back) may do so. An explicit zero block, not NDOB, which not
                // every array takes.
                boolean unmap = (rq.flags() & Nbd.NBD_CMD_FLAG_NO_HOLE) == 0 && device.unmapSupported();
                ByteBuf zero = ctx.alloc().directBuffer(blockSize, blockSize).writeZero(blockSize);
                submit(rq, () -> thenFlush(inPieces(lba, blocks,
                        (from, n) -> device.writeSame(from, n, zero.retain(), unmap)), fua), zero);
            }
            case Nbd.NBD_CMD_BLOCK_STATUS -> blockStatus(rq);
            case Nbd.NBD_CMD_DISC -> disconnect();
            default -> throw new IllegalStateException("unchecked " + rq);
        }
    }

    /** base:allocation: the whole range as one extent of data (status 0), true for any block by proto.md. */
    private void blockStatus(NbdRequest rq) {
        send(NbdReplies.blockStatus(ctx.alloc(), rq.handle(), NbdHandshake.BASE_ALLOCATION_ID,
                rq.length(), 0));
    }

    /**
     * {@code op} over the range in pieces of at most {@link #MAX_RANGE_BYTES}, one after the other: an NBD TRIM or
     * WRITE_ZEROES may cover 4 GiB, more than arrays take in one WRITE SAME or UNMAP (ours: 1 GiB).
     */
    private CompletableFuture<Void> inPieces(long lba, long blocks, BiFunction<Long, Long, CompletableFuture<Void>> op) {
        long n = Math.min(blocks, MAX_RANGE_BYTES / blockSize);
        CompletableFuture<Void> f = op.apply(lba, n);
        return n == blocks ? f : f.thenCompose(v -> inPieces(lba + n, blocks - n, op));
    }

    private CompletableFuture<Void> thenFlush(CompletableFuture<Void> f, boolean fua) {
        return fua ? f.thenCompose(v -> device.flush()) : f;
    }

    /**
     * Runs {@code op} against the device and answers when it completes. {@code hold} is a buffer this request owns
     * (released once answered); {@code op} retains it for each attempt, since the device releases what it is given.
     */
    private <T> void submit(NbdRequest rq, Supplier<CompletableFuture<T>> op, ByteBuf hold) {
        inFlight++;
        attempt(rq, op, hold);
    }

    private <T> void attempt(NbdRequest rq, Supplier<CompletableFuture<T>> op, ByteBuf hold) {
        CompletableFuture<T> f;
        try {
            f = op.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, err) -> onLoop(() -> completed(rq, op, hold, v, err), () -> {
            ReferenceCountUtil.release(v);
            ReferenceCountUtil.release(hold);
        }));
    }

    private <T> void completed(NbdRequest rq, Supplier<CompletableFuture<T>> op, ByteBuf hold, T value,
                               Throwable err) {
        if (err != null && !closed && writability != DeviceWritability.ALWAYS
                && NbdError.unwrap(err) instanceof RejectedExecutionException) {
            writability.whenWritable(() -> onLoop(() -> attempt(rq, op, hold), () -> ReferenceCountUtil.release(hold)));
            return;
        }
        ReferenceCountUtil.release(hold);
        inFlight--;
        if (err != null) {
            NbdError e = NbdError.of(err, rq.type() != Nbd.NBD_CMD_READ && rq.type() != Nbd.NBD_CMD_FLUSH);
            LOG.log(Level.FINE, () -> "nbd " + export.name() + ": " + rq + ": " + e);
            reply(rq, e);
        } else if (rq.type() == Nbd.NBD_CMD_READ) {
            ByteBuf data = (ByteBuf) value;
            send(structuredReplies ? NbdReplies.offsetData(ctx.alloc(), rq.handle(), rq.offset(), data)
                    : NbdReplies.simpleRead(ctx.alloc(), rq.handle(), data));
        } else {
            reply(rq, null);
        }
        if (disconnecting && inFlight == 0) closeWhenFlushed();
        else maybeResume();
    }

    /** A reply without data: success ({@code error} null) or the error, as a chunk once structured replies are on. */
    private void reply(NbdRequest rq, NbdError error) {
        if (error == null) send(NbdReplies.simple(ctx.alloc(), rq.handle(), 0));
        else if (structuredReplies)
            send(NbdReplies.errorChunk(ctx.alloc(), rq.handle(), error.errno(), error.message()));
        else send(NbdReplies.simple(ctx.alloc(), rq.handle(), error.errno()));
    }

    /**
     * Writes a reply and flushes once {@link #FLUSH_BYTES} are waiting, else from a task that runs after what the
     * event loop is doing now (the rest of a read batch, or other completions that hopped onto it): small replies
     * share a syscall, while a large read's data goes to the socket at once instead of queueing behind the whole
     * batch (flushing only per batch held back 32 x 128 KiB at a time: client and server took turns instead of
     * overlapping, 128 KiB reads through a map of one tgt path at 0.4-0.6x iscsi-perf direct; flushing every reply
     * 0.6-0.7x; this 0.87x, scripts/bench-nbd.sh conditions).
     */
    private void send(ByteBuf reply) {
        unflushed += reply.readableBytes();
        ctx.write(reply);
        if (unflushed >= FLUSH_BYTES) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(this::scheduledFlush);
        }
    }

    private void scheduledFlush() {
        flushScheduled = false;
        if (unflushed > 0) flush();
    }

    private void flush() {
        unflushed = 0;
        ctx.flush();
    }

    // ------------------------------------------------------------------ the end

    /** NBD_CMD_DISC, or the server closing: answer what is in flight, then close (proto.md). */
    void disconnect() {
        disconnecting = true;
        ctx.channel().config().setAutoRead(false);
        if (inFlight == 0) closeWhenFlushed();
    }

    void badMagic(int magic) {
        LOG.log(Level.FINE, () -> String.format("nbd %s: request magic: 0x%08x (expected: NBD_REQUEST_MAGIC"
                + " 0x%08x); closing", ctx.channel().remoteAddress(), magic, Nbd.NBD_REQUEST_MAGIC));
        disconnecting = true;
        ctx.close();
    }

    private void closeWhenFlushed() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "nbd " + ctx.channel().remoteAddress() + ": closing", cause);
        ctx.close();
    }

    /** Runs {@code r} on this connection's event loop; {@code orElse} when that loop is gone. */
    private void onLoop(Runnable r, Runnable orElse) {
        if (ctx.executor().inEventLoop()) {
            r.run();
            return;
        }
        try {
            ctx.executor().execute(r);
        } catch (RejectedExecutionException e) {
            if (orElse != null) orElse.run();
        }
    }
}
