package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libiscsi's conformance suite, the iSCSI-level families, one test per process as
 * ../shared/tools/iscsi-test-cu-run.sh runs them, against our target with the test-only disk. The expected
 * results are {@code target/iscsi-test-cu-iscsi.tsv}; any difference fails. Only with a required CRC32C header digest
 * (tag slow): the default configuration of these tests runs in {@link ConformanceScsiTest}, against
 * {@link ConformanceTarget}, with every other test of docs/conformance.md, and is not run twice.
 */
class IscsiTestCuTest {

    private static final Pattern SUMMARY = Pattern.compile("(?m)^\\s+tests\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)");

    @Test
    @Tag("slow")
    void iscsiFamiliesWithHeaderDigest() throws Exception {
        run("?header_digest=crc32c");
    }

    private void run(String query) throws Exception {
        assumeTrue(LibiscsiTool.has("iscsi-test-cu"), "iscsi-test-cu missing: apt-get install libiscsi-bin");
        Map<String, String> expected = expected();
        try (TargetFixture f = new TargetFixture()) {
            String url = "iscsi://127.0.0.1:" + f.portal(0).getPort() + "/" + TargetFixture.IQN + "/0" + query;
            Map<String, String> got = new LinkedHashMap<>();
            List<String> logs = new ArrayList<>();
            for (String test : expected.keySet()) {
                LibiscsiTool r = LibiscsiTool.run(30, "iscsi-test-cu", "-d", url, "--test=" + test);
                got.put(test, classify(r));
                if (!got.get(test).equals(expected.get(test))) logs.add("== " + test + "\n" + r);
            }
            assertThat(got).as("iscsi-test-cu results (left: got); logs of the differences:\n%s", String.join("\n", logs))
                    .isEqualTo(expected);
        }
    }

    /**
     * As iscsi-test-cu-run.sh classifies (TIMEOUT, ERROR without a summary, FAIL, NOTRUN, SKIP, PASS), except that
     * SKIP needs a [SKIPPED] inside the test itself (between "Test:" and "passed"): the script counts one printed
     * by the suite's teardown too ("PERSISTENT RESERVE IN is not implemented", which the test-only disk lacks).
     */
    private static String classify(LibiscsiTool r) {
        if (r.exit() >= 124) return "TIMEOUT";
        Matcher m = SUMMARY.matcher(r.out());
        String ran = null, failed = null;
        while (m.find()) {
            ran = m.group(2);
            failed = m.group(4);
        }
        if (ran == null) return "ERROR";
        if (!failed.equals("0")) return "FAIL";
        if (ran.equals("0")) return "NOTRUN";
        int test = r.out().indexOf("Test:");
        int passed = test < 0 ? -1 : r.out().indexOf("passed", test);
        return passed > 0 && r.out().substring(test, passed).contains("SKIPPED") ? "SKIP" : "PASS";
    }

    private static Map<String, String> expected() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                IscsiTestCuTest.class.getResourceAsStream("/target/iscsi-test-cu-iscsi.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] kv = line.split("\t");
                m.put(kv[0], kv[1]);
            }
        }
        return m;
    }
}
