package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.tgt.Tgt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CLI against a real tgtd, and side by side with libiscsi's iscsi-ls / iscsi-inq on the same targets: the same
 * target names and portals, LUN numbers and types, vendor/product, VPD pages and designators.
 */
class IscsiCliTgtTest {

    static final String DISKS = "iqn.2026-11.io.mpathgw.test:cli-disks";
    static final String SPARE = "iqn.2026-11.io.mpathgw.test:cli-spare";
    static final int LUN1_BYTES = 64 << 20;
    static final int LUN2_BYTES = 8 << 20;

    static Tgt tgt;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Tgt.available(), "tgtd missing: apt-get install tgt");
        tgt = Tgt.builder().portals(2)
                .target(DISKS, t -> t.lun(1, LUN1_BYTES).lun(2, LUN2_BYTES))
                .target(SPARE, t -> t.lun(1, 4 << 20))
                .start();
    }

    @AfterAll
    static void stop() {
        if (tgt != null) tgt.close();
    }

    static String portalUrl(int i) {
        InetSocketAddress a = tgt.portals().get(i);
        return "iscsi://" + a.getHostString() + ":" + a.getPort();
    }

    static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r;
    }

    static LibiscsiTool libiscsi(String... command) throws Exception {
        assumeTrue(LibiscsiTool.has(command[0]), command[0] + " missing: apt-get install libiscsi-bin");
        LibiscsiTool t = LibiscsiTool.run(command);
        assertThat(t.exit()).as(String.join(" ", command) + "\n" + t).isZero();
        return t;
    }

    // ---------------------------------------------------------------- ls

    @Test
    void lsListsTheSameTargetsAndPortalsAsIscsiLs() throws Exception {
        CliRun ours = ok("ls", portalUrl(1));
        LibiscsiTool theirs = libiscsi("iscsi-ls", portalUrl(1));
        assertThat(ours.outLines()).as(ours + "\niscsi-ls:\n" + theirs).containsExactlyInAnyOrderElementsOf(theirs.lines());
        // tgt answers SendTargets with the portal the discovery session came in on
        InetSocketAddress p = tgt.portals().get(1);
        for (String target : List.of(DISKS, SPARE))
            assertThat(ours.outLines()).as(ours.toString())
                    .contains("Target:" + target + " Portal:" + p.getHostString() + ":" + p.getPort() + ",1");
    }

    @Test
    void lsShowLunsHasIscsiLsLunsAndTypesPlusCapacityAndWwid() throws Exception {
        CliRun ours = ok("ls", "-s", portalUrl(0));
        LibiscsiTool theirs = libiscsi("iscsi-ls", "-s", portalUrl(0));
        assertThat(lunsAndTypes(ours.outLines())).as(ours + "\niscsi-ls -s:\n" + theirs)
                .isEqualTo(lunsAndTypes(theirs.lines()));
        String lun1 = lunLine(ours, DISKS, 1);
        assertThat(lun1).as(ours.toString()).contains("Type:DIRECT_ACCESS", "Vendor:IET", "Product:VIRTUAL-DISK",
                "Capacity:" + LUN1_BYTES + " (" + LUN1_BYTES / 512 + "x512)");
        assertThat(lunLine(ours, DISKS, 2)).contains("Capacity:" + LUN2_BYTES + " (" + LUN2_BYTES / 512 + "x512)");
        String wwid = ok("inq", "-c", "0x83", tgt.url(0, DISKS, 1)).field("WWID");
        assertThat(wwid).startsWith("36");
        assertThat(lun1).endsWith(" WWID:" + wwid);
        assertThat(lunLine(ours, DISKS, 2)).doesNotContain(wwid);
    }

    /** Per "Target:… Portal:…" header, the "Lun:N Type:T" pairs listed under it. */
    static Map<String, List<String>> lunsAndTypes(List<String> lines) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        Pattern lun = Pattern.compile("^Lun:(\\d+)\\s+Type:(\\S+).*");
        List<String> current = null;
        for (String l : lines) {
            if (l.startsWith("Target:")) m.put(l, current = new ArrayList<>());
            Matcher x = lun.matcher(l);
            if (x.matches() && current != null) current.add(x.group(1) + " " + x.group(2));
        }
        return m;
    }

    static String lunLine(CliRun r, String target, int lun) {
        boolean in = false;
        for (String l : r.outLines()) {
            if (l.startsWith("Target:")) in = l.startsWith("Target:" + target + " ");
            else if (in && l.startsWith(String.format("Lun:%-4d ", lun))) return l;
        }
        throw new AssertionError("no Lun:" + lun + " under " + target + " in\n" + r);
    }

    // ---------------------------------------------------------------- inq

    @Test
    void standardInquiryAgreesWithIscsiInqOnEveryCommonField() throws Exception {
        CliRun ours = ok("inq", tgt.url(1, DISKS, 1));
        LibiscsiTool theirs = libiscsi("iscsi-inq", tgt.url(1, DISKS, 1));
        Map<String, String> a = fields(ours.outLines());
        Map<String, String> b = fields(theirs.lines());
        List<String> common = a.keySet().stream().filter(b::containsKey).toList();
        assertThat(common).contains("Peripheral Qualifier", "Peripheral Device Type", "Vendor", "Product", "Revision",
                "TPGS", "HiSup", "CmdQue");
        for (String k : common) {
            String ourValue = k.equals("Version") ? a.get(k).split(" ")[0] : a.get(k);
            String theirValue = k.equals("Version") ? b.get(k).split(" ")[0] : b.get(k);
            assertThat(ourValue).as(k + "\n" + ours + "\niscsi-inq:\n" + theirs).isEqualTo(theirValue);
        }
        assertThat(a).containsEntry("Vendor", "IET").containsEntry("Product", "VIRTUAL-DISK")
                .containsEntry("Peripheral Device Type", "DIRECT_ACCESS");
    }

    static Map<String, String> fields(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            int c = l.indexOf(':');
            if (c > 0) m.putIfAbsent(l.substring(0, c), l.substring(c + 1).trim());
        }
        return m;
    }

    /** Pages whose decoded lines are the same as iscsi-inq's; 0x80 is compared trimmed (tgt right-aligns it). */
    @ParameterizedTest(name = "VPD page {0}")
    @ValueSource(ints = {0x00, 0x80, 0xB0, 0xB2})
    void vpdPageAgreesWithIscsiInq(int page) throws Exception {
        CliRun ours = ok("inq", "-e", "-c", String.format("0x%02x", page), tgt.url(0, DISKS, 2));
        LibiscsiTool theirs = libiscsi("iscsi-inq", "-e", "1", "-c", Integer.toString(page), tgt.url(0, DISKS, 2));
        List<String> expected = theirs.lines().stream().map(l -> l.replaceAll("\\[\\s+", "[")).toList();
        assertThat(ours.outLines()).as(ours + "\niscsi-inq:\n" + theirs).isEqualTo(expected);
        if (page == 0x80) assertThat(ours.out()).contains("[" + tgt.scsiSerial(DISKS, 2) + "]");
    }

    @Test
    void deviceIdentificationHasIscsiInqsDesignatorsAndTheNaaWwid() throws Exception {
        CliRun ours = ok("inq", "-e", "--pagecode=0x83", tgt.url(1, DISKS, 1));
        LibiscsiTool theirs = libiscsi("iscsi-inq", "-e", "1", "-c", "131", tgt.url(1, DISKS, 1));
        List<String> a = designators(ours.outLines(), true);
        List<String> b = designators(theirs.lines(), false);
        // libiscsi builds its designator list by prepending: compare as multisets
        assertThat(a).as(ours + "\niscsi-inq:\n" + theirs).containsExactlyInAnyOrderElementsOf(b).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ours.out()).contains("Designator:[" + tgt.scsiId(DISKS, 1));
        String naa6 = ours.outLines().stream().filter(l -> l.startsWith("Designator:[6")).findFirst().orElseThrow();
        assertThat(ours.field("WWID")).isEqualTo("3" + naa6.substring("Designator:[".length(), naa6.length() - 1));
    }

    /**
     * One string per designator: code set, PIV, association, type and the value. iscsi-inq prints a binary
     * designator's raw bytes up to the first NUL; ours is hex, so it is cut the same way before comparing.
     */
    static List<String> designators(List<String> lines, boolean hex) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        boolean binary = false;
        for (String l : lines) {
            if (l.startsWith("DEVICE DESIGNATOR #")) {
                if (cur != null) out.add(cur.toString());
                cur = new StringBuilder();
            } else if (cur != null && l.startsWith("Designator:[")) {
                String v = l.substring("Designator:[".length(), l.lastIndexOf(']'));
                if (binary && hex) {
                    byte[] raw = HexFormat.of().parseHex(v);
                    int nul = 0;
                    while (nul < raw.length && raw[nul] != 0) nul++;
                    v = new String(Arrays.copyOf(raw, nul), StandardCharsets.ISO_8859_1);
                }
                cur.append(" value=").append(v);
            } else if (cur != null && (l.startsWith("Code Set:") || l.startsWith("PIV:") || l.startsWith("Association:")
                    || l.startsWith("Designator Type:("))) {
                if (l.startsWith("Code Set:")) binary = l.startsWith("Code Set:(1)");
                // compare the numbers only: libiscsi and we spell a few names differently (T10_VENDORT_ID)
                cur.append(' ').append(l.replaceAll("\\) .*", ")"));
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }

    // ---------------------------------------------------------------- perf

    @Test
    void perfReadsAtQueueDepthAndReportsJson() {
        CliRun r = ok("perf", "--json", "--seconds", "0.5", "--warmup", "0", "--qd", "8", "--bs", "65536",
                tgt.url(0, DISKS, 1));
        assertThat(r.outLines()).as(r.toString()).hasSize(1);
        assertThat(r.out()).as(r.toString()).contains("\"workload\":\"read\"", "\"pattern\":\"sequential\"",
                "\"bs\":65536", "\"qd\":8", "\"retries\":0").containsPattern("\"ios\":[1-9]");
        CliRun text = ok("perf", "--random", "--bs", "4k", "--qd", "1", "-t", "0.3", "--warmup", "0.1", tgt.url(1, DISKS, 2));
        assertThat(text.outLines()).as(text.toString()).hasSize(2);
        assertThat(text.outLines().get(0)).as(text.toString()).contains("random read, 4096 bytes per I/O, QD 1");
        assertThat(text.outLines().get(1)).as(text.toString()).matches("IOPS [1-9]\\d*  MiB/s .* latency mean \\d+ us  p50 \\d+ us  p99 \\d+ us .*");
    }

    @Test
    void perfWritesThePatternIntactWithDigests() throws IOException {
        CliRun r = ok("perf", "--write", "--header-digest", "--data-digest", "--seconds", "0.5", "--warmup", "0",
                "--qd", "16", "--bs", "131072", tgt.url(0, SPARE, 1));
        assertThat(r.out()).as(r.toString()).contains("sequential write, 131072 bytes per I/O, QD 16");
        byte[] disk = Files.readAllBytes(tgt.backingFile(SPARE, 1));
        byte[] first = Arrays.copyOf(disk, 131072);
        assertThat(first).as("chunk 0 written").isNotEqualTo(new byte[131072]);
        for (int at = 0; at < disk.length; at += 131072) {
            byte[] chunk = Arrays.copyOfRange(disk, at, at + 131072);
            if (!Arrays.equals(chunk, new byte[131072]))
                assertThat(chunk).as("chunk at %d holds the pattern", at).isEqualTo(first);
        }
    }

    // ---------------------------------------------------------------- failures: exit 1, one line

    static CliRun failsWithOneLine(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().lines()).as(r.toString()).hasSize(1);
        return r;
    }

    @Test
    void refusedConnectionNamesThePortal() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = failsWithOneLine("ls", "iscsi://127.0.0.1:" + port);
        assertThat(r.firstErrLine()).as(r.toString())
                .startsWith("mpathgw iscsi ls: login to 127.0.0.1:" + port + " (discovery): connect to 127.0.0.1:" + port + " failed");
    }

    @Test
    void missingLunNamesTheCommandAndTheSense() {
        CliRun r = failsWithOneLine("perf", "--seconds", "0.2", tgt.url(0, DISKS, 9));
        assertThat(r.firstErrLine()).as(r.toString())
                .startsWith("mpathgw iscsi perf: TEST UNIT READY on ")
                .endsWith(" lun 9: CHECK CONDITION ILLEGAL REQUEST 25/00");
    }

    @Test
    void unknownTargetFailsTheLogin() {
        InetSocketAddress p = tgt.portals().get(0);
        String target = "iqn.2026-11.io.mpathgw.test:nope";
        CliRun r = failsWithOneLine("inq", "--timeout", "3", portalUrl(0) + "/" + target + "/1");
        assertThat(r.firstErrLine()).as(r.toString())
                .startsWith("mpathgw iscsi inq: login to " + p.getHostString() + ":" + p.getPort() + " " + target + ": ");
    }
}
