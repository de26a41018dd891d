package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the byte stream into whole PDUs (RFC 7143 §11.2), checks header and data digests, and hands each PDU on
 * as retained slices of the received bytes: no copy of the data segment. One per connection; never shared.
 *
 * <p>Throws {@link IscsiProtocolException} (wrapped by Netty in a DecoderException) naming the field and value
 * when a frame is malformed; the connection handler drops the connection on it. After an error the decoder
 * discards all further input, since framing is lost.
 */
public final class PduFrameDecoder extends ByteToMessageDecoder {

    private final Digests digests;
    private final boolean fromTarget;
    private int maxRecvDataSegmentLength;
    private boolean broken;

    /**
     * @param digests               shared with the encoder of the same connection; switched after login
     * @param fromTarget            true on the initiator side: only target opcodes are acceptable
     * @param maxRecvDataSegmentLength the limit we declared (during login: 8192, RFC 7143 §13.12)
     */
    public PduFrameDecoder(Digests digests, boolean fromTarget, int maxRecvDataSegmentLength) {
        this.digests = digests;
        this.fromTarget = fromTarget;
        this.maxRecvDataSegmentLength = maxRecvDataSegmentLength;
    }

    public void maxRecvDataSegmentLength(int v) {
        this.maxRecvDataSegmentLength = v;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        Pdu pdu = decodeOne(in);
        if (pdu != null) out.add(pdu);
    }

    /** Decodes one PDU from {@code in} if a whole frame is there; visible for the fuzz tests. */
    public Pdu decodeOne(ByteBuf in) {
        if (in.readableBytes() < Bhs.LENGTH) return null;
        int at = in.readerIndex();
        try {
            int headerLength = Bhs.LENGTH + in.getUnsignedByte(at + 4) * 4;
            int dsl = in.getUnsignedMedium(at + 5);
            checkHeader(in, at, dsl);
            int hd = digests.header();
            int padded = (dsl + 3) & ~3;
            int frame = headerLength + hd + padded + digests.data(dsl);
            if (in.readableBytes() < frame) return null;
            if (hd > 0) checkHeaderDigest(in, at, headerLength);
            if (digests.data(dsl) > 0) checkDataDigest(in, at, headerLength + hd, dsl, padded);
            ByteBuf header = in.retainedSlice(at, headerLength);
            ByteBuf data = dsl == 0 ? in.alloc().buffer(0) : in.retainedSlice(at + headerLength + hd, dsl);
            in.skipBytes(frame);
            return new Pdu(header, data);
        } catch (IscsiProtocolException e) {
            broken = true;
            throw e;
        }
    }

    private void checkHeader(ByteBuf in, int at, int dsl) {
        int code = in.getUnsignedByte(at) & 0x3f;
        Opcode op = Opcode.of(code);
        if (op == null || op.fromTarget() != fromTarget)
            throw new IscsiProtocolException(String.format("opcode: 0x%02x (expected: %s opcode, RFC 7143 §11.2.1.2)",
                    code, fromTarget ? "a target" : "an initiator"), 0x04);
        if (dsl > maxRecvDataSegmentLength)
            throw new IscsiProtocolException(String.format(
                    "DataSegmentLength: %d (expected: <= MaxRecvDataSegmentLength %d); opcode 0x%02x, ITT 0x%08x",
                    dsl, maxRecvDataSegmentLength, code, in.getInt(at + 16)), 0x09);
    }

    private static void checkHeaderDigest(ByteBuf in, int at, int headerLength) {
        int expected = Digests.crc32c(in, at, headerLength);
        int got = in.getIntLE(at + headerLength);
        if (expected != got)
            throw new IscsiProtocolException(String.format(
                    "HeaderDigest: 0x%08x (expected: 0x%08x, CRC32C of BHS+AHS); opcode 0x%02x, ITT 0x%08x",
                    got, expected, in.getUnsignedByte(at) & 0x3f, in.getInt(at + 16)), 0x02);
    }

    private static void checkDataDigest(ByteBuf in, int at, int dataAt, int dsl, int padded) {
        int expected = Digests.crc32c(in, at + dataAt, padded);
        int got = in.getIntLE(at + dataAt + padded);
        if (expected != got)
            throw new IscsiProtocolException(String.format(
                    "DataDigest: 0x%08x (expected: 0x%08x, CRC32C of %d data bytes + padding); opcode 0x%02x, ITT 0x%08x",
                    got, expected, dsl, in.getUnsignedByte(at) & 0x3f, in.getInt(at + 16)), 0x02);
    }
}
