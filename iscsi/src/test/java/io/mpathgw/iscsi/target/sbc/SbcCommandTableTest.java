package io.mpathgw.iscsi.target.sbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** One command per line of {@code sbc/commands.cases}, each against a fresh LU: status, sense, field pointer, data. */
class SbcCommandTableTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/sbc/commands.cases", delimiter = '|', maxCharsPerColumn = 16384)
    void answersAsTheStandardsSay(String name, String profile, String cdb, String dataOut, String expected,
                                  String data) {
        try (TestLu t = TestLu.profile(profile)) {
            byte[] out = dataOut.equals("-") ? null : TestLu.cdb(dataOut);
            TestLu.Result r = t.run(TestLu.A, TestLu.cdb(cdb), out).expect(Expect.parse(expected));
            checkData(r, data);
        }
    }

    private static void checkData(TestLu.Result r, String data) {
        if (data.equals("-")) return;
        String[] t = data.split(":");
        var response = r.reply().response();
        switch (t[0]) {
            case "len" -> assertThat(r.data()).hasSize(Integer.parseInt(t[1]));
            case "over" -> {
                assertThat(response.overflow()).as("overflow of " + response).isTrue();
                assertThat(response.residual()).isEqualTo(Integer.parseInt(t[1]));
            }
            case "under" -> {
                assertThat(response.underflow()).as("underflow of " + response).isTrue();
                assertThat(response.residual()).isEqualTo(Integer.parseInt(t[1]));
            }
            default -> assertThat(HexFormat.of().formatHex(r.data()))
                    .isEqualTo(HexFormat.of().formatHex(TestLu.cdb(data)));
        }
    }
}
