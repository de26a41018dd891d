package io.mpathgw.scsi;

import io.mpathgw.scsi.PersistentReserve.Keys;
import io.mpathgw.scsi.PersistentReserve.Reservation;
import io.mpathgw.scsi.PersistentReserve.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistentReserveTest {

    @Test
    void readKeys() {
        Keys keys = PersistentReserve.parseKeys(Hex.bytes("00 00 00 07 00 00 00 10"
                + " 00 00 00 00 00 00 ab cd 11 22 33 44 55 66 77 88"));
        assertThat(keys).isEqualTo(new Keys(7, new long[] {0xabcd, 0x1122334455667788L}));
        assertThat(keys).hasToString("generation 7, keys [0xabcd, 0x1122334455667788]");
        assertThat(PersistentReserve.parseKeys(Hex.bytes("00 00 00 02 00 00 00 00")).keys()).isEmpty();
    }

    @Test
    void readReservation() {
        assertThat(PersistentReserve.parseReservation(Hex.bytes("00 00 00 09 00 00 00 10"
                + " 00 00 00 00 00 00 ab cd 00 00 00 00 00 05 00 00")))
                .contains(new Reservation(9, 0xabcd, 0, Type.WRITE_EXCLUSIVE_REGISTRANTS_ONLY));
        assertThat(PersistentReserve.parseReservation(Hex.bytes("00 00 00 09 00 00 00 00"))).isEmpty();
    }

    @Test
    void rejects() {
        assertThatThrownBy(() -> PersistentReserve.parseKeys(Hex.bytes("00 00 00 07 00 00 00 0c 00*12")))
                .isInstanceOf(ScsiDataException.class)
                .hasMessage("READ KEYS additional length: 12 (expected: a multiple of 8)");
        assertThatThrownBy(() -> PersistentReserve.parseKeys(Hex.bytes("00 00 00 07 00 00 00 10 00*8")))
                .isInstanceOf(ScsiDataException.class)
                .hasMessage("READ KEYS parameter data: 16 bytes (expected: >= 24)");
        assertThatThrownBy(() -> PersistentReserve.parseReservation(Hex.bytes("00 00 00 09 00 00 00 10"
                + " 00 00 00 00 00 00 ab cd 00 00 00 00 00 02 00 00")))
                .isInstanceOf(ScsiDataException.class)
                .hasMessage("persistent reservation type: 0x2 (expected: 1, 3, 5, 6, 7 or 8)");
    }
}
