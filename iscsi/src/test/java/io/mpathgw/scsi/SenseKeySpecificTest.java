package io.mpathgw.scsi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SENSE KEY SPECIFIC field (SPC-4 §4.5.2.4): carried, encoded in both formats, parsed back. */
class SenseKeySpecificTest {

    /** Field pointer: SKSV, C/D=1 (CDB), BPV with bit 4, byte 2 — as for a bad bit in CDB byte 2. */
    static final int POINTER = Sense.SKSV | 0x40_0000 | 0x08_0000 | 4 << 16 | 2;

    @Test
    void fixedFormatPutsTheFieldInBytes15To17AndParsesItBack() {
        Sense s = Sense.INVALID_FIELD_IN_CDB.withSenseKeySpecific(POINTER);
        byte[] b = s.toBytes();
        assertThat(b).hasSize(18);
        assertThat(new byte[] {b[15], b[16], b[17]}).containsExactly(0xcc - 0x100, 0x00, 0x02);
        assertThat(Sense.parse(b)).isEqualTo(s);
    }

    @Test
    void descriptorFormatAddsASenseKeySpecificDescriptor() {
        Sense s = Sense.INVALID_FIELD_IN_CDB.descriptorFormat().withSenseKeySpecific(POINTER).withInformation(0x1_0000_0000L);
        byte[] b = s.toBytes();
        assertThat(b).hasSize(28);
        assertThat(b[7]).isEqualTo((byte) 20);                       // additional sense length
        assertThat(b[20]).isEqualTo((byte) 0x02);                    // descriptor type: sense key specific
        assertThat(b[21]).isEqualTo((byte) 0x06);
        Sense back = Sense.parse(b);
        assertThat(back.senseKeySpecific()).isEqualTo(POINTER);
        assertThat(back.information()).isEqualTo(0x1_0000_0000L);
    }

    @Test
    void absentWhenSksvIsClearAndRefusedWithoutIt() {
        assertThat(Sense.parse(Sense.LBA_OUT_OF_RANGE.toBytes()).senseKeySpecific()).isEqualTo(-1);
        assertThatThrownBy(() -> Sense.LBA_OUT_OF_RANGE.withSenseKeySpecific(0x00_0002))
                .hasMessageContaining("sense key specific: 0x2 (expected: 24 bits with SKSV set, or -1)");
    }
}
