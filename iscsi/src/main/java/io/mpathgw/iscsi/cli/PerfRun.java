package io.mpathgw.iscsi.cli;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Keeps {@link PerfOptions#queueDepth()} READ(16) or WRITE(16) commands outstanding on one LU for the warm-up plus
 * the measured time, then lets the outstanding ones finish. Everything runs on the session's event loop, where the
 * transport completes commands, so no state here is shared between threads.
 *
 * <p>Memory: a read's Data-In arrives as the response's composite of received segments and is released unread;
 * every write sends a retained duplicate of one pooled direct buffer that holds the pattern, written once at the
 * start. No payload byte is copied or allocated per I/O; what is allocated per I/O is the CDB, the command record
 * and the future, which the {@link ScsiTransport} API takes.
 */
final class PerfRun {

    /** A command of the window: one per queue slot, reused; its own completion callback (no lambda per I/O). */
    private final class Slot implements BiConsumer<ScsiResponse, Throwable> {
        long lba;
        long startNanos;

        @Override
        public void accept(ScsiResponse response, Throwable error) {
            try {
                completed(this, response, error);
            } catch (RuntimeException e) {             // never leave the run hanging on a bug
                fail(this, "internal error: " + e);
                if (outstanding == 0) finish();
            }
        }
    }

    private final ScsiTransport lu;
    private final EventLoop loop;
    private final PerfOptions options;
    private final int blocksPerIo;
    private final long slots;
    private final ByteBuf pattern;
    private final SplittableRandom random;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final CompletableFuture<PerfResult> done = new CompletableFuture<>();

    private long measureStart;
    private long measureEnd;
    private long nextSlot;
    private int outstanding;
    private long ios;
    private long retries;
    private String failure;

    /**
     * @param blockLength the LU's logical block length; {@code options.bytesPerIo()} is a multiple of it
     * @param blockCount  the LU's block count; at least one I/O fits
     */
    PerfRun(ScsiTransport lu, EventLoop loop, PerfOptions options, long blockLength, long blockCount,
            ByteBufAllocator alloc) {
        this.lu = lu;
        this.loop = loop;
        this.options = options;
        this.blocksPerIo = (int) (options.bytesPerIo() / blockLength);
        this.slots = blockCount / blocksPerIo;
        this.random = new SplittableRandom(options.seed());
        this.pattern = options.write() ? pattern(alloc, options.bytesPerIo(), options.seed()) : null;
    }

    /** A direct buffer of pseudo-random bytes (not zeroes, which a target could treat specially). */
    private static ByteBuf pattern(ByteBufAllocator alloc, int length, long seed) {
        ByteBuf b = alloc.directBuffer(length, length);
        SplittableRandom r = new SplittableRandom(seed ^ 0x6d70617468677721L);
        while (b.writableBytes() >= 8) b.writeLong(r.nextLong());
        while (b.isWritable()) b.writeByte(r.nextInt());
        return b;
    }

    /** Starts on the event loop; the future completes once the last outstanding command has. */
    CompletableFuture<PerfResult> start() {
        loop.execute(this::begin);
        return done;
    }

    private void begin() {
        long now = System.nanoTime();
        measureStart = now + options.warmup().toNanos();
        measureEnd = measureStart + options.duration().toNanos();
        for (int i = 0; i < options.queueDepth() && failure == null; i++) issue(new Slot());
        if (outstanding == 0) finish();
    }

    private void issue(Slot s) {
        long slot;
        if (options.random()) {
            slot = random.nextLong(slots);
        } else {
            slot = nextSlot;
            nextSlot = slot + 1 == slots ? 0 : slot + 1;
        }
        s.lba = slot * blocksPerIo;
        send(s);
    }

    private void send(Slot s) {
        ScsiCommand cmd = options.write()
                ? ScsiCommand.write(Cdb.write16(s.lba, blocksPerIo, false), pattern.retainedDuplicate())
                : ScsiCommand.read(Cdb.read16(s.lba, blocksPerIo), options.bytesPerIo());
        outstanding++;
        s.startNanos = System.nanoTime();
        lu.submit(cmd).whenComplete(s);
    }

    private void completed(Slot s, ScsiResponse r, Throwable error) {
        long now = System.nanoTime();
        outstanding--;
        if (error != null) {
            fail(s, error.getMessage());
        } else {
            int status = r.status();
            Sense sense = r.sense();
            r.release();
            if (status == ScsiResponse.GOOD) {
                if (now >= measureStart && now <= measureEnd) {
                    ios++;
                    latency.record(now - s.startNanos);
                }
            } else if (retryable(status, sense)) {
                // as iscsi-perf: BUSY and UNIT ATTENTION are sent again (after the window: just not counted)
                if (failure == null && now < measureEnd) {
                    retries++;
                    send(s);
                    return;
                }
            } else {
                fail(s, ScsiResponse.statusName(status) + (sense != null ? " " + sense : ""));
            }
        }
        if (failure == null && now < measureEnd) issue(s);
        else if (outstanding == 0) finish();
    }

    private static boolean retryable(int status, Sense sense) {
        return status == ScsiResponse.BUSY || status == ScsiResponse.TASK_SET_FULL
                || status == ScsiResponse.CHECK_CONDITION && sense != null && sense.senseKey() == Sense.UNIT_ATTENTION;
    }

    private void fail(Slot s, String why) {
        if (failure == null)
            failure = (options.write() ? "WRITE(16)" : "READ(16)") + " lba " + s.lba + " blocks " + blocksPerIo
                    + " on " + lu.describe() + ": " + ScsiCalls.withoutPath(why, lu.describe());
    }

    private void finish() {
        if (pattern != null) pattern.release();
        if (failure != null) done.completeExceptionally(new CliFailure(failure));
        else done.complete(new PerfResult(options, ios, retries, options.duration(), latency));
    }
}
