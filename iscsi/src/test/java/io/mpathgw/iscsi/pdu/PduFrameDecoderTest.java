package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.DigestMode;
import io.mpathgw.iscsi.pdu.PduSamples.Sample;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PduFrameDecoder} on streams: several PDUs cut at every possible fragment size (STYLE §8), the limits it
 * enforces (MaxRecvDataSegmentLength, opcode direction) named in its errors, and silence after an error.
 */
@ExtendWith(NoLeaks.class)
class PduFrameDecoderTest {

    static Stream<Arguments> directionsAndDigests() {
        return Stream.of(true, false).flatMap(fromTarget -> Arrays.stream(DigestMode.values())
                .map(m -> Arguments.of(fromTarget ? "target PDUs" : "initiator PDUs", fromTarget, m)));
    }

    /** Every opcode of one direction in one stream, data segments of 0..n bytes, one with an AHS. */
    @ParameterizedTest(name = "{0}, digests {2}")
    @MethodSource("directionsAndDigests")
    void aStreamOfPdusDecodesTheSameInEveryFragmentSize(String name, boolean fromTarget, DigestMode mode) {
        List<Sample> samples = PduSamples.all().stream().filter(s -> s.opcode().fromTarget() == fromTarget).toList();
        List<byte[]> frames = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            ByteBuf data = PduSamples.data(i % 6);
            payloads.add(PduSamples.bytes(data));
            byte[] ahs = i == 1 ? PduSamples.extendedCdbAhs(PduSamples.cdb32()) : null;
            Pdu pdu = samples.get(i).build(ByteBufAllocator.DEFAULT, data, ahs);
            frames.add(PduWire.encodeAndRelease(pdu, mode.digests()));
        }
        byte[] stream = PduWire.concat(frames);

        for (int fragment = 1; fragment <= stream.length; fragment++) {
            List<Pdu> out = PduWire.decodeAll(stream, fragment, mode.digests(), fromTarget);
            String ctx = stream.length + " bytes in " + fragment + "-byte pieces";
            assertThat(out).as(ctx).hasSize(samples.size());
            for (int i = 0; i < out.size(); i++) {
                Pdu pdu = out.get(i);
                samples.get(i).assertMatches(pdu.bhs(), ctx);
                assertThat(PduSamples.bytes(pdu.data())).as(ctx).isEqualTo(payloads.get(i));
                assertThat(pdu.release()).as(ctx).isTrue();
            }
        }
    }

    @Test
    void aDataSegmentLongerThanMaxRecvDataSegmentLengthIsRejectedByNameFromTheHeaderAlone() {
        byte[] frame = PduWire.frame(Opcode.SCSI_DATA_IN, 8193, DigestMode.NONE);
        byte[] header = Arrays.copyOf(frame, 48);                  // the data never needs to arrive
        EmbeddedChannel ch = new EmbeddedChannel(PduWire.decoder(Digests.none(), true));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(header)))
                .isInstanceOf(DecoderException.class).cause().isInstanceOf(IscsiProtocolException.class)
                .hasMessage("DataSegmentLength: 8193 (expected: <= MaxRecvDataSegmentLength 8192); "
                        + "opcode 0x25, ITT 0xd6e7f809");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void maxRecvDataSegmentLengthCanBeRaisedAfterLogin() {
        PduFrameDecoder decoder = PduWire.decoder(Digests.none(), true);
        decoder.maxRecvDataSegmentLength(262144);                  // RFC 7143 §13.12, as negotiated
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        List<Pdu> out = PduWire.decode(ch, PduWire.frame(Opcode.SCSI_DATA_IN, 262144, DigestMode.NONE), 65536);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).data().readableBytes()).isEqualTo(262144);
        assertThat(out.get(0).release()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anInitiatorOpcodeArrivingAtTheInitiatorIsRejected() {
        assertRejected(PduWire.frame(Opcode.NOP_OUT, 0, DigestMode.NONE), true,
                "opcode: 0x00 (expected: a target opcode, RFC 7143 §11.2.1.2)");
    }

    @Test
    void aTargetOpcodeArrivingAtTheTargetIsRejected() {
        assertRejected(PduWire.frame(Opcode.SCSI_RESPONSE, 0, DigestMode.NONE), false,
                "opcode: 0x21 (expected: an initiator opcode, RFC 7143 §11.2.1.2)");
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(strings = {"07", "0f", "1c", "1e", "27", "30", "3c", "3e"})
    void undefinedOpcodesAreRejectedOnBothSides(String hex) {
        int code = Integer.parseInt(hex, 16);
        byte[] wire = PduWire.frame(Opcode.NOP_IN, 0, DigestMode.NONE);
        wire[0] = (byte) code;
        for (boolean fromTarget : new boolean[] {true, false})
            assertRejected(wire.clone(), fromTarget, String.format("opcode: 0x%02x (expected: a%s opcode", code,
                    fromTarget ? " target" : "n initiator"));
    }

    @Test
    void afterAnErrorEverythingElseIsDiscardedButEarlierPdusAreDelivered() {
        byte[] good = PduWire.frame(Opcode.NOP_IN, 3, DigestMode.NONE);
        byte[] bad = PduWire.frame(Opcode.NOP_OUT, 0, DigestMode.NONE);
        EmbeddedChannel ch = new EmbeddedChannel(PduWire.decoder(Digests.none(), true));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(good, bad, good)))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(IscsiProtocolException.class);
        Pdu first = ch.readInbound();
        assertThat(first).as("the PDU before the bad one").isNotNull();
        assertThat(first.release()).isTrue();
        assertThat((Object) ch.readInbound()).as("nothing after the bad one").isNull();

        for (int i = 0; i < 3; i++) ch.writeInbound(Unpooled.wrappedBuffer(good));   // framing is lost: ignore all
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFrameCutShortByTheConnectionClosingLeavesNothingBehind() {
        byte[] wire = PduWire.frame(Opcode.SCSI_DATA_IN, 100, DigestMode.BOTH);
        EmbeddedChannel ch = new EmbeddedChannel(PduWire.decoder(DigestMode.BOTH.digests(), true));
        assertThat(PduWire.decode(ch, Arrays.copyOf(wire, wire.length - 1), 17)).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodeOneWaitsForAWholeFrameAndConsumesExactlyOne() {
        byte[] one = PduWire.frame(Opcode.R2T, 7, DigestMode.BOTH);
        ByteBuf in = Unpooled.buffer().writeBytes(one).writeBytes(one);
        PduFrameDecoder decoder = PduWire.decoder(DigestMode.BOTH.digests(), true);
        ByteBuf partial = in.slice(0, one.length - 1);
        assertThat(decoder.decodeOne(partial)).isNull();
        assertThat(partial.readerIndex()).isZero();
        Pdu pdu = decoder.decodeOne(in);
        assertThat(in.readerIndex()).isEqualTo(one.length);
        PduSamples.of(Opcode.R2T).assertMatches(pdu.bhs(), "decodeOne");
        assertThat(pdu.release()).isTrue();
        assertThat(in.refCnt()).as("the PDU's slices were released").isEqualTo(1);
        assertThat(in.release()).isTrue();
    }

    @Test
    void theLargestAhsIsFramedCorrectly() {
        byte[] ahs = new byte[255 * 4];
        Arrays.fill(ahs, (byte) 0xa5);
        Pdu pdu = PduSamples.of(Opcode.SCSI_COMMAND).build(ByteBufAllocator.DEFAULT, PduSamples.data(9), ahs);
        byte[] wire = PduWire.encodeThroughChannel(pdu, DigestMode.BOTH.digests());
        assertThat(wire).hasSize(48 + 1020 + 4 + 12 + 4);
        Pdu got = PduWire.decodeAll(wire, 100, DigestMode.BOTH.digests(), false).get(0);
        assertThat(PduSamples.bytes(got.ahs())).isEqualTo(ahs);
        assertThat(got.release()).isTrue();
    }

    private static void assertRejected(byte[] wire, boolean fromTarget, String messagePrefix) {
        assertThat(PduWire.decodeFailure(wire, fromTarget, DigestMode.NONE).getMessage()).startsWith(messagePrefix);
    }
}
