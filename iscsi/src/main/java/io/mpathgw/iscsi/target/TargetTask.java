package io.mpathgw.iscsi.target;

import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.collection.IntObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One SCSI command inside the target, from its SCSI Command PDU to its response: the Data-Out collected so far
 * (immediate data, the unsolicited burst, each R2T's sequence), the R2Ts outstanding, and how it ended. Event
 * loop only.
 */
final class TargetTask {

    /** One outstanding R2T (RFC 7143 §11.8) and the Data-Out sequence answering it. */
    static final class R2t {
        final int ttt, offset, length;
        int received, nextDataSn;

        R2t(int ttt, int offset, int length) {
            this.ttt = ttt;
            this.offset = offset;
            this.length = length;
        }
    }

    private record Piece(int offset, ByteBuf data) {
    }

    final int itt;
    final int cmdSn;
    final boolean immediate;
    final long lunField;
    final int lun;                 // -1 when the LUN field is not a single-level LUN we decode
    final LogicalUnit lu;          // null: no such LUN
    final byte[] cdb;
    final int edtl;
    final boolean read, write;

    final IntObjectHashMap<R2t> r2ts = new IntObjectHashMap<>(8);
    final ArrayDeque<int[]> holes = new ArrayDeque<>(1);
    private final List<Piece> pieces = new ArrayList<>(4);
    private boolean outOfOrder;
    private int lastEnd;
    int received;                  // Data-Out bytes in hand (or discarded after a digest error)
    int unsolicitedEnd;            // end of the unsolicited burst: immediate data + unsolicited Data-Out
    int unsolicitedNext;           // offset the next unsolicited Data-Out must carry
    int unsolicitedDataSn;
    boolean unsolicitedOpen;       // the command had F=0: unsolicited Data-Out follows
    int nextR2tOffset;             // start of the next range to ask for
    int r2tSn;
    int dataSn;                    // Data-In PDUs sent (ExpDataSN of the response)
    Sense failure;                 // set when the data phase went wrong: answered once the data is in
    boolean executing, aborted;

    TargetTask(int itt, int cmdSn, boolean immediate, long lunField, int lun, LogicalUnit lu, byte[] cdb, int edtl,
               boolean read, boolean write) {
        this.itt = itt;
        this.cmdSn = cmdSn;
        this.immediate = immediate;
        this.lunField = lunField;
        this.lun = lun;
        this.lu = lu;
        this.cdb = cdb;
        this.edtl = edtl;
        this.read = read;
        this.write = write;
    }

    /** Bytes of Data-Out the command needs before it can run. */
    int dataOutLength() {
        return write ? edtl : 0;
    }

    /** Whether every Data-Out byte is in and no sequence is still open. */
    boolean dataComplete() {
        return received == dataOutLength() && r2ts.isEmpty() && !unsolicitedOpen && holes.isEmpty()
                && nextR2tOffset >= dataOutLength();
    }

    /** Keeps {@code data} (owned from now on) for offset {@code offset}. */
    void add(int offset, ByteBuf data) {
        if (offset != lastEnd) outOfOrder = true;
        lastEnd = offset + data.readableBytes();
        pieces.add(new Piece(offset, data));
    }

    /**
     * The Data-Out as one buffer, no copy: the single piece itself, or a composite of all pieces in offset order.
     * The caller owns the result; the task no longer holds any piece.
     */
    ByteBuf assemble(ByteBufAllocator alloc) {
        if (outOfOrder) pieces.sort(Comparator.comparingInt(Piece::offset));
        if (pieces.size() == 1) {
            ByteBuf only = pieces.get(0).data();
            pieces.clear();
            return only;
        }
        CompositeByteBuf all = alloc.compositeBuffer(Math.max(2, pieces.size()));
        for (Piece p : pieces) all.addComponent(true, p.data());
        pieces.clear();
        return all;
    }

    void releaseData() {
        for (Piece p : pieces) p.data().release();
        pieces.clear();
    }

    String describe() {
        return String.format("ITT 0x%08x CmdSN %d, CDB opcode 0x%02x, LUN %d, EDTL %d", itt, cmdSn,
                cdb.length > 0 ? cdb[0] & 0xff : -1, lun, edtl);
    }
}
