package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sense bytes with the sense-key specific field (SPC-4 §4.5.2.4.2, Table 48), in both formats. */
class SenseDataTest {

    @ParameterizedTest(name = "{0} byte {1} bit {2}")
    @CsvSource({"true, 1, 7, cf0001", "true, 12, -1, c0000c", "false, 20, 0, 880014", "false, 300, -1, 80012c",
        "true, 0, 0, c80000"})
    void fieldPointers(boolean cdb, int byteIndex, int bit, String sks) {
        SenseData d = new SenseData(Sense.INVALID_FIELD_IN_CDB, SenseData.fieldPointer(cdb, byteIndex, bit));
        assertThat(java.util.HexFormat.of().formatHex(d.toBytes(), 15, 18)).isEqualTo(sks);
        assertThat(d.fieldByte()).isEqualTo(byteIndex);
        assertThat(d.fieldBit()).isEqualTo(bit);
        assertThat(d.inCdb()).isEqualTo(cdb);
        assertThat(Sense.parse(d.toBytes()).matches(Sense.INVALID_FIELD_IN_CDB)).isTrue();
    }

    @Test
    void withoutAPointerTheBytesAreThoseOfSense() {
        Sense s = Sense.MISCOMPARE_DURING_VERIFY.withInformation(77);
        assertThat(SenseData.of(s).toBytes()).isEqualTo(s.toBytes());
        assertThat(SenseData.of(s).descriptorFormat().toBytes()).isEqualTo(s.descriptorFormat().toBytes());
        assertThat(SenseData.of(s).hasFieldPointer()).isFalse();
        assertThat(SenseData.of(s).fieldBit()).isEqualTo(-1);
    }

    @Test
    void descriptorFormatAppendsTheSenseKeySpecificDescriptor() {
        SenseData d = new SenseData(Sense.LBA_OUT_OF_RANGE.withInformation(5), SenseData.fieldPointer(true, 2, -1))
                .descriptorFormat();
        assertThat(d.toBytes()).containsExactly(TestLu.cdb("72 05 21 00 00 00 00 14 00 0a 80 00 00*7 05"
                + " 02 06 00 00 c0 00 02 00"));
        assertThat(Sense.parse(d.toBytes()).information()).isEqualTo(5);
        assertThat(Expect.senseKeySpecific(d.toBytes())).isEqualTo(0xC00002);
    }

    @Test
    void pointerArgumentsAreChecked() {
        assertThatThrownBy(() -> SenseData.fieldPointer(true, 70000, 0))
                .hasMessage("field pointer byte: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> SenseData.fieldPointer(true, 1, 8)).hasMessage("field pointer bit: 8 (expected: -1..7)");
    }
}
