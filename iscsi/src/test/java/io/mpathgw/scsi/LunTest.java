package io.mpathgw.scsi;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LunTest {

    /** 8 bytes | method | number, or - | Linux H:C:T:L number */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        00 00 00 00 00 00 00 00 | 0 | 0     | 0
        00 07 00 00 00 00 00 00 | 0 | 7     | 7
        00 ff 00 00 00 00 00 00 | 0 | 255   | 255
        40 01 00 00 00 00 00 00 | 1 | 1     | 16385
        41 2c 00 00 00 00 00 00 | 1 | 300   | 16684
        7f ff 00 00 00 00 00 00 | 1 | 16383 | 32767
        01 05 00 00 00 00 00 00 | 0 | -     | 261
        00 01 00 02 00 00 00 00 | 0 | -     | 131073
        c1 00 00 00 00 00 00 00 | 3 | -     | 49408
        """)
    void decodesSingleLevelLuns(String image, int method, String number, long linux) {
        Lun lun = Lun.fromBytes(Hex.bytes(image), 0);
        assertThat(lun.addressMethod()).isEqualTo(method);
        assertThat(lun.linuxNumber()).isEqualTo(linux);
        assertThat(Hex.of(lun.toBytes())).isEqualTo(image);
        if (number.equals("-")) {
            assertThat(lun.decodable()).isFalse();
            assertThatThrownBy(lun::number).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("lun: 0x" + image.replace(" ", ""));
        } else {
            assertThat(lun.number()).isEqualTo(Integer.parseInt(number));
            assertThat(lun).hasToString(number);
        }
    }

    @Test
    void encodesLikeTargetsDo() {
        assertThat(Hex.of(Lun.of(3).toBytes())).isEqualTo("00 03 00 00 00 00 00 00");
        assertThat(Hex.of(Lun.of(256).toBytes())).isEqualTo("41 00 00 00 00 00 00 00");
        assertThatThrownBy(() -> Lun.of(16384)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lun: 16384 (expected: 0..16383)");
    }

    @Property
    void numberRoundTrips(@ForAll @IntRange(max = 0x3FFF) int n) {
        assertThat(Lun.of(n).number()).isEqualTo(n);
        assertThat(Lun.fromBytes(Lun.of(n).toBytes(), 0)).isEqualTo(Lun.of(n));
    }

    @Test
    void reportLunsRoundTrip() {
        byte[] data = ReportLuns.toBytes(List.of(Lun.of(0), Lun.of(1), Lun.of(300)));
        assertThat(Hex.of(data)).isEqualTo("00 00 00 18 00 00 00 00 00 00 00 00 00 00 00 00"
                + " 00 01 00 00 00 00 00 00 41 2c 00 00 00 00 00 00");
        assertThat(ReportLuns.parse(data)).extracting(Lun::number).containsExactly(0, 1, 300);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        00 00 00 10 00 00 00 00 00 01 00 00 00 00 00 00 | REPORT LUNS lun list length: 16 (expected: <= 8 bytes received; re-issue with allocation length 24)
        00 00 00 0c 00 00 00 00 00 01 00 00 00 00 00 00 | REPORT LUNS lun list length: 12 (expected: a multiple of 8)
        00 00 00 08 00 00 00                            | REPORT LUNS parameter data: 7 bytes (expected: >= 8)
        """)
    void reportLunsRejects(String image, String message) {
        assertThatThrownBy(() -> ReportLuns.parse(Hex.bytes(image)))
                .isInstanceOf(ScsiDataException.class).hasMessage(message);
    }

    @Test
    void reportLunsOfTgtWithTheControllerLun() {
        // tgt reports LUN 0 (its controller) and the disks
        byte[] tgt = Hex.bytes("00 00 00 10 00 00 00 00 00*8 00 01 00*6");
        assertThat(ReportLuns.parse(tgt)).containsExactly(Lun.of(0), Lun.of(1));
        assertThat(ReportLuns.requiredLength(io.netty.buffer.Unpooled.wrappedBuffer(tgt))).isEqualTo(24);
    }
}
