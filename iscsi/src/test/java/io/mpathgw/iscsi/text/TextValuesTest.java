package io.mpathgw.iscsi.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextValuesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"0,0", "512,512", "16776192,16776192", "0x200,512", "0X1f,31", "0xFFFFFF,16777215",
            "007,7", "999999999999999999,999999999999999999"})
    void numbersAreDecimalOrHexConstants(String text, long value) {
        assertThat(TextValues.parseNumber(text)).hasValue(value);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "-1", "+5", "1.5", "0x", "0xg1", "12a", " 1", "Yes", "0b AA==",
            "9999999999999999999", "0x1000000000000000"})
    void malformedNumbersAreEmpty(String text) {
        assertThat(TextValues.parseNumber(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0x00ff,00ff", "0xabc,0abc", "0XABCDEF,abcdef", "0x1,01", "0bAAECAw==,00010203", "0BAAEC,000102"})
    void binaryValuesAreHexOrBase64(String text, String hex) {
        assertThat(TextValues.parseBinary(text)).hasValueSatisfying(
                b -> assertThat(HexFormat.of().formatHex(b)).isEqualTo(hex));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "0x", "0b", "1234", "0xzz", "0b!!!", "0bA", "x00", "0c00"})
    void malformedBinaryValuesAreEmpty(String text) {
        assertThat(TextValues.parseBinary(text)).isEmpty();
    }

    @Test
    void encodesHexAndBase64Constants() {
        byte[] b = {0, 1, (byte) 0xab, (byte) 0xff};
        assertThat(TextValues.hex(b)).isEqualTo("0x0001abff");
        assertThat(TextValues.base64(b)).isEqualTo("0bAAGr/w==");
        assertThat(TextValues.parseBinary(TextValues.hex(b))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b));
        assertThat(TextValues.parseBinary(TextValues.base64(b))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b));
    }

    @Test
    void booleansAndReservedValuesAreCaseSensitive() {
        assertThat(TextValues.parseBoolean("Yes")).contains(true);
        assertThat(TextValues.parseBoolean("No")).contains(false);
        assertThat(TextValues.parseBoolean("yes")).isEmpty();
        assertThat(TextValues.isReserved("Reject")).isTrue();
        assertThat(TextValues.isReserved("Irrelevant")).isTrue();
        assertThat(TextValues.isReserved("NotUnderstood")).isTrue();
        assertThat(TextValues.isReserved("reject")).isFalse();
        assertThat(TextValues.isReserved("None")).isFalse();
        assertThat(TextValues.parseList("CRC32C,None")).containsExactly("CRC32C", "None");
    }
}
