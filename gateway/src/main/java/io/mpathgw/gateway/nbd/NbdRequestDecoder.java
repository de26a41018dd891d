package io.mpathgw.gateway.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the transmission phase's byte stream into {@link NbdRequest}s: a 28-byte header, then for NBD_CMD_WRITE its
 * payload as a retained slice of the received buffer (no copy). One per connection; never shared.
 *
 * <p>Back-pressure: before each request it asks {@link NbdTransmission#mayDecode()}; while that says no, the rest
 * stays in the buffer, reading from the socket is off, and nothing more is taken in. Unlike the base class this
 * decoder never asks the socket for more on its own while auto-read is off (its {@link #channelReadComplete}).
 *
 * <p>A write longer than the maximum payload is answered with EINVAL and its payload skipped as it arrives, never
 * buffered. A request with a wrong magic closes the connection: nothing after it can be framed.
 */
final class NbdRequestDecoder extends ByteToMessageDecoder {

    private final NbdTransmission transmission;
    private final int maxPayload;
    /** Bytes of a too-long write's payload still to skip. */
    private long discarding;

    NbdRequestDecoder(NbdTransmission transmission, int maxPayload) {
        this.transmission = transmission;
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding > 0) {
            int n = (int) Math.min(discarding, in.readableBytes());
            in.skipBytes(n);
            discarding -= n;
            if (discarding > 0) return;
        }
        if (in.readableBytes() < Nbd.REQUEST_HEADER || !transmission.mayDecode()) return;
        int at = in.readerIndex();
        int magic = in.getInt(at);
        if (magic != Nbd.NBD_REQUEST_MAGIC) {
            transmission.badMagic(magic);
            in.skipBytes(in.readableBytes());
            return;
        }
        int flags = in.getUnsignedShort(at + 4);
        int type = in.getUnsignedShort(at + 6);
        long handle = in.getLong(at + 8);
        long offset = in.getLong(at + 16);
        long length = in.getUnsignedInt(at + 24);
        if (type != Nbd.NBD_CMD_WRITE) {
            in.skipBytes(Nbd.REQUEST_HEADER);
            out.add(new NbdRequest(flags, type, handle, offset, length, null, false));
        } else if (length > maxPayload) {
            in.skipBytes(Nbd.REQUEST_HEADER);
            discarding = length;
            out.add(new NbdRequest(flags, type, handle, offset, length, null, true));
        } else if (in.readableBytes() >= Nbd.REQUEST_HEADER + length) {
            in.skipBytes(Nbd.REQUEST_HEADER);
            out.add(new NbdRequest(flags, type, handle, offset, length, in.readRetainedSlice((int) length), false));
        }
    }

    /** Does not ask for another read while auto-read is off (the base class would, and so buffer without bound). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }
}
