package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VpdPageTest {

    @Test
    void supportedPagesOfTgt() {
        // tgt lists page 0 itself, then the pages it holds, with a one-byte length in byte 3
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes("00 00 00 06 00 80 83 b0 b1 b2"));
        assertThat(VpdPage.supportedPages(buf)).containsExactly(0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2);
        assertThat(buf.readerIndex()).isZero();
        assertThat(VpdPage.pageCode(buf)).isEqualTo(VpdPage.SUPPORTED_PAGES);
    }

    /** page image | serial */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
        00 80 00 24 20*30 "beaf11"                      | beaf11
        00 80 00 25 "d27e5d89-8829-468b-90ce-4ef8c0a1b2c3" 00 | d27e5d89-8829-468b-90ce-4ef8c0a1b2c3
        00 80 00 0e "  CKM001234  " 00                  | CKM001234
        00 80 00 00                                     | ''
        """)
    void unitSerialNumberTrimmed(String image, String serial) {
        assertThat(VpdPage.unitSerialNumber(Hex.bytes(image))).isEqualTo(serial == null ? "" : serial);
    }

    @Test
    void errorsNameThePageAndTheLengthToAskFor() {
        assertThatThrownBy(() -> VpdPage.unitSerialNumber(Hex.bytes("00 83 00 04 \"abcd\"")))
                .isInstanceOf(ScsiDataException.class).hasMessage("VPD page code: 0x83 (expected: 0x80)");
        assertThatThrownBy(() -> VpdPage.supportedPages(Hex.bytes("00 00 00 09 00 80 83")))
                .isInstanceOf(ScsiDataException.class).hasMessage("VPD page 0x00 page length: 9"
                        + " (expected: <= 3 bytes received; re-issue INQUIRY with allocation length 13)");
        assertThatThrownBy(() -> VpdPage.pageCode(Hex.bytes("00 80")))
                .isInstanceOf(ScsiDataException.class).hasMessage("VPD page header: 2 bytes (expected: >= 4)");
    }

    @Test
    void encodesAPage() {
        byte[] page = VpdPage.encode(0x00, VpdPage.SUPPORTED_PAGES, new byte[] {0x00, (byte) 0x80, (byte) 0x83});
        assertThat(Hex.of(page)).isEqualTo("00 00 00 03 00 80 83");
        assertThat(VpdPage.supportedPages(page)).isEqualTo(List.of(0x00, 0x80, 0x83));
    }
}
