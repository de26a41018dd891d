package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpathgw.scsi.MemoryBlockDevice;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libiscsi's {@code iscsi-test-cu}, a representative subset of the SCSI families (table
 * {@code target/iscsi-test-cu-scsi.tsv}), one test per process as {@code scripts/conformance.sh} runs the whole list,
 * against {@link ConformanceTarget} in the configuration that script calls "ours". A result worse than the table
 * fails; a test that passes where the table expects otherwise is reported (update the table and
 * docs/conformance.md). About 20 s on 2 cores.
 */
class ConformanceScsiTest {

    /** As scripts/conformance.sh starts ours: 64 MiB, two portals, 32 MiB MAXIMUM TRANSFER LENGTH. */
    static final List<String> OURS = List.of("--portals", "2", "--size", "64M", "--max-transfer-blocks", "65536");
    private static final String TABLE = "/target/iscsi-test-cu-scsi.tsv";
    private static final int TIMEOUT_S = 20;
    private static final Pattern SUMMARY = Pattern.compile("(?m)^\\s+tests\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)");

    private static ResourceLeakDetector.Level leakLevel;
    private static MemoryBlockDevice device;
    private static IscsiTarget target;
    private static List<String> urls;

    private static final String MISSING = "iscsi-test-cu missing: apt-get install libiscsi-bin"
            + " (or scripts/install-test-peers.sh)";

    @BeforeAll
    static void start() throws Exception {
        if (!LibiscsiTool.has("iscsi-test-cu") || !LibiscsiTool.has("timeout")) return;     // skipped per test
        // PARANOID (the surefire argLine) records every buffer access and makes this run about 4 times slower (over
        // 70 s); SIMPLE still samples allocations and logs any LEAK. scripts/conformance.sh runs the target at SIMPLE
        // too, Netty's default
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        ConformanceTarget.Options o = ConformanceTarget.Options.parse(OURS);
        device = new MemoryBlockDevice(o.blockSize, o.size / o.blockSize);
        target = ConformanceTarget.build(o, device).start();
        urls = new ArrayList<>();
        for (Portal p : target.portals())
            urls.add("iscsi://" + o.host + ":" + p.port() + "/" + o.iqn + "/" + o.lun);
    }

    @AfterAll
    static void stop() {
        if (target != null) target.close();
        if (device != null) device.close();
        if (leakLevel != null) ResourceLeakDetector.setLevel(leakLevel);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = TABLE, delimiter = '\t')
    void asInTheTable(String test, String expected, TestReporter reporter) throws Exception {
        assumeTrue(target != null, MISSING);
        List<String> command = new ArrayList<>(List.of("timeout", "-k", "5", Integer.toString(TIMEOUT_S),
                "iscsi-test-cu", "-d"));
        // as scripts/iscsi-test-cu-run.sh: both paths for the multipath tests, the first URL for every other
        command.addAll(test.startsWith("SCSI.MultipathIO.") ? urls : urls.subList(0, 1));
        command.add("--test=" + test);
        LibiscsiTool r = LibiscsiTool.run(TIMEOUT_S + 10, command.toArray(String[]::new));
        String got = classify(r);
        if (!got.equals(expected) && got.equals("PASS")) {
            reporter.publishEntry("newly passing", test + " (table: " + expected + ")");
            System.out.println("ConformanceScsiTest: " + test + " now passes (table " + TABLE + " expects " + expected
                    + "): update the table and docs/conformance.md (scripts/conformance.sh)");
            return;
        }
        assertThat(got).as("iscsi-test-cu %s (table %s); its output:\n%s", test, TABLE, r).isEqualTo(expected);
    }

    /** The table is the "ours" column of docs/conformance.md, so that the published results are the tested ones. */
    @Test
    void tableMatchesThePublishedResults() throws Exception {
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("conformance.md");
        assumeTrue(Files.isRegularFile(doc), doc + " missing (not run inside the repository)");
        Map<String, String> published = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| ((?:SCSI|iSCSI)\\.\\S+) \\| (\\w+) \\| (\\w+) \\|");
        boolean everyTest = false;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("## ")) everyTest = line.equals("## Every test");
            Matcher m = row.matcher(line);
            if (everyTest && m.find()) published.put(m.group(1), m.group(3));
        }
        Map<String, String> table = table();
        assertThat(published).as("the \"ours\" column of %s", doc).containsAllEntriesOf(table);
    }

    /** As scripts/iscsi-test-cu-run.sh: TIMEOUT, ERROR (no summary), FAIL, NOTRUN, SKIP ([SKIPPED] anywhere), PASS. */
    static String classify(LibiscsiTool r) {
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
        return r.out().contains("SKIPPED") ? "SKIP" : "PASS";
    }

    private static Map<String, String> table() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ConformanceScsiTest.class.getResourceAsStream(TABLE), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] kv = line.split("\t");
                m.put(kv[0], kv[1]);
            }
        }
        return m;
    }
}
