package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModeParametersTest {

    /** MODE SENSE(6): DPOFUA, one 8-byte block descriptor (512), caching (WCE, PS) and control pages. */
    static final String SENSE6 = "2b 00 10 08 00 00 00 00 00 00 02 00"
            + " 88 12 04 00 ff ff 00 00 ff ff ff ff 80 14 00 00 00 00 00 00"
            + " 0a 0a 02 00 00 00 00 00 ff ff 00 1e";
    /** MODE SENSE(10): WP, no block descriptors, control page and the control extension subpage 0x0a/0x01. */
    static final String SENSE10 = "00 32 00 80 00 00 00 00"
            + " 0a 0a 02 00 00 00 00 00 ff ff 00 1e"
            + " 4a 01 00 1c 00 00 00 00 00*24";

    @Test
    void parsesModeSense6() {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes(SENSE6));
        ModeParameters m = ModeParameters.parse6(buf);
        assertThat(buf.readerIndex()).isZero();
        assertThat(m.blockDescriptorLength()).isEqualTo(8);
        assertThat(m.dpoFua()).isTrue();
        assertThat(m.writeProtected()).isFalse();
        assertThat(m.pages()).extracting(ModePage::code).containsExactly(ModePage.CACHING, ModePage.CONTROL);
        ModePage caching = m.page(ModePage.CACHING).orElseThrow();
        assertThat(caching.parametersSavable()).isTrue();
        assertThat(caching.byteAt(2) & 0x04).as("WCE").isEqualTo(0x04);
        assertThat(caching.parameters()).hasSize(18);
        assertThat(m.page(ModePage.CONTROL).orElseThrow().byteAt(11)).isEqualTo(0x1e);
        assertThat(m.page(0x1c)).isEmpty();
        assertThat(ModeParameters.requiredLength6(buf)).isEqualTo(44);
    }

    @Test
    void parsesModeSense10WithASubpage() {
        ModeParameters m = ModeParameters.parse10(Hex.bytes(SENSE10));
        assertThat(m.writeProtected()).isTrue();
        assertThat(m.blockDescriptorLength()).isZero();
        ModePage ext = m.page(ModePage.CONTROL, 0x01).orElseThrow();
        assertThat(ext.subpageFormat()).isTrue();
        assertThat(ext.parameters()).hasSize(28);
        assertThat(ext.byteAt(4)).isZero();
        assertThat(m.page(ModePage.CONTROL)).map(ModePage::subpageFormat).hasValue(false);
    }

    @Test
    void readModifyWriteOfTheControlPageAsTheRdacCheckerDoes() {
        ModePage control = ModeParameters.parse10(Hex.bytes(SENSE10)).page(ModePage.CONTROL).orElseThrow();
        ModePage withTas = control.withByte(5, control.byteAt(5) | 0x40);
        byte[] list = ParameterList.modeSelect10(List.of(withTas));
        assertThat(Hex.of(list)).isEqualTo("00 00 00 00 00 00 00 00 0a 0a 02 00 00 40 00 00 ff ff 00 1e");
        assertThat(Hex.of(Cdb.modeSelect10(true, true, list.length))).isEqualTo("55 11 00 00 00 00 00 00 14 00");
    }

    @Test
    void modeSelectClearsPs() {
        ModePage caching = ModeParameters.parse6(Hex.bytes(SENSE6)).page(ModePage.CACHING).orElseThrow();
        byte[] list = ParameterList.modeSelect6(List.of(caching));
        assertThat(list).hasSize(4 + 20);
        assertThat(list[4]).isEqualTo((byte) 0x08);
        assertThat(Hex.of(caching.toBytes(true)).substring(0, 2)).isEqualTo("88");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
        6  | 2b 00 10 08 00 00 00 00                    | MODE SENSE(6) mode data length: 44 bytes (expected: <= 8 received; re-issue with allocation length 44)
        6  | 0b 00 00 10 00 00 00 00 00 00 00 00        | MODE SENSE(6) block descriptor length: 16 (expected: <= 8 bytes of mode data after the header)
        6  | 0b 00 00 00 08 12 04 00 00 00 00 00        | MODE SENSE(6) mode page at offset 4: 20 bytes (expected: <= 8 bytes left in the mode data)
        10 | 00 0b 00 00 00 00 00 00 4a 01 00 10 00 00  | MODE SENSE(10) mode page at offset 8: 20 bytes (expected: <= 5 bytes left in the mode data)
        10 | 00 07 00 00 00 00 00 00 4a                 | MODE SENSE(10) mode page at offset 8: 4 bytes (expected: <= 1 bytes left in the mode data)
        10 | 00 06 00 00 00 00 00                       | MODE SENSE(10) parameter data: 7 bytes (expected: >= 8)
        """)
    void rejects(int version, String image, String message) {
        byte[] b = Hex.bytes(image);
        assertThatThrownBy(() -> {
            if (version == 6) ModeParameters.parse6(b);
            else ModeParameters.parse10(b);
        }).isInstanceOf(ScsiDataException.class).hasMessage(message);
    }

    @Test
    void pageArgumentsAreChecked() {
        assertThatThrownBy(() -> ModePage.of(0x40, new byte[0])).hasMessage("page code: 64 (expected: 0..63)");
        assertThatThrownBy(() -> ModePage.of(0x08, new byte[256])).hasMessage("page length: 256 (expected: 0..255)");
        assertThatThrownBy(() -> ModePage.of(0x08, new byte[2]).byteAt(4))
                .hasMessage("mode page byte: 4 (expected: 2..3)");
    }
}
