package io.mpathgw.scsi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogicalBlockProvisioningTest {

    /** page | threshold | lbpu | lbpws | lbpws10 | lbprz | anc | provisioning type */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        00 b2 00 04 00 e4 02 00 | 0 | true  | true  | true  | 1 | false | 2
        00 b2 00 04 00 00 00 00 | 0 | false | false | false | 0 | false | 0
        00 b2 00 04 0c 86 01 00 | 12 | true | false | false | 1 | true  | 1
        00 b2 00 04 00 48 02 00 | 0 | false | true  | false | 2 | false | 2
        """)
    void parses(String image, int threshold, boolean lbpu, boolean lbpws, boolean lbpws10, int lbprz, boolean anc,
                int type) {
        LogicalBlockProvisioning p = LogicalBlockProvisioning.parse(Hex.bytes(image));
        assertThat(p).isEqualTo(new LogicalBlockProvisioning(threshold, lbpu, lbpws, lbpws10, lbprz, anc, false, type));
        assertThat(Hex.of(p.toBytes(0))).isEqualTo(image);
        assertThat(p.canUnmap()).isEqualTo(lbpu || lbpws || lbpws10);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        00 b2 00 02 00 80       | VPD page 0xb2 page length: 2 (expected: >= 4)
        00 b2 00 04 00 80       | VPD page 0xb2 page length: 4 (expected: <= 2 bytes received; re-issue INQUIRY with allocation length 8)
        00 b0 00 04 00 80 00 00 | VPD page code: 0xb0 (expected: 0xb2)
        """)
    void rejects(String image, String message) {
        assertThatThrownBy(() -> LogicalBlockProvisioning.parse(Hex.bytes(image)))
                .isInstanceOf(ScsiDataException.class).hasMessage(message);
    }
}
