package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * One iSCSI PDU: its Basic Header Segment, its Additional Header Segments and its data segment (without padding
 * or digests, which exist only on the wire). A decoded PDU holds slices of the received frame; a PDU built for
 * sending holds a freshly allocated header and the caller's data buffer.
 *
 * <p>Ownership: the PDU owns {@link #header()} (BHS followed by AHS) and {@link #data()}; {@link #release()}
 * releases both. Sending a PDU through the pipeline passes its ownership to Netty.
 */
public final class Pdu extends AbstractReferenceCounted {

    private final ByteBuf header;        // BHS (48 bytes) followed by TotalAHSLength*4 bytes of AHS
    private final ByteBuf data;
    private final Bhs bhs;

    /** Wraps a received header and data segment; takes ownership of both. */
    public Pdu(ByteBuf header, ByteBuf data) {
        this.header = header;
        this.data = data;
        this.bhs = new Bhs(header);
    }

    /** A new outgoing PDU of {@code opcode} with a zeroed BHS, no AHS, and {@code data} (owned from now on). */
    public static Pdu create(ByteBufAllocator alloc, Opcode opcode, ByteBuf data) {
        ByteBuf h = alloc.buffer(Bhs.LENGTH);
        h.writeZero(Bhs.LENGTH);
        Pdu pdu = new Pdu(h, data == null ? Unpooled.EMPTY_BUFFER : data);
        pdu.bhs.opcode(opcode).dataSegmentLength(pdu.data.readableBytes());
        return pdu;
    }

    public static Pdu create(Opcode opcode, ByteBuf data) {
        return create(ByteBufAllocator.DEFAULT, opcode, data);
    }

    /**
     * A new outgoing PDU whose header carries {@code ahs} (a multiple of 4 bytes, copied: AHS is small) after
     * the BHS; TotalAHSLength is set from it.
     */
    public static Pdu create(ByteBufAllocator alloc, Opcode opcode, ByteBuf data, byte[] ahs) {
        if (ahs.length % 4 != 0 || ahs.length > 255 * 4)
            throw new IllegalArgumentException("AHS length: " + ahs.length + " (expected: multiple of 4, <= 1020)");
        ByteBuf h = alloc.buffer(Bhs.LENGTH + ahs.length);
        h.writeZero(Bhs.LENGTH).writeBytes(ahs);
        Pdu pdu = new Pdu(h, data == null ? Unpooled.EMPTY_BUFFER : data);
        pdu.bhs.opcode(opcode).totalAhsLength(ahs.length / 4).dataSegmentLength(pdu.data.readableBytes());
        return pdu;
    }

    public Bhs bhs() {
        return bhs;
    }

    public Opcode opcode() {
        return bhs.opcode();
    }

    /** BHS followed by AHS; readable bytes are exactly the header. */
    public ByteBuf header() {
        return header;
    }

    /** The AHS bytes (a slice of the header; do not release separately). */
    public ByteBuf ahs() {
        return header.slice(header.readerIndex() + Bhs.LENGTH, header.readableBytes() - Bhs.LENGTH);
    }

    /** The data segment, without padding or digest. */
    public ByteBuf data() {
        return data;
    }

    @Override
    protected void deallocate() {
        header.release();
        data.release();
    }

    @Override
    public Pdu touch(Object hint) {
        header.touch(hint);
        data.touch(hint);
        return this;
    }

    @Override
    public Pdu retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return bhs.toString();
    }

    /** Releases {@code o} if it is reference counted; convenience for cold error paths. */
    static void releaseQuietly(ReferenceCounted o) {
        if (o != null && o.refCnt() > 0) o.release();
    }
}
