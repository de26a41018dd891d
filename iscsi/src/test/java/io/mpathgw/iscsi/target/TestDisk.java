package io.mpathgw.iscsi.target;

import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny test-only disk until the SBC emulation lands: INQUIRY (standard, VPD 00/80/83), TEST UNIT READY,
 * READ CAPACITY 10/16, READ and WRITE 10/12/16, WRITE AND VERIFY 10/12/16, SYNCHRONIZE CACHE, over a
 * {@link MemoryBlockDevice}. Write residuals follow FCP-4 a) as libiscsi's tests expect. A gate can hold every command until released, to test aborts, resets and reinstatement.
 */
final class TestDisk implements LogicalUnit {

    final BlockDevice device;
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger executed = new AtomicInteger();
    final List<Nexus> nexuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String serial;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    TestDisk(int blockSize, long blocks, String serial) {
        this.device = new MemoryBlockDevice(blockSize, blocks);
        this.serial = serial;
    }

    /** Frees the memory store (its chunks are pooled buffers). */
    void dispose() {
        ((MemoryBlockDevice) device).close();
    }

    /** Commands from now on wait until {@link #open()}. */
    void close() {
        gate = new CompletableFuture<>();
    }

    void open() {
        gate.complete(null);
    }

    @Override
    public void nexusAdded(Nexus nexus) {
        nexuses.add(nexus);
    }

    @Override
    public void nexusRemoved(Nexus nexus) {
        nexuses.remove(nexus);
    }

    @Override
    public void reset(Nexus from) {
        resets.incrementAndGet();
    }

    @Override
    public CompletableFuture<ScsiResponse> execute(ScsiTask task) {
        executed.incrementAndGet();
        return gate.thenCompose(v -> run(task)).exceptionally(TestDisk::failed);
    }

    private CompletableFuture<ScsiResponse> run(ScsiTask t) {
        byte[] c = t.cdb();
        int op = c[0] & 0xff;
        return switch (op) {
            case 0x00, 0x35, 0x91 -> release(t, good(Unpooled.EMPTY_BUFFER));       // TUR, SYNCHRONIZE CACHE 10/16
            case 0x12 -> release(t, inquiry(c));
            case 0x25 -> release(t, good(Unpooled.buffer(8).writeInt((int) Math.min(0xffffffffL, device.blockCount() - 1))
                    .writeInt(device.blockSize())));
            case 0x9e -> release(t, (c[1] & 0x1f) == 0x10 ? good(Unpooled.buffer(32).writeLong(device.blockCount() - 1)
                    .writeInt(device.blockSize()).writeZero(20)) : check(Sense.INVALID_OPERATION_CODE));
            case 0x28 -> read(t, u32(c, 2), u16(c, 7));
            case 0xa8 -> read(t, u32(c, 2), u32(c, 6));
            case 0x88 -> read(t, u64(c, 2), u32(c, 10));
            case 0x2a, 0x2e -> write(t, u32(c, 2), u16(c, 7));
            case 0xaa, 0xae -> write(t, u32(c, 2), u32(c, 6));
            case 0x8a, 0x8e -> write(t, u64(c, 2), u32(c, 10));
            default -> release(t, check(Sense.INVALID_OPERATION_CODE));
        };
    }

    private CompletableFuture<ScsiResponse> read(ScsiTask t, long lba, long blocks) {
        if (t.dataOut() != null) t.dataOut().release();      // a READ sent with the W bit (libiscsi does): ours to drop
        if (lba + blocks > device.blockCount()) return CompletableFuture.completedFuture(check(Sense.LBA_OUT_OF_RANGE));
        return device.read(lba, (int) blocks).thenApply(TestDisk::good);
    }

    /**
     * FCP-4 a), as libiscsi 1.19's residual tests expect: only whole blocks inside the EDTL are written; EDTL
     * beyond the CDB's transfer length is underflow, short of it overflow, both with GOOD status.
     */
    private CompletableFuture<ScsiResponse> write(ScsiTask t, long lba, long blocks) {
        int bs = device.blockSize();
        long needed = blocks * bs;
        int got = t.dataOut() == null ? 0 : t.dataOut().readableBytes();
        if (lba + blocks > device.blockCount()) return release(t, check(Sense.LBA_OUT_OF_RANGE));
        int writable = (int) Math.min(needed, got - got % bs);
        int residual = (int) Math.abs(got - needed);
        boolean under = got > needed, over = got < needed;
        ScsiResponse done = new ScsiResponse(ScsiResponse.GOOD, null, Unpooled.EMPTY_BUFFER, residual, under, over);
        if (writable == 0) return release(t, done);
        ByteBuf data = t.dataOut().retainedSlice(t.dataOut().readerIndex(), writable);
        t.dataOut().release();
        return device.write(lba, data, false).thenApply(v -> done);
    }

    private ScsiResponse inquiry(byte[] c) {
        int page = c[2] & 0xff;
        if ((c[1] & 1) == 0) {
            if (page != 0) return check(Sense.INVALID_FIELD_IN_CDB);
            ByteBuf b = Unpooled.buffer(36);
            b.writeByte(0).writeByte(0).writeByte(0x06).writeByte(0x02).writeByte(31).writeByte(0).writeByte(0).writeByte(0x02);
            b.writeCharSequence("MPATHGW TEST DISK       0001", StandardCharsets.US_ASCII);
            return good(b);
        }
        ByteBuf b = Unpooled.buffer(64);
        switch (page) {
            case 0x00 -> b.writeByte(0).writeByte(0).writeShort(3).writeByte(0x00).writeByte(0x80).writeByte(0x83);
            case 0x80 -> b.writeByte(0).writeByte(0x80).writeShort(serial.length()).writeCharSequence(serial, StandardCharsets.US_ASCII);
            case 0x83 -> {
                byte[] id = ("MPATHGW " + serial).getBytes(StandardCharsets.US_ASCII);   // T10 vendor ID designator
                b.writeByte(0).writeByte(0x83).writeShort(4 + id.length)
                        .writeByte(0x02).writeByte(0x01).writeByte(0).writeByte(id.length).writeBytes(id);
            }
            default -> {
                b.release();
                return check(Sense.INVALID_FIELD_IN_CDB);
            }
        }
        return good(b);
    }

    private static CompletableFuture<ScsiResponse> release(ScsiTask t, ScsiResponse r) {
        if (t.dataOut() != null && t.dataOut().refCnt() > 0) t.dataOut().release();
        return CompletableFuture.completedFuture(r);
    }

    private static ScsiResponse failed(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return check(c instanceof BlockDeviceException b ? b.sense() : Sense.INTERNAL_TARGET_FAILURE);
    }

    static ScsiResponse good(ByteBuf data) {
        return ScsiResponse.good(data);
    }

    static ScsiResponse check(Sense sense) {
        return new ScsiResponse(ScsiResponse.CHECK_CONDITION, sense, Unpooled.EMPTY_BUFFER, 0, false, false);
    }

    private static long u32(byte[] c, int at) {
        return ((c[at] & 0xffL) << 24) | ((c[at + 1] & 0xff) << 16) | ((c[at + 2] & 0xff) << 8) | (c[at + 3] & 0xff);
    }

    private static long u16(byte[] c, int at) {
        return ((c[at] & 0xff) << 8) | (c[at + 1] & 0xff);
    }

    private static long u64(byte[] c, int at) {
        return u32(c, at) << 32 | u32(c, at + 4);
    }
}
