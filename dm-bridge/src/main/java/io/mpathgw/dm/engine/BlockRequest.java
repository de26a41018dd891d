package io.mpathgw.dm.engine;

import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ParameterList;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@link MultipathBlockDevice} request on its way through the map: the SCSI command each attempt sends, and the
 * client's future, completed exactly once by {@link #complete} on the map thread.
 *
 * <p>Buffers: the request owns {@code data} (a write's or write-same's block) from construction to completion and
 * releases it exactly once there, whatever the outcome; each attempt sends a retained duplicate that its transport
 * owns. A read's data is the GOOD response's buffer, handed to the client on completion.
 */
final class BlockRequest implements ScsiRequest {

    enum Op { READ, WRITE, FLUSH, UNMAP, WRITE_SAME }

    /** UNMAP block descriptors hold at most 2^32 - 1 blocks each; one parameter list at most 4091 of them. */
    private static final long DESCRIPTOR_BLOCKS = 0xFFFF_FFFFL;
    static final long MAX_UNMAP_BLOCKS = DESCRIPTOR_BLOCKS * ((0xFFFF - 8) / 16);

    private final MultipathBlockDevice dev;
    private final Op op;
    private final long lba;
    private final long blocks;
    private final boolean flag;         // FUA for a write, UNMAP for a write-same
    private ByteBuf data;
    private final CompletableFuture<?> future;
    // set by the attempt that ends the request, read on the map thread after the hop (happens-before via execute)
    private volatile ByteBuf readData;
    private volatile int scsiStatus = -1;
    private volatile Sense sense;
    private volatile String cause;
    private boolean completed;

    BlockRequest(MultipathBlockDevice dev, Op op, long lba, long blocks, ByteBuf data, boolean flag,
                 CompletableFuture<?> future) {
        this.dev = dev;
        this.op = op;
        this.lba = lba;
        this.blocks = blocks;
        this.data = data;
        this.flag = flag;
        this.future = future;
    }

    @Override
    public long nrBytes() {
        return op == Op.FLUSH ? 0 : blocks * dev.blockSize();
    }

    @Override
    public ReqOp op() {
        return switch (op) {
            case READ -> ReqOp.READ;
            case WRITE -> ReqOp.WRITE;
            case FLUSH -> ReqOp.FLUSH;
            case UNMAP -> ReqOp.DISCARD;
            case WRITE_SAME -> ReqOp.WRITE_SAME;
        };
    }

    @Override
    public ScsiCommand command() {
        return switch (op) {
            case READ -> ScsiCommand.read(Cdb.read16(lba, blocks), Math.toIntExact(blocks * dev.blockSize()));
            case WRITE -> {
                byte[] cdb = Cdb.write16(lba, blocks, flag);
                yield ScsiCommand.write(cdb, data.retainedDuplicate());        // this attempt's own reference
            }
            case FLUSH -> ScsiCommand.none(Cdb.synchronizeCache16(0, 0, false));
            case UNMAP -> {
                byte[] list = ParameterList.unmap(descriptors());
                yield ScsiCommand.write(Cdb.unmap(list.length), Unpooled.wrappedBuffer(list));
            }
            case WRITE_SAME -> data == null
                    ? ScsiCommand.none(Cdb.writeSame16(lba, blocks, flag, true))
                    : ScsiCommand.write(Cdb.writeSame16(lba, blocks, flag, false), data.retainedDuplicate());
        };
    }

    private List<ParameterList.UnmapDescriptor> descriptors() {
        List<ParameterList.UnmapDescriptor> d = new ArrayList<>();
        for (long at = lba, left = blocks; left > 0; ) {
            long n = Math.min(left, DESCRIPTOR_BLOCKS);
            d.add(new ParameterList.UnmapDescriptor(at, n));
            at += n;
            left -= n;
        }
        return d;
    }

    @Override
    public String succeeded(ScsiResponse response) {
        if (op != Op.READ) {
            response.release();
            return null;
        }
        long expected = blocks * dev.blockSize();
        if (response.data().readableBytes() != expected) {
            String why = "short read: " + response.data().readableBytes() + " of " + expected + " bytes";
            response.release();
            return why;
        }
        readData = response.data();
        return null;
    }

    @Override
    public void failed(BlkStatus status, int scsiStatus, Sense sense, String cause) {
        this.scsiStatus = scsiStatus;
        this.sense = sense;
        this.cause = cause;
    }

    /** The map's verdict: OK, the LU's error, or a path error when no path could carry the request. */
    @Override
    @SuppressWarnings("unchecked")
    public void complete(BlkStatus status) {
        if (completed) throw new IllegalStateException("request completed twice: " + this);
        completed = true;
        releaseData();
        dev.completed();
        if (status == BlkStatus.OK) {
            ByteBuf out = op == Op.READ ? readData : null;
            if (!((CompletableFuture<Object>) future).complete(out) && out != null) out.release();    // cancelled
            return;
        }
        ByteBuf stray = readData;
        if (stray != null) stray.release();
        future.completeExceptionally(error(status));
    }

    /** Completes the request before it reached the map (not admitted, or the map thread is gone). */
    void reject(Throwable e) {
        completed = true;
        releaseData();
        future.completeExceptionally(e);
    }

    private Throwable error(BlkStatus status) {
        String what = this + ": " + status + (cause != null ? ", " + cause : "");
        if (!status.isPathError()) return new BlockDeviceException(deviceStatus(), sense, what);
        String why = cause != null ? what : what + ", no usable path and queue_if_no_path off";
        TransportException.Kind kind = status == BlkStatus.TIMEOUT ? TransportException.Kind.TIMEOUT
                : TransportException.Kind.CONNECTION_LOST;
        return new TransportException(kind, "map " + dev.map().name() + ": " + why);
    }

    /** The status the LU answered (RESERVATION CONFLICT…); CHECK CONDITION for an error no answer carried. */
    private int deviceStatus() {
        int s = scsiStatus;
        return s < 0 || s == ScsiResponse.GOOD || s == ScsiResponse.CONDITION_MET ? ScsiResponse.CHECK_CONDITION : s;
    }

    private void releaseData() {
        ByteBuf d = data;
        data = null;
        if (d != null) d.release();
    }

    @Override
    public String toString() {
        return op + " lba " + lba + " blocks " + blocks;
    }
}
