package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.DigestMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Runs PDUs through the real Netty handlers in {@link EmbeddedChannel}s and checks buffer ownership on the way:
 * every buffer the encoder writes is released exactly once here, and both channels finish empty.
 */
final class PduWire {

    static final int MAX_RECV = 8192;       // RFC 7143 §13.12: the MaxRecvDataSegmentLength default

    private PduWire() {
    }

    /** The bytes {@link PduEncoder} writes for {@code pdu} (whose ownership passes to the channel). */
    static byte[] encodeThroughChannel(Pdu pdu, Digests digests) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduEncoder(digests));
        assertThat(ch.writeOutbound(pdu)).isTrue();
        assertThat(pdu.refCnt()).as("the encoder releases the PDU it was given").isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.writeBytes(PduSamples.bytes(b));
            assertThat(b.release()).as("each buffer the encoder writes is released by its last user").isTrue();
        }
        assertThat(ch.finish()).isFalse();
        return out.toByteArray();
    }

    /** The bytes {@link PduEncoder#encodeToBuffer} produces; the PDU stays the caller's. */
    static byte[] encodeToBytes(Pdu pdu, Digests digests) {
        ByteBuf b = PduEncoder.encodeToBuffer(pdu, digests);
        try {
            return PduSamples.bytes(b);
        } finally {
            assertThat(b.release()).isTrue();
        }
    }

    /** The frame of opcode {@code op}'s sample PDU with {@code dsl} bytes of data, as the encoder writes it. */
    static byte[] frame(Opcode op, int dsl, DigestMode mode) {
        return encodeThroughChannel(PduSamples.of(op).build(PduSamples.data(dsl)), mode.digests());
    }

    /** {@link #encodeToBytes}, then releases the PDU (asserting that was its last reference). */
    static byte[] encodeAndRelease(Pdu pdu, Digests digests) {
        byte[] b = encodeToBytes(pdu, digests);
        assertThat(pdu.release()).isTrue();
        return b;
    }

    static PduFrameDecoder decoder(Digests digests, boolean fromTarget) {
        return new PduFrameDecoder(digests, fromTarget, MAX_RECV);
    }

    /**
     * Feeds {@code stream} in pieces of {@code fragment} bytes (pooled direct buffers, as a socket would deliver)
     * and returns what came out; the caller releases the PDUs. Exceptions from the decoder propagate.
     */
    static List<Pdu> decode(EmbeddedChannel ch, byte[] stream, int fragment) {
        List<Pdu> out = new ArrayList<>();
        for (int at = 0; at < stream.length; at += fragment) {
            int n = Math.min(fragment, stream.length - at);
            ch.writeInbound(ByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(stream, at, n));
            for (Object o; (o = ch.readInbound()) != null; ) out.add((Pdu) o);
        }
        return out;
    }

    static List<Pdu> decodeAll(byte[] stream, int fragment, Digests digests, boolean fromTarget) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder(digests, fromTarget));
        List<Pdu> pdus = decode(ch, stream, fragment);
        assertThat(ch.finish()).as("nothing left over after %d bytes in %d-byte pieces", stream.length, fragment)
                .isFalse();
        return pdus;
    }

    /**
     * Feeds a frame that must fail and returns the IscsiProtocolException inside Netty's DecoderException; checks
     * nothing came out and the channel finishes empty.
     */
    static IscsiProtocolException decodeFailure(byte[] wire, boolean fromTarget, DigestMode mode) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder(mode.digests(), fromTarget));
        DecoderException e = catchThrowableOfType(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(wire)));
        assertThat(e).as("decoding must fail").isNotNull();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
        assertThat(e.getCause()).isInstanceOf(IscsiProtocolException.class);
        return (IscsiProtocolException) e.getCause();
    }

    /** DataSegmentLength of a frame, read from its bytes 5-7 (independently of {@link Bhs}). */
    static int dataSegmentLength(byte[] frame) {
        return (frame[5] & 0xff) << 16 | (frame[6] & 0xff) << 8 | frame[7] & 0xff;
    }

    /** CRC32C of plain bytes with java.util.zip, as a reference independent of {@link Digests}. */
    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** The little-endian int at {@code off}: how a digest sits on the wire. */
    static int leInt(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
