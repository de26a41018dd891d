package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.ReadCapacity;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Capacity and logical block provisioning (SBC-3 §4.7): READ CAPACITY 10/16, WRITE SAME 10/16 (with UNMAP and,
 * for the 16-byte form, NDOB), UNMAP and GET LBA STATUS. Whether blocks may be deallocated is the LU's
 * {@code thin} setting (LBPME, LBPU, LBPWS, LBPWS10 all follow it).
 */
final class Provisioning {

    private static final int WS_ANCHOR = 0x10;
    private static final int WS_UNMAP = 0x08;
    private static final int WS_NDOB = 0x01;
    /** UNMAP block descriptor (SBC-3 Table 97). */
    private static final int UNMAP_HEADER = 8;
    private static final int UNMAP_DESCRIPTOR = 16;

    private final BlockDevice device;
    private final Settings settings;
    private final MediumAccess medium;
    private final LbaRangeLock locks;

    Provisioning(BlockDevice device, Settings settings, MediumAccess medium, LbaRangeLock locks) {
        this.device = device;
        this.settings = settings;
        this.medium = medium;
        this.locks = locks;
    }

    /** READ CAPACITY(10): the last LBA saturates at FFFFFFFFh when the medium needs READ CAPACITY(16). */
    byte[] readCapacity10() {
        return ReadCapacity.of(device.blockCount(), device.blockSize()).toBytes10();
    }

    byte[] readCapacity16() {
        return new ReadCapacity(device.blockCount() - 1, device.blockSize(), 0, settings.physicalBlockExponent(),
                settings.thin(), settings.thin() && settings.lbprz(), 0).toBytes16();
    }

    /**
     * WRITE SAME (SBC-3 §5.42): one block of Data-Out written to each block of the range; NUMBER OF LOGICAL
     * BLOCKS 0 means "to the end of the medium" (WSNZ is 0). With UNMAP the device may deallocate instead.
     */
    CompletableFuture<Reply> writeSame(Exchange x) {
        boolean sixteen = x.u8(0) == SbcCommand.WRITE_SAME_16.opcode;
        int flags = x.u8(1);
        long lba = sixteen ? x.u64(2) : x.u32(2);
        long blocks = sixteen ? x.u32(10) : x.u16(7);
        int lengthField = sixteen ? 10 : 7;
        if ((flags & WS_ANCHOR) != 0) throw CheckCondition.invalidField(1, 4);      // ANC_SUP is 0
        boolean unmap = (flags & WS_UNMAP) != 0;
        if (unmap && !settings.thin()) throw CheckCondition.invalidField(1, 3);
        boolean ndob = sixteen && (flags & WS_NDOB) != 0;
        long cap = device.blockCount();
        if (lba < 0 || lba > cap) throw CheckCondition.lbaOutOfRange();
        long count = blocks == 0 ? cap - lba : blocks;
        long max = settings.maximumWriteSameLength();
        if (max > 0 && count > max) throw CheckCondition.invalidField(lengthField, -1);
        medium.checkRange(lba, count);
        medium.checkWritable();
        ByteBuf block;
        if (ndob) {
            x.expectDataOut(0);
            block = null;
        } else {
            if (x.dataOutLength() != device.blockSize()) {
                // exactly one block: more is as wrong as less here (libiscsi WriteSame*.InvalidDataOutSize)
                x.expectDataOut(device.blockSize());
                throw CheckCondition.of(CheckCondition.INVALID_FIELD_IN_INFORMATION_UNIT);
            }
            block = x.takeDataOut(device.blockSize());
        }
        if (count == 0 || unmap) {
            // SBC-3 §4.7.3.4.2: with UNMAP the blocks are deallocated whatever the data (with LBPRZ they then read
            // as zeroes, as libiscsi WriteSame*.Unmap* checks after sending 0xFF blocks)
            if (block != null) block.release();
            if (count == 0) return CompletableFuture.completedFuture(Reply.good());
        }
        return locks.acquire(lba, count, false).thenCompose(hold -> (unmap ? device.unmap(lba, count)
                : device.writeSame(lba, count, block, false)).whenComplete((v, e) -> hold.release()))
                .thenApply(v -> Reply.good());
    }

    /**
     * UNMAP (SBC-3 §5.28): every descriptor is checked before anything is deallocated — the descriptor count
     * against MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT, each length against MAXIMUM UNMAP LBA COUNT (both INVALID FIELD
     * IN PARAMETER LIST), each range against the capacity (LBA OUT OF RANGE).
     */
    CompletableFuture<Reply> unmap(Exchange x) {
        if ((x.u8(1) & 0x01) != 0) throw CheckCondition.invalidField(1, 0);            // ANCHOR
        int length = x.u16(7);
        if (length == 0) return CompletableFuture.completedFuture(Reply.good());
        if (length < UNMAP_HEADER) throw CheckCondition.parameterListLength(7);
        medium.checkWritable();
        ByteBuf p = x.takeDataOut(length);
        List<long[]> ranges;
        try {
            ranges = descriptors(p, length);
        } finally {
            p.release();
        }
        if (ranges.isEmpty()) return CompletableFuture.completedFuture(Reply.good());
        long first = Long.MAX_VALUE;
        long end = 0;
        for (long[] r : ranges) {
            first = Math.min(first, r[0]);
            end = Math.max(end, r[0] + r[1]);
        }
        // one hold over the union: holds taken one by one could deadlock against an exclusive waiter
        return locks.acquire(first, end - first, false).thenCompose(hold -> {
            List<CompletableFuture<Void>> all = new ArrayList<>(ranges.size());
            for (long[] r : ranges) all.add(device.unmap(r[0], r[1]));
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .whenComplete((v, e) -> hold.release());
        }).thenApply(v -> Reply.good());
    }

    /** The non-empty ranges of an UNMAP parameter list, all checked. */
    private List<long[]> descriptors(ByteBuf p, int length) {
        int at = p.readerIndex();
        int described = p.getUnsignedShort(at + 2);
        int count = Math.min(described, length - UNMAP_HEADER) / UNMAP_DESCRIPTOR;
        if (count > settings.maximumUnmapDescriptors()) throw CheckCondition.invalidParameter(2, -1);
        long cap = device.blockCount();
        List<long[]> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int d = UNMAP_HEADER + i * UNMAP_DESCRIPTOR;
            long lba = p.getLong(at + d);
            long blocks = p.getUnsignedInt(at + d + 8);
            if (blocks > settings.maximumUnmapLbaCount()) throw CheckCondition.invalidParameter(d + 8, -1);
            if (lba < 0 || lba > cap || blocks > cap - lba) throw CheckCondition.lbaOutOfRange();
            if (blocks > 0) ranges.add(new long[] {lba, blocks});
        }
        return ranges;
    }

    /**
     * GET LBA STATUS (SBC-3 §5.6): one descriptor from the starting LBA to the end of the medium (at most
     * FFFFFFFFh blocks), "mapped or unknown" — {@link BlockDevice} cannot say which blocks are deallocated.
     */
    byte[] getLbaStatus(Exchange x) {
        long lba = x.u64(2);
        long cap = device.blockCount();
        if (lba < 0 || lba >= cap) throw CheckCondition.lbaOutOfRange();
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putInt(20).putInt(0);
        b.putLong(lba).putInt((int) Math.min(cap - lba, 0xFFFF_FFFFL));
        b.put((byte) 0);                                    // PROVISIONING STATUS 0: mapped (or unknown)
        return b.array();
    }
}
