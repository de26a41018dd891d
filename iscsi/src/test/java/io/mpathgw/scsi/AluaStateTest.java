package io.mpathgw.scsi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AluaStateTest {

    /** code | kernel name (sysfs access_state) | log letter | SUPPORTED STATES bit */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        0x0 | active/optimized     | A | 0x01
        0x1 | active/non-optimized | N | 0x02
        0x2 | standby              | S | 0x04
        0x3 | unavailable          | U | 0x08
        0x4 | lba-dependent        | L | 0x10
        0xe | offline              | O | 0x40
        0xf | transitioning        | T | 0x80
        """)
    void codesNamesLettersAndBits(String code, String name, char letter, String bit) {
        AluaState s = AluaState.of(Integer.decode(code)).orElseThrow();
        assertThat(s.kernelName()).isEqualTo(name);
        assertThat(s).hasToString(name);
        assertThat(s.letter()).isEqualTo(letter);
        assertThat(s.supportBit()).isEqualTo(Integer.decode(bit));
        assertThat(AluaState.ofKernelName(name)).contains(s);
    }

    @ParameterizedTest
    @CsvSource({"5", "9", "13"})
    void reservedCodesHaveNoState(int code) {
        assertThat(AluaState.of(code)).isEmpty();
    }
}
