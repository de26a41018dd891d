package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.DigestMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRC32C as iSCSI uses it: RFC 3720 B.4's vectors through {@link Digests#crc32c} on every kind of buffer, the
 * little-endian order on the wire, and digest errors reported by name with both values.
 */
@ExtendWith(NoLeaks.class)
class DigestsTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/pdu/crc32c.cases", delimiter = '|')
    void rfc3720VectorsOnHeapDirectSlicedAndCompositeBuffers(String name, String hex, String rfcCrc) {
        byte[] bytes = PduSamples.hexBytes(hex);
        byte[] wireOrder = PduSamples.hexBytes(rfcCrc);
        int expected = Unpooled.wrappedBuffer(wireOrder).getIntLE(0);

        assertThat(Digests.crc32c(Unpooled.wrappedBuffer(bytes), 0, bytes.length)).as("heap").isEqualTo(expected);
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer().writeZero(3).writeBytes(bytes);
        assertThat(Digests.crc32c(direct, 3, bytes.length)).as("pooled direct at index 3").isEqualTo(expected);
        assertThat(Digests.crc32c(direct.slice(3, bytes.length), 0, bytes.length)).as("slice").isEqualTo(expected);
        assertThat(direct.readerIndex()).as("indexes untouched").isZero();
        direct.release();
        for (int cut = 0; cut <= bytes.length; cut++) {
            CompositeByteBuf c = Unpooled.compositeBuffer()
                    .addComponent(true, Unpooled.wrappedBuffer(bytes, 0, cut))
                    .addComponent(true, Unpooled.directBuffer().writeBytes(bytes, cut, bytes.length - cut));
            assertThat(Digests.crc32c(c, 0, bytes.length)).as("composite cut at %d", cut).isEqualTo(expected);
            c.release();
        }

        ByteBuf out = Unpooled.buffer(4).writeIntLE(Digests.crc32c(Unpooled.wrappedBuffer(bytes), 0, bytes.length));
        assertThat(PduSamples.bytes(out)).as("on the wire, in the RFC's byte order").isEqualTo(wireOrder);
    }

    @Test
    void paddedDigestCoversTheZeroPadding() {
        byte[] data = {1, 2, 3, 4, 5};
        for (int pad = 0; pad <= 3; pad++) {
            byte[] padded = Arrays.copyOf(data, data.length + pad);
            assertThat(Digests.crc32cPadded(Unpooled.wrappedBuffer(data), 0, data.length, pad))
                    .isEqualTo(PduWire.crc32c(padded, 0, padded.length));
        }
    }

    @Test
    void digestSizesFollowTheNegotiatedSettings() {
        Digests d = Digests.none();
        assertThat(d.header()).isZero();
        assertThat(d.data(100)).isZero();
        d.enable(true, true);
        assertThat(d.header()).isEqualTo(4);
        assertThat(d.data(1)).isEqualTo(4);
        assertThat(d.data(0)).as("RFC 7143 §11.2.4: no data digest without data").isZero();
    }

    @Test
    void aCorruptHeaderIsAHeaderDigestErrorWithBothValues() {
        byte[] wire = PduWire.frame(Opcode.NOP_IN, 8, DigestMode.BOTH);
        int sent = PduWire.leInt(wire, 48);
        wire[24] ^= 0x01;                                          // StatSN damaged in transit
        int computed = PduWire.crc32c(wire, 0, 48);
        IscsiProtocolException e = PduWire.decodeFailure(wire, true, DigestMode.BOTH);
        assertThat(e.getMessage()).startsWith("HeaderDigest: ")
                .contains(String.format("0x%08x", sent)).contains(String.format("expected: 0x%08x", computed));
    }

    @Test
    void aCorruptHeaderDigestIsAHeaderDigestError() {
        byte[] wire = PduWire.frame(Opcode.SCSI_COMMAND, 0, DigestMode.HEADER);
        int computed = PduWire.leInt(wire, 48);
        wire[50] ^= (byte) 0x80;
        IscsiProtocolException e = PduWire.decodeFailure(wire, false, DigestMode.HEADER);
        assertThat(e.getMessage()).startsWith("HeaderDigest: ")
                .contains(String.format("0x%08x", PduWire.leInt(wire, 48)))
                .contains(String.format("expected: 0x%08x", computed));
    }

    @Test
    void corruptDataIsADataDigestErrorWithBothValuesAndRejectReason2() {
        byte[] wire = PduWire.frame(Opcode.SCSI_DATA_IN, 5, DigestMode.BOTH);
        int sent = PduWire.leInt(wire, 52 + 8);
        wire[53] ^= 0x10;
        int computed = PduWire.crc32c(wire, 52, 8);
        IscsiProtocolException e = PduWire.decodeFailure(wire, true, DigestMode.BOTH);
        assertThat(e.getMessage()).startsWith("DataDigest: ")
                .contains(String.format("0x%08x", sent)).contains(String.format("expected: 0x%08x", computed));
        assertThat(e.rejectReason()).as("RFC 7143 §11.17.1: 0x02 data (payload) digest error").isEqualTo(0x02);
    }

    @Test
    void nonZeroPaddingIsCoveredByTheDataDigest() {
        byte[] wire = PduWire.frame(Opcode.SCSI_DATA_OUT, 5, DigestMode.DATA);
        wire[48 + 6] = 0x55;                                       // a padding byte
        assertThat(PduWire.decodeFailure(wire, false, DigestMode.DATA).getMessage()).startsWith("DataDigest: ");
    }
}
