package io.mpathgw.gateway.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every way a multipath.conf fails to load, with the exact message: file, line, keyword, what, what was expected. */
class MultipathConfErrorTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("defaults {\n  polling_interval 2\n", "m.conf:1: defaults: missing closing '}' "
                        + "(expected: '}' to close the block opened on line 1 before the end of the file)"),
                arguments("devices {\n device {\n  vendor X\n  product Y\n }\n", "m.conf:1: devices: missing closing '}' "
                        + "(expected: '}' to close the block opened on line 1 before the end of the file)"),
                arguments("multipaths {\n multipath {\n  wwid 3600\n}\n", "m.conf:1: multipaths: missing closing '}' "
                        + "(expected: '}' to close the block opened on line 1 before the end of the file)"),
                arguments("defaults {\n}\n}\n", "m.conf:3: }: unmatched '}' (expected: '}' only to close a block)"),
                arguments("{\n", "m.conf:1: {: '{' without a keyword (expected: 'section {')"),
                arguments("defaults\n{\n}\n", "m.conf:1: defaults: missing '{' (expected: 'defaults {' to open the block)"),
                arguments("devices {\n device\n}\n", "m.conf:2: device: missing '{' (expected: 'device {' to open the block)"),
                arguments("defaults {\n  polling_interval\n}\n", "m.conf:2: polling_interval: missing value "
                        + "(expected: 'polling_interval VALUE' on one line)"),
                arguments("defaults {\n  path_selector \"service-time 0\n}\n", "m.conf:2: path_selector: missing closing "
                        + "quote (expected: a '\"' before the end of the line)"),
                arguments("defaults {\n  no_path_retry forever\n}\n", "m.conf:2: no_path_retry: invalid value \"forever\" "
                        + "(expected: queue, fail or a number of checks >= 1)"),
                arguments("defaults {\n  no_path_retry -3\n}\n", "m.conf:2: no_path_retry: invalid value \"-3\" "
                        + "(expected: queue, fail or a number of checks >= 1)"),
                arguments("overrides {\n  failback soon\n}\n", "m.conf:2: failback: invalid value \"soon\" "
                        + "(expected: immediate, manual, followover or a number of seconds >= 1)"),
                arguments("defaults {\n  failback 0\n}\n", "m.conf:2: failback: invalid value \"0\" "
                        + "(expected: immediate, manual, followover or a number of seconds >= 1)"),
                arguments("defaults {\n polling_interval 0\n}\n", "m.conf:2: polling_interval: invalid value \"0\" "
                        + "(expected: a whole number >= 1)"),
                arguments("defaults {\n checker_timeout 5s\n}\n", "m.conf:2: checker_timeout: invalid value \"5s\" "
                        + "(expected: a whole number >= 1)"),
                arguments("defaults {\n path_grouping_policy group_by_luck\n}\n", "m.conf:2: path_grouping_policy: "
                        + "invalid value \"group_by_luck\" (expected: failover, multibus, group_by_serial, "
                        + "group_by_prio, group_by_node_name or group_by_tpg)"),
                arguments("defaults {\n path_selector \"service-time\"\n}\n", "m.conf:2: path_selector: invalid value "
                        + "\"service-time\" (expected: a path selector and its argument count, e.g. \"service-time 0\")"),
                arguments("defaults {\n path_selector \"fastest 0\"\n}\n", "m.conf:2: path_selector: invalid value "
                        + "\"fastest 0\" (expected: a path selector and its argument count, e.g. \"service-time 0\")"),
                arguments("defaults {\n features \"2 pg_init_retries\"\n}\n", "m.conf:2: features: invalid value "
                        + "\"2 pg_init_retries\" (expected: a count followed by that many words of dm-multipath features: queue_if_no_path, "
                        + "retain_attached_hw_handler, pg_init_retries 1..50, pg_init_delay_msecs 0..60000, "
                        + "queue_mode bio|rq|mq)"),
                arguments("defaults {\n features \"2 pg_init_retries 99\"\n}\n", "m.conf:2: features: invalid value "
                        + "\"2 pg_init_retries 99\" (expected: a count followed by that many words of dm-multipath features: queue_if_no_path, "
                        + "retain_attached_hw_handler, pg_init_retries 1..50, pg_init_delay_msecs 0..60000, "
                        + "queue_mode bio|rq|mq; pg_init_retries 99)"),
                arguments("defaults {\n features \"2 queue_mode fast\"\n}\n", "m.conf:2: features: invalid value "
                        + "\"2 queue_mode fast\" (expected: a count followed by that many words of dm-multipath features: queue_if_no_path, "
                        + "retain_attached_hw_handler, pg_init_retries 1..50, pg_init_delay_msecs 0..60000, "
                        + "queue_mode bio|rq|mq; queue_mode fast)"),
                arguments("defaults {\n features \"1 pg_init_retries\"\n}\n", "m.conf:2: features: invalid value "
                        + "\"1 pg_init_retries\" (expected: a count followed by that many words of dm-multipath features: queue_if_no_path, "
                        + "retain_attached_hw_handler, pg_init_retries 1..50, pg_init_delay_msecs 0..60000, "
                        + "queue_mode bio|rq|mq; pg_init_retries without a value)"),
                arguments("devices {\n device {\n  vendor X\n  product Y\n  hardware_handler \"1 ALUA\"\n }\n}\n",
                        "m.conf:5: hardware_handler: invalid value \"1 ALUA\" (expected: \"0\" or a count and a "
                                + "handler: alua, rdac, emc or hp_sw, e.g. \"1 alua\")"),
                arguments("defaults {\n prio best\n}\n", "m.conf:2: prio: invalid value \"best\" (expected: const, "
                        + "random, alua, rdac, emc, hp_sw, weightedpath or path_latency)"),
                arguments("defaults {\n checker ping\n}\n", "m.conf:2: checker: invalid value \"ping\" (expected: tur, "
                        + "directio, readsector0, rdac, emc_clariion, hp_sw or none)"),
                arguments("defaults {\n rr_weight heavy\n}\n", "m.conf:2: rr_weight: invalid value \"heavy\" "
                        + "(expected: uniform or priorities)"),
                arguments("defaults {\n user_friendly_names maybe\n}\n", "m.conf:2: user_friendly_names: invalid value "
                        + "\"maybe\" (expected: yes or no)"),
                arguments("defaults {\n find_multipaths sometimes\n}\n", "m.conf:2: find_multipaths: invalid value "
                        + "\"sometimes\" (expected: off, on, strict, greedy or smart (no/yes/0/1 also))"),
                arguments("devices {\n device {\n  vendor \"(IBM\"\n  product Y\n }\n}\n", "m.conf:3: vendor: invalid "
                        + "value \"(IBM\" (expected: a POSIX extended regular expression; Unclosed group)"),
                arguments("blacklist {\n devnode \"^sd[a-\"\n}\n", "m.conf:2: devnode: invalid value \"^sd[a-\" "
                        + "(expected: a POSIX extended regular expression; unclosed bracket expression)"),
                arguments("blacklist {\n device {\n }\n}\n", "m.conf:2: device: neither vendor nor product "
                        + "(expected: at least one)"),
                arguments("devices {\n device {\n  vendor X\n }\n}\n", "m.conf:2: device: missing product "
                        + "(expected: vendor and product in every device block)"),
                arguments("devices {\n device {\n  product X\n }\n}\n", "m.conf:2: device: missing vendor "
                        + "(expected: vendor and product in every device block)"),
                arguments("multipaths {\n multipath {\n  alias db\n }\n}\n", "m.conf:2: multipath: missing wwid "
                        + "(expected: wwid in every multipath block)"),
                arguments("multipaths {\n multipath {\n  wwid \"\"\n }\n}\n", "m.conf:3: wwid: invalid value \"\" "
                        + "(expected: a non-empty string)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void refusesWithFileLineKeyAndExpectation(String text, String message) {
        assertThatThrownBy(() -> MultipathConf.parse(text, "m.conf"))
                .isInstanceOf(ConfException.class).hasMessage(message);
    }
}
