package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class InquiryDataTest {

    /** tgt's answer (usr/spc.c spc_inquiry): SPC-3, CmdQue, strings space-padded, 66 bytes. */
    static final String TGT = "00 00 05 12 3d 00 00 02 \"IET     VIRTUAL-DISK    0001\" 00*22 00 40 03 00 04 60 00*2";
    /** LIO (target_core_spc.c): SPC-4, SCCS + TPGS 3 + 3PC, MultiP with two exports. */
    static final String LIO = "00 00 06 02 1f b8 10 02 \"LIO-ORG IBLOCK          4.0 \"";
    /** An array controller LUN 0 placeholder: qualifier 1 (not connected), type 0x1f, no ALUA. */
    static final String LUNZ = "3f 80 04 02 1f 00 00 00 \"DGC     LUNZ            0532\"";

    static Stream<Arguments> images() {
        return Stream.of(
            arguments("tgt", TGT, new InquiryData(0, 0x00, false, 5, 2, true, 0, false, false, false, false, true,
                    "IET", "VIRTUAL-DISK", "0001")),
            arguments("LIO", LIO, new InquiryData(0, 0x00, false, 6, 2, false, 3, true, true, false, true, true,
                    "LIO-ORG", "IBLOCK", "4.0")),
            arguments("LUNZ", LUNZ, new InquiryData(1, 0x1f, true, 4, 2, false, 0, false, false, false, false,
                    false, "DGC", "LUNZ", "0532")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void parses(String name, String image, InquiryData expected) {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes(image));
        assertThat(InquiryData.parse(buf)).isEqualTo(expected);
        assertThat(buf.readerIndex()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void encodesThe36BytesBack(String name, String image, InquiryData expected) {
        byte[] b = expected.toBytes();
        assertThat(b).hasSize(36);
        assertThat(InquiryData.parse(b)).isEqualTo(expected);
        assertThat(b[4]).isEqualTo((byte) 31);
    }

    @Test
    void tpgsDecidesAlua() {
        InquiryData lio = InquiryData.parse(Hex.bytes(LIO));
        assertThat(lio.alua()).isTrue();
        assertThat(lio.implicitAlua()).isTrue();
        assertThat(lio.explicitAlua()).isTrue();
        assertThat(lio.connected()).isTrue();
        InquiryData tgt = InquiryData.parse(Hex.bytes(TGT));
        assertThat(tgt.alua()).isFalse();
        byte[] implicitOnly = Hex.bytes(LIO);
        implicitOnly[5] = 0x10;
        assertThat(InquiryData.parse(implicitOnly).explicitAlua()).isFalse();
        assertThat(InquiryData.parse(implicitOnly).tpgs()).isEqualTo(InquiryData.TPGS_IMPLICIT);
        assertThat(InquiryData.parse(Hex.bytes(LUNZ)).connected()).isFalse();
    }

    @Test
    void rejectsShortData() {
        assertThatThrownBy(() -> InquiryData.parse(Hex.bytes("00 00 05 12 1f 00 00 02 \"IET\"")))
                .isInstanceOf(ScsiDataException.class)
                .hasMessage("standard INQUIRY data: 11 bytes (expected: >= 36)");
    }

    @Test
    void rejectsStringsTooLongToEncode() {
        InquiryData d = new InquiryData(0, 0, false, 6, 2, false, 0, false, false, false, false, true,
                "VENDORNAME", "P", "1");
        assertThatThrownBy(d::toBytes).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vendor: \"VENDORNAME\" (expected: at most 8 characters)");
    }
}
