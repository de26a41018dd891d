package io.mpathgw.dm.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** multipath_message's argument checks (spec §3, kernel-golden README §2e): verbs, argc, case. */
class DmMessageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "queue_if_no_path|queue_if_no_path", "QUEUE_IF_NO_PATH|queue_if_no_path",
            "Fail_If_No_Path|fail_if_no_path", "disable_group 2|disable_group 2", "enable_group x|enable_group x",
            "switch_group 1x|switch_group 1x", "FAIL_PATH 8:16|fail_path 8:16",
            "'  reinstate_path   p-1 '|reinstate_path p-1"})
    void parsesVerbsCaseInsensitively(String text, String parsed) throws MessageException {
        assertThat(DmMessage.parse(text).toString()).isEqualTo(parsed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "switch_group|Invalid multipath message arguments. Expected 2 arguments, got 1.",
            "frobnicate|Invalid multipath message arguments. Expected 2 arguments, got 1.",
            "fail_path 8:16 extra|Invalid multipath message arguments. Expected 2 arguments, got 3.",
            "frobnicate 1|Unrecognised multipath message received: frobnicate",
            "queue_if_no_path extra|Unrecognised multipath message received: queue_if_no_path",
            "fail_ıf_no_path|Invalid multipath message arguments. Expected 2 arguments, got 1."})
    void refusesWithTheKernelsWarning(String text, String warning) {
        assertThatThrownBy(() -> DmMessage.parse(text))
                .isInstanceOfSatisfying(MessageException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.kernelLine()).isEqualTo("device-mapper: multipath: " + warning);
                });
    }
}
