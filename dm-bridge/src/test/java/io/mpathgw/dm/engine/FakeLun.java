package io.mpathgw.dm.engine;

import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One LU seen through several fake paths: every {@link Port} is a {@link ScsiTransport} onto the same
 * {@link MemoryBlockDevice}, executing READ(16), WRITE(16), SYNCHRONIZE CACHE(16), WRITE SAME(16) and UNMAP. A port
 * answers each command with the next scripted {@link Outcome} (then: execute it), after {@link #SERVICE_MS} virtual
 * ms on the map's thread. Each port records the commands it received and checks the transport's buffer rules: it
 * owns every Data-Out buffer and releases it once, and a Data-Out buffer object is never handed to two commands.
 */
final class FakeLun implements AutoCloseable {

    static final long SERVICE_MS = 1;

    final MemoryBlockDevice disk;
    private final VirtualMapThread thread;
    private final List<ByteBuf> everyDataOut = new ArrayList<>();

    FakeLun(VirtualMapThread thread, int blockSize, long blocks) {
        this.thread = thread;
        this.disk = new MemoryBlockDevice(blockSize, blocks);
    }

    Port port(String name) {
        return new Port(name);
    }

    /** Data-Out buffers every port received, still referenced by anyone (should be none once I/O is done). */
    long liveDataOut() {
        return everyDataOut.stream().filter(b -> b.refCnt() > 0).count();
    }

    @Override
    public void close() {
        disk.close();
    }

    /** What a port does with one command. */
    interface Outcome {
        /** Executes the command against the disk (the default). */
        Outcome EXECUTE = (port, cmd, f) -> port.execute(cmd, f);
        /** The command is never answered until {@link Port#releaseHeld()}: a slow device. */
        Outcome HOLD = (port, cmd, f) -> port.held.add(() -> port.execute(cmd, f));

        void answer(Port port, ScsiCommand cmd, CompletableFuture<ScsiResponse> f);

        static Outcome fail(TransportException.Kind kind) {
            return (port, cmd, f) -> f.completeExceptionally(new TransportException(kind, "scripted on " + port.name));
        }

        static Outcome check(Sense sense) {
            return (port, cmd, f) -> f.complete(new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense,
                    Unpooled.EMPTY_BUFFER, 0, false, false));
        }

        static Outcome status(int status) {
            return (port, cmd, f) -> f.complete(new ScsiResponse(status, null, Unpooled.EMPTY_BUFFER, 0, false, false));
        }

        /** Executes the command, then reports CHECK CONDITION with {@code sense} (a recovered error, say). */
        static Outcome executeWithSense(Sense sense) {
            return (port, cmd, f) -> {
                CompletableFuture<ScsiResponse> good = new CompletableFuture<>();
                port.execute(cmd, good);
                good.thenAccept(r -> f.complete(new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense, r.data(), 0,
                        false, false)));
            };
        }

        /** Queue depth reached: the transport refuses the command (back-pressure). */
        static Outcome reject() {
            return (port, cmd, f) -> f.completeExceptionally(new RejectedExecutionException("queue full"));
        }

        /** Answers after {@code ms} more virtual ms, as {@code then} would. */
        static Outcome delay(long ms, Outcome then) {
            return (port, cmd, f) -> port.thread().schedule(() -> then.answer(port, cmd, f), ms);
        }

        /** The connection sent part of the Data-Out (moving its reader index) before it dropped. */
        static Outcome partlySentThenLost() {
            return (port, cmd, f) -> {
                ByteBuf d = cmd.dataOut();
                if (d != null) d.skipBytes(d.readableBytes() / 2);
                f.completeExceptionally(new TransportException(TransportException.Kind.CONNECTION_LOST,
                        "connection reset on " + port.name));
            };
        }
    }

    /** One path onto the LU. */
    final class Port implements ScsiTransport {
        final String name;
        private final Deque<Outcome> script = new ArrayDeque<>();
        private final List<String> received = new ArrayList<>();
        private final List<Runnable> held = new ArrayList<>();

        Port(String name) {
            this.name = name;
        }

        VirtualMapThread thread() {
            return thread;
        }

        /** The next commands get these outcomes, in order; then they execute. */
        Port then(Outcome... outcomes) {
            script.addAll(List.of(outcomes));
            return this;
        }

        /** Commands received, as "READ lba 8 blocks 2"… in arrival order. */
        List<String> received() {
            return received;
        }

        /** Drops the outcomes not used yet: later commands execute. */
        void clearScript() {
            script.clear();
        }

        void releaseHeld() {
            List<Runnable> h = new ArrayList<>(held);
            held.clear();
            h.forEach(r -> thread.schedule(r, SERVICE_MS));
        }

        @Override
        public CompletableFuture<ScsiResponse> submit(ScsiCommand cmd) {
            ByteBuf d = cmd.dataOut();
            if (d != null) {
                for (ByteBuf seen : everyDataOut)
                    if (seen == d) throw new AssertionError(name + ": a Data-Out buffer object was sent twice");
                everyDataOut.add(d);
            }
            received.add(describe(cmd.cdb()));
            CompletableFuture<ScsiResponse> f = new CompletableFuture<>();
            // a transport releases Data-Out exactly once whatever happens
            f.whenComplete((r, e) -> {
                if (d != null) d.release();
            });
            Outcome o = script.isEmpty() ? Outcome.EXECUTE : script.poll();
            thread.schedule(() -> o.answer(this, cmd, f), SERVICE_MS);
            return f;
        }

        @Override
        public String describe() {
            return "fake " + name;
        }

        /** Runs the command against the disk; its Data-Out is read without moving its indexes. */
        void execute(ScsiCommand cmd, CompletableFuture<ScsiResponse> f) {
            byte[] c = cmd.cdb();
            int op = Cdb.opcode(c);
            long lba = c.length == 16 ? Unpooled.wrappedBuffer(c).getLong(2) : 0;
            long blocks = c.length == 16 ? Unpooled.wrappedBuffer(c).getUnsignedInt(10) : 0;
            CompletableFuture<?> done = switch (op) {
                case Cdb.READ_16 -> disk.read(lba, (int) blocks);
                case Cdb.WRITE_16 -> disk.write(lba, cmd.dataOut().retainedDuplicate(), false);
                case Cdb.SYNCHRONIZE_CACHE_16 -> disk.flush();
                case Cdb.WRITE_SAME_16 -> disk.writeSame(lba, blocks,
                        cmd.dataOut() == null ? null : cmd.dataOut().retainedDuplicate(), (c[1] & 0x08) != 0);
                case Cdb.UNMAP -> unmap(cmd.dataOut());
                default -> CompletableFuture.failedFuture(new IllegalStateException("opcode " + op));
            };
            done.whenComplete((v, e) -> {
                if (e != null) {
                    Sense s = e instanceof io.mpathgw.scsi.BlockDeviceException bde ? bde.sense()
                            : Sense.INVALID_OPERATION_CODE;
                    f.complete(new ScsiResponse(ScsiResponse.CHECK_CONDITION, s, Unpooled.EMPTY_BUFFER, 0, false, false));
                } else {
                    ByteBuf data = v instanceof ByteBuf b ? b : Unpooled.EMPTY_BUFFER;
                    if (!f.complete(ScsiResponse.good(data))) data.release();
                }
            });
        }

        private CompletableFuture<Void> unmap(ByteBuf list) {
            int at = list.readerIndex();
            int descriptors = (list.getUnsignedShort(at + 2)) / 16;
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (int i = 0; i < descriptors; i++) {
                long lba = list.getLong(at + 8 + 16 * i);
                long n = list.getUnsignedInt(at + 16 + 16 * i);
                all = all.thenCompose(v -> disk.unmap(lba, n));
            }
            return all;
        }

        private String describe(byte[] c) {
            ByteBuf b = Unpooled.wrappedBuffer(c);
            return switch (Cdb.opcode(c)) {
                case Cdb.READ_16 -> "READ lba " + b.getLong(2) + " blocks " + b.getUnsignedInt(10);
                case Cdb.WRITE_16 -> "WRITE lba " + b.getLong(2) + " blocks " + b.getUnsignedInt(10)
                        + ((c[1] & 0x08) != 0 ? " fua" : "");
                case Cdb.SYNCHRONIZE_CACHE_16 -> "SYNCHRONIZE CACHE";
                case Cdb.WRITE_SAME_16 -> "WRITE SAME lba " + b.getLong(2) + " blocks " + b.getUnsignedInt(10)
                        + ((c[1] & 0x08) != 0 ? " unmap" : "") + ((c[1] & 0x01) != 0 ? " ndob" : "");
                case Cdb.UNMAP -> "UNMAP";
                default -> String.format("opcode 0x%02x", c[0] & 0xff);
            };
        }
    }
}
