package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.DigestMode;
import io.mpathgw.iscsi.pdu.PduSamples.Sample;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-exact checks against hand-written frames (golden.cases, golden/*.hex): the decoder reads each field from
 * the offset RFC 7143 gives it, in every fragment size, and the encoder writes exactly those bytes back,
 * digests included (RFC 3720 B.4's Read(10) PDU and its CRC among them).
 */
@ExtendWith(NoLeaks.class)
class PduGoldenTest {

    static Stream<Arguments> golden() {
        return PduSamples.table("golden.cases").stream().map(r -> Arguments.of(r[0],
                new Sample(Opcode.valueOf(r[1]), PduSamples.parseFields(r[3])),
                DigestMode.valueOf(r[2].toUpperCase(Locale.ROOT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void decodesEveryFieldFromItsRfcOffsetInEveryFragmentSize(String file, Sample expected, DigestMode mode) {
        byte[] wire = PduSamples.hexResource("golden/" + file);
        for (int fragment = 1; fragment <= wire.length; fragment++) {
            List<Pdu> out = PduWire.decodeAll(wire, fragment, mode.digests(), expected.opcode().fromTarget());
            assertThat(out).as("%s in %d-byte pieces", file, fragment).hasSize(1);
            Pdu pdu = out.get(0);
            expected.assertMatches(pdu.bhs(), file + " in " + fragment + "-byte pieces");
            assertThat(PduSamples.bytes(pdu.data())).isEqualTo(data(wire, mode));
            assertThat(pdu.release()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void encodesTheSameFieldsToTheSameBytes(String file, Sample expected, DigestMode mode) {
        byte[] wire = PduSamples.hexResource("golden/" + file);
        byte[] ahs = Arrays.copyOfRange(wire, 48, 48 + (wire[4] & 0xff) * 4);
        Pdu pdu = expected.build(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(data(wire, mode)),
                ahs.length == 0 ? null : ahs);
        assertThat(PduWire.encodeToBytes(pdu, mode.digests())).as("%s via encodeToBuffer", file).isEqualTo(wire);
        assertThat(PduWire.encodeThroughChannel(pdu, mode.digests())).as("%s via the encoder", file).isEqualTo(wire);
    }

    /** The data segment of a frame, located from its own header (not by the decoder under test). */
    private static byte[] data(byte[] wire, DigestMode mode) {
        int dsl = PduWire.dataSegmentLength(wire);
        int at = 48 + (wire[4] & 0xff) * 4 + (mode.header ? 4 : 0);
        return Arrays.copyOfRange(wire, at, at + dsl);
    }
}
