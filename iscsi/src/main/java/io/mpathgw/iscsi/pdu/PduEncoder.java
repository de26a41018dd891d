package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes a {@link Pdu} as up to three buffers: header (+ header digest), the data segment itself (not copied),
 * and a trailer of padding (+ data digest). Netty gathers them into one writev. One per connection, sharing
 * the connection's {@link Digests} with its decoder.
 */
public final class PduEncoder extends MessageToMessageEncoder<Pdu> {

    private static final byte[] ZEROS = new byte[4];
    private final Digests digests;

    public PduEncoder(Digests digests) {
        super(Pdu.class);
        this.digests = digests;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
        ByteBuf header = pdu.header();
        ByteBuf data = pdu.data();
        int dsl = data.readableBytes();
        pdu.bhs().dataSegmentLength(dsl);
        if (digests.headerEnabled()) {
            int crc = Digests.crc32c(header, header.readerIndex(), header.readableBytes());
            ByteBuf h = ctx.alloc().buffer(header.readableBytes() + 4);
            h.writeBytes(header, header.readerIndex(), header.readableBytes()).writeIntLE(crc);
            out.add(h);
        } else {
            out.add(header.retain());
        }
        if (dsl == 0) return;
        out.add(data.retain());
        int pad = -dsl & 3;
        int dd = digests.data(dsl);
        if (pad + dd > 0) {
            ByteBuf trailer = ctx.alloc().buffer(pad + dd);
            trailer.writeBytes(ZEROS, 0, pad);
            if (dd > 0) trailer.writeIntLE(Digests.crc32cPadded(data, data.readerIndex(), dsl, pad));
            out.add(trailer);
        }
        // MessageToMessageEncoder releases the Pdu after encode(); we retained what we forward.
    }

    /** Encodes into one buffer (tests, fuzzing and tools); the caller owns the result. */
    public static ByteBuf encodeToBuffer(Pdu pdu, Digests digests) {
        ByteBuf header = pdu.header();
        ByteBuf data = pdu.data();
        int dsl = data.readableBytes();
        pdu.bhs().dataSegmentLength(dsl);
        int pad = -dsl & 3;
        ByteBuf out = header.alloc().buffer(header.readableBytes() + 4 + dsl + pad + 4);
        out.writeBytes(header, header.readerIndex(), header.readableBytes());
        if (digests.headerEnabled()) out.writeIntLE(Digests.crc32c(header, header.readerIndex(), header.readableBytes()));
        if (dsl > 0) {
            out.writeBytes(data, data.readerIndex(), dsl).writeBytes(ZEROS, 0, pad);
            if (digests.data(dsl) > 0) out.writeIntLE(Digests.crc32cPadded(data, data.readerIndex(), dsl, pad));
        }
        return out;
    }

    @Override
    public boolean isSharable() {
        return false;
    }
}
