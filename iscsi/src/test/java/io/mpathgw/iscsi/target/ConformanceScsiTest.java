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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * libiscsi's {@code iscsi-test-cu}, every test of the published per-test table (the "ours" column of the "Every test"
 * section of docs/conformance.md, 230 tests, SCSI and iSCSI families), one test per process as
 * {@code scripts/conformance.sh} runs the whole list, against {@link ConformanceTarget} in the configuration that
 * script calls "ours" (512-byte physical blocks, no digest required). The expected results are read from that
 * document itself, so the published table is the tested one. A result worse than the table fails; a test that
 * passes where the table expects otherwise is reported (rerun scripts/conformance.sh to update the document).
 */
class ConformanceScsiTest {

    /** As scripts/conformance.sh starts ours: 64 MiB, two portals, 32 MiB MAXIMUM TRANSFER LENGTH. */
    static final List<String> OURS = List.of("--portals", "2", "--size", "64M", "--max-transfer-blocks", "65536");
    /** The document, relative to the module directory (surefire's working directory), and its section. */
    private static final Path DOC = Path.of(System.getProperty("user.dir")).resolveSibling("docs")
            .resolve("conformance.md");
    private static final String TABLE = "the \"ours\" column of docs/conformance.md";
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
    @MethodSource("published")
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
                    + "): update docs/conformance.md (scripts/conformance.sh)");
            return;
        }
        assertThat(got).as("iscsi-test-cu %s (table %s); its output:\n%s", test, TABLE, r).isEqualTo(expected);
    }

    /** Every row of docs/conformance.md's "Every test" table as (test, result in the "ours" column). */
    static Stream<Arguments> published() throws Exception {
        Map<String, String> table = publishedTable();
        return table.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** The table must be whole: as many rows as the section's summary says ("230 tests"), each test once. */
    @Test
    void tableIsTheWholePublishedList() throws Exception {
        assumeTrue(Files.isRegularFile(DOC), DOC + " missing (not run inside the repository)");
        Matcher count = Pattern.compile("<summary>(\\d+) tests</summary>").matcher(Files.readString(DOC));
        assertThat(count.find()).as("the \"Every test\" summary line of %s", DOC).isTrue();
        assertThat(publishedTable()).as(TABLE).hasSize(Integer.parseInt(count.group(1)));
    }

    static Map<String, String> publishedTable() throws Exception {
        if (!Files.isRegularFile(DOC)) throw new IllegalStateException(DOC + " missing (not run inside the repository)");
        Map<String, String> published = new LinkedHashMap<>();
        // | test | tgt | ours | ours, CRC32C | ours, 4 KiB physical |
        Pattern row = Pattern.compile("^\\| ((?:SCSI|iSCSI)\\.\\S+) \\| (\\w+) \\| (\\w+) \\|");
        boolean everyTest = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) everyTest = line.equals("## Every test");
            if (everyTest && line.startsWith("| test |"))
                assertThat(line).as("column order of %s", DOC).startsWith("| test | tgt | ours |");
            Matcher m = row.matcher(line);
            if (everyTest && m.find() && published.put(m.group(1), m.group(3)) != null)
                throw new IllegalStateException(m.group(1) + " twice in " + DOC);
        }
        if (published.isEmpty()) throw new IllegalStateException("no \"## Every test\" table in " + DOC);
        return published;
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
}
