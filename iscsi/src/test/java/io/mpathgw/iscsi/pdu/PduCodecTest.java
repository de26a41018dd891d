package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.DigestMode;
import io.mpathgw.iscsi.pdu.PduSamples.Sample;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.mpathgw.iscsi.pdu.PduSamples.bytes;
import static io.mpathgw.iscsi.pdu.PduWire.crc32c;
import static io.mpathgw.iscsi.pdu.PduWire.leInt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every RFC 7143 opcode, every field distinctive (samples.cases), encoded and decoded again: through
 * {@link PduEncoder#encodeToBuffer} and through the real handlers in EmbeddedChannels, with each digest setting,
 * data segment lengths around every padding case and the 8192 limit, with and without an Extended CDB AHS.
 * The frame layout is checked against RFC 7143 §11.2 independently of the decoder (lengths, zero padding,
 * CRC32C digests computed here with java.util.zip.CRC32C over plain arrays, little-endian on the wire).
 */
@ExtendWith(NoLeaks.class)
class PduCodecTest {

    static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 8191, 8192};

    enum Path { ENCODE_TO_BUFFER, CHANNEL }

    static Stream<Arguments> everyOpcodeAndDigestMode() {
        return PduSamples.all().stream()
                .flatMap(s -> Arrays.stream(DigestMode.values()).map(m -> Arguments.of(s.opcode(), m)));
    }

    @ParameterizedTest(name = "{0}, digests {1}")
    @MethodSource("everyOpcodeAndDigestMode")
    void encodeToBufferThenDecodeKeepsEveryField(Opcode op, DigestMode mode) {
        for (int dsl : LENGTHS) {
            roundTrip(op, mode, dsl, null, Path.ENCODE_TO_BUFFER);
            roundTrip(op, mode, dsl, PduSamples.extendedCdbAhs(PduSamples.cdb32()), Path.ENCODE_TO_BUFFER);
        }
    }

    @ParameterizedTest(name = "{0}, digests {1}")
    @MethodSource("everyOpcodeAndDigestMode")
    void encoderChannelThenDecoderChannelKeepsEveryField(Opcode op, DigestMode mode) {
        for (int dsl : LENGTHS) {
            roundTrip(op, mode, dsl, null, Path.CHANNEL);
            roundTrip(op, mode, dsl, PduSamples.extendedCdbAhs(PduSamples.cdb32()), Path.CHANNEL);
        }
    }

    @ParameterizedTest(name = "{0}, digests {1}")
    @MethodSource("everyOpcodeAndDigestMode")
    void bothEncodePathsWriteTheSameBytes(Opcode op, DigestMode mode) {
        for (int dsl : LENGTHS) {
            Sample s = PduSamples.of(op);
            Pdu a = s.build(PduSamples.data(dsl));
            byte[] viaBuffer = PduWire.encodeToBytes(a, mode.digests());
            assertThat(a.release()).isTrue();
            byte[] viaChannel = PduWire.encodeThroughChannel(s.build(PduSamples.data(dsl)), mode.digests());
            assertThat(viaChannel).as("%s dsl=%d", op, dsl).isEqualTo(viaBuffer);
        }
    }

    @Test
    void scsiCommandWith32ByteCdbCarriesTheSpillOverInAnExtendedCdbAhs() {
        byte[] cdb = PduSamples.cdb32();
        byte[] ahs = PduSamples.extendedCdbAhs(cdb);
        assertThat(ahs).hasSize(20);                                   // 4 + 16 spill-over bytes, already aligned
        Pdu pdu = PduSamples.of(Opcode.SCSI_COMMAND).build(ByteBufAllocator.DEFAULT, Unpooled.EMPTY_BUFFER, ahs);
        pdu.bhs().cdb(cdb);                                            // the first 16 bytes go in the BHS
        byte[] wire = PduWire.encodeThroughChannel(pdu, DigestMode.BOTH.digests());

        assertThat(wire).hasSize(48 + 20 + 4);
        assertThat(wire[4]).as("TotalAHSLength in words").isEqualTo((byte) 5);
        assertThat(Arrays.copyOfRange(wire, 48, 52)).as("AHSLength 17 = CDB length - 15, AHSType 1, reserved")
                .containsExactly(0x00, 0x11, 0x01, 0x00);
        assertThat(Arrays.copyOfRange(wire, 32, 48)).isEqualTo(Arrays.copyOfRange(cdb, 0, 16));
        assertThat(Arrays.copyOfRange(wire, 52, 68)).isEqualTo(Arrays.copyOfRange(cdb, 16, 32));
        assertThat(leInt(wire, 68)).as("header digest covers BHS and AHS").isEqualTo(crc32c(wire, 0, 68));

        Pdu got = PduWire.decodeAll(wire, 7, DigestMode.BOTH.digests(), false).get(0);
        byte[] cdbBack = new byte[32];
        got.bhs().cdb(cdbBack, 16);
        got.ahs().getBytes(4, cdbBack, 16, 16);
        assertThat(cdbBack).isEqualTo(cdb);
        assertThat(got.release()).isTrue();
    }

    @Test
    void theEncoderForwardsTheDataBufferItselfNotACopy() {
        ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(5).writeBytes(new byte[] {1, 2, 3, 4, 5});
        EmbeddedChannel ch = new EmbeddedChannel(new PduEncoder(DigestMode.DATA.digests()));
        ch.writeOutbound(PduSamples.of(Opcode.SCSI_DATA_OUT).build(data));
        ByteBuf header = ch.readOutbound(), payload = ch.readOutbound(), trailer = ch.readOutbound();
        assertThat(payload).as("RFC-sized data goes out as the caller's buffer (zero copy)").isSameAs(data);
        assertThat(header.readableBytes()).isEqualTo(48);
        assertThat(trailer.readableBytes()).as("3 bytes of padding + 4 of data digest").isEqualTo(7);
        assertThat((Object) ch.readOutbound()).isNull();
        for (ByteBuf b : List.of(header, payload, trailer)) assertThat(b.release()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encodeToBufferLeavesThePduToItsCaller() {
        Pdu pdu = PduSamples.of(Opcode.NOP_OUT).build(PduSamples.data(3));
        ByteBuf wire = PduEncoder.encodeToBuffer(pdu, Digests.none());
        assertThat(pdu.refCnt()).isEqualTo(1);
        assertThat(pdu.data().refCnt()).isEqualTo(1);
        assertThat(wire.release()).isTrue();
        assertThat(pdu.release()).isTrue();
        assertThat(pdu.data().refCnt()).isZero();
    }

    @Test
    void theEncoderSetsDataSegmentLengthFromTheData() {
        Pdu pdu = PduSamples.of(Opcode.TEXT_REQUEST).build(PduSamples.data(10));
        pdu.bhs().dataSegmentLength(0xabcdef);                          // stale value a caller left behind
        byte[] wire = PduWire.encodeThroughChannel(pdu, Digests.none());
        assertThat(Arrays.copyOfRange(wire, 5, 8)).containsExactly(0, 0, 10);
        assertThat(wire).hasSize(48 + 12);
    }

    private static void roundTrip(Opcode op, DigestMode mode, int dsl, byte[] ahs, Path path) {
        String ctx = String.format("%s %s digests=%s dsl=%d ahs=%s", path, op, mode, dsl, ahs == null ? 0 : ahs.length);
        Sample s = PduSamples.of(op);
        ByteBuf data = PduSamples.data(dsl);
        byte[] payload = bytes(data);
        Pdu pdu = s.build(ByteBufAllocator.DEFAULT, data, ahs);
        byte[] wire;
        if (path == Path.CHANNEL) {
            wire = PduWire.encodeThroughChannel(pdu, mode.digests());
        } else {
            wire = PduWire.encodeToBytes(pdu, mode.digests());
            assertThat(pdu.release()).isTrue();
        }
        assertLayout(wire, mode, dsl, ahs, payload, ctx);

        List<Pdu> out = PduWire.decodeAll(wire, wire.length, mode.digests(), op.fromTarget());
        assertThat(out).as(ctx).hasSize(1);
        Pdu got = out.get(0);
        s.assertMatches(got.bhs(), ctx);
        assertThat(got.bhs().dataSegmentLength()).as(ctx).isEqualTo(dsl);
        assertThat(got.bhs().totalAhsLength()).as(ctx).isEqualTo(ahs == null ? 0 : ahs.length / 4);
        assertThat(bytes(got.ahs())).as(ctx).isEqualTo(ahs == null ? new byte[0] : ahs);
        assertThat(bytes(got.data())).as(ctx).isEqualTo(payload);
        assertThat(got.release()).as(ctx).isTrue();
    }

    /** RFC 7143 §11.2: BHS, AHS, header digest, data + zero padding to 4, data digest (only with data). */
    private static void assertLayout(byte[] wire, DigestMode mode, int dsl, byte[] ahs, byte[] payload, String ctx) {
        int header = 48 + (ahs == null ? 0 : ahs.length);
        int hd = mode.header ? 4 : 0;
        int padded = (dsl + 3) & ~3;
        int dd = mode.data && dsl > 0 ? 4 : 0;
        assertThat(wire).as(ctx).hasSize(header + hd + padded + dd);
        assertThat(PduWire.dataSegmentLength(wire)).as(ctx + ": DataSegmentLength").isEqualTo(dsl);
        assertThat(wire[4] & 0xff).as(ctx + ": TotalAHSLength").isEqualTo((header - 48) / 4);
        if (hd > 0) assertThat(leInt(wire, header)).as(ctx + ": HeaderDigest").isEqualTo(crc32c(wire, 0, header));
        int dataAt = header + hd;
        assertThat(Arrays.copyOfRange(wire, dataAt, dataAt + dsl)).as(ctx + ": data").isEqualTo(payload);
        assertThat(Arrays.copyOfRange(wire, dataAt + dsl, dataAt + padded)).as(ctx + ": padding")
                .isEqualTo(new byte[padded - dsl]);
        if (dd > 0)
            assertThat(leInt(wire, dataAt + padded)).as(ctx + ": DataDigest").isEqualTo(crc32c(wire, dataAt, padded));
    }
}
