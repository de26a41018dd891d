package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.pdu.Bhs;
import io.mpathgw.iscsi.pdu.Digests;
import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.mpathgw.iscsi.pdu.Opcode;
import io.mpathgw.iscsi.pdu.Pdu;
import io.mpathgw.iscsi.pdu.PduFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The target's framing: {@link PduFrameDecoder#decodeOne} for every good PDU, and for a bad one a
 * {@link FrameError} that says whether framing survived, so the connection can answer with a Reject and go on
 * (RFC 7143 §7.8: a data digest error, an undefined opcode) or Reject and close (a header digest error, a data
 * segment longer than MaxRecvDataSegmentLength). One per connection, on its event loop.
 */
final class TargetFrameDecoder extends ByteToMessageDecoder {

    /**
     * A PDU that could not be accepted. {@code header} holds the BHS the Reject carries back (RFC 7143 §11.17);
     * {@code pdu}, for a data digest error, is the PDU with its header and an empty data segment (owned by the
     * receiver), so the task it belongs to can be ended.
     */
    record FrameError(byte[] header, int reason, String message, boolean fatal, Pdu pdu) {
    }

    private final Digests digests;
    private final PduFrameDecoder frames;
    private int maxRecvDataSegmentLength;
    private boolean broken;

    TargetFrameDecoder(Digests digests, int maxRecvDataSegmentLength) {
        this.digests = digests;
        this.maxRecvDataSegmentLength = maxRecvDataSegmentLength;
        this.frames = new PduFrameDecoder(digests, false, maxRecvDataSegmentLength);
    }

    /** Our declared limit, in force from the first PDU after the final Login Response (RFC 7143 §13.12). */
    void maxRecvDataSegmentLength(int v) {
        maxRecvDataSegmentLength = v;
        frames.maxRecvDataSegmentLength(v);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Bhs.LENGTH) return;
        try {
            Pdu pdu = frames.decodeOne(in);
            if (pdu != null) out.add(pdu);
        } catch (IscsiProtocolException e) {
            FrameError err = classify(in, e);
            if (err != null) out.add(err);
        }
    }

    /** Null while the rest of a frame we can skip is still to come. */
    private FrameError classify(ByteBuf in, IscsiProtocolException e) {
        int at = in.readerIndex();
        byte[] header = new byte[Bhs.LENGTH];
        in.getBytes(at, header);
        int headerLength = Bhs.LENGTH + in.getUnsignedByte(at + 4) * 4;
        int dsl = in.getUnsignedMedium(at + 5);
        int frame = headerLength + digests.header() + ((dsl + 3) & ~3) + digests.data(dsl);
        boolean headerIntact = !digests.headerEnabled() || in.readableBytes() >= headerLength + 4
                && Digests.crc32c(in, at, headerLength) == in.getIntLE(at + headerLength);
        if (!headerIntact || dsl > maxRecvDataSegmentLength) {
            broken = true;                  // framing lost, or a frame we will not buffer: Reject, then close
            in.skipBytes(in.readableBytes());
            return new FrameError(header, e.rejectReason(), e.getMessage(), true, null);
        }
        if (in.readableBytes() < frame) return null;
        Opcode op = Opcode.of(header[0]);
        if (e.rejectReason() == 0x02) {     // data digest error, header sound: RFC 7143 §7.8, answer and go on
            Pdu pdu = new Pdu(in.retainedSlice(at, headerLength), Unpooled.EMPTY_BUFFER);
            in.skipBytes(frame);
            return new FrameError(header, 0x02, e.getMessage(), false, pdu);
        }
        in.skipBytes(frame);
        // RFC 7143 §11.17.1: an opcode no initiator may send is a protocol error (0x04); one no RFC defines is a
        // command we do not support (0x05)
        int reason = op == null ? 0x05 : e.rejectReason();
        return new FrameError(header, reason, e.getMessage(), false, null);
    }
}
