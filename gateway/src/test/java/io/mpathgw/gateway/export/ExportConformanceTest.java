package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.gateway.daemon.Policies;
import io.mpathgw.iscsi.tgt.Tgt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.gateway.export.ExportTools.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libiscsi's iscsi-test-cu (the whole SCSI and iSCSI list, one process per test) against a real tgtd directly and
 * against the iSCSI export of a map over that tgtd (two portals, multibus): the export must pass at least as many
 * tests as tgt does. Results: target/conformance-export/{tgt,export}/results.tsv and comparison.tsv. Run by
 * scripts/conformance-export.sh; several minutes, hence slow.
 */
@Tag("slow")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ExportConformanceTest {

    static final String IQN = "iqn.2026-11.io.mpathgw.test:conformance";
    static final String PREFIX = "iqn.2026-11.io.mpathgw.export:";

    static Path locate(String relative) {
        for (String base : new String[] {System.getenv().getOrDefault("MPATHGW_SHARED", ""), "../../shared",
                "/work/shared"})
            if (!base.isEmpty() && Files.isRegularFile(Path.of(base, relative))) return Path.of(base, relative);
        return null;
    }

    static Map<String, String> results(Path dir) throws IOException {
        Map<String, String> r = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("results.tsv"))) {
            String[] f = line.split("\t");
            if (f.length == 2) r.put(f[0], f[1]);
        }
        return r;
    }

    static void runSuite(Path out, Path list, String urls) throws Exception {
        Path runner = Path.of("..", "scripts", "iscsi-test-cu-run.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", runner.toString(), out.toString(), urls, "30")
                .redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
        pb.environment().put("TEST_LIST", list.toString());
        Files.createDirectories(out);
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).as("iscsi-test-cu run " + out).isTrue();
    }

    @Test
    void theExportOfAMapOverTgtPassesAtLeastWhatTgtPasses() throws Exception {
        assumeTrue(Tgt.available(), "tgtd missing or not runnable: scripts/install-test-peers.sh");
        assumeTool("iscsi-test-cu", "libiscsi-bin");
        Path list = locate("tools/iscsi-test-cu-list.txt");
        assumeTrue(list != null, "iscsi-test-cu-list.txt: the project's shared/tools beside the repository "
                + "(or MPATHGW_SHARED) is missing");
        Path work = Path.of("target", "conformance-export").toAbsolutePath();
        Files.createDirectories(work);
        try (Tgt tgt = Tgt.builder().portals(2).target(IQN, t -> t.lun(1, 64L << 20)).start()) {
            // tgt alone first, before the gateway logs in (its checker's commands would share the LU)
            runSuite(work.resolve("tgt"), list, tgt.url(0, IQN, 1) + " " + tgt.url(1, IQN, 1));
            MapSettings s = MapSettings.DEFAULTS.withGrouping("multibus");
            try (Gateway gw = Gateway.start(GatewaySetup.builder().loginTimeout(Duration.ofSeconds(5))
                    .discoveryTimeout(Duration.ofSeconds(15)).policies(Policies.uniform(s, true))
                    .portal(GatewaySetup.Portal.target(tgt.portals().get(0), IQN))
                    .portal(GatewaySetup.Portal.target(tgt.portals().get(1), IQN)).build());
                 Exports exports = Exports.start(new ExportSettings(new PortalAddress("127.0.0.1", 0),
                         new PortalAddress("127.0.0.1", 0), PREFIX, List.of(), null, null), MapSource.of(gw))) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!exports.exported().contains("mpatha") && System.nanoTime() < end) Thread.sleep(50);
                assertThat(exports.exported()).contains("mpatha");
                assertThat(gw.map("mpatha").orElseThrow().nrActivePaths()).isEqualTo(2);
                String url = "iscsi://127.0.0.1:" + exports.iscsiPort() + "/" + PREFIX + "mpatha/0";
                // SCSI.MultipathIO gets two sessions through the one export portal
                runSuite(work.resolve("export"), list, url + " " + url);
            }
        }
        Map<String, String> direct = results(work.resolve("tgt")), export = results(work.resolve("export"));
        List<String> rows = new ArrayList<>(List.of("test\ttgt\texport"));
        List<String> lost = new ArrayList<>();
        direct.forEach((t, r) -> {
            String e = export.getOrDefault(t, "MISSING");
            rows.add(t + "\t" + r + "\t" + e);
            if (r.equals("PASS") && !e.equals("PASS")) lost.add(t + " (export: " + e + ")");
        });
        Files.write(work.resolve("comparison.tsv"), rows);
        long tgtPass = direct.values().stream().filter("PASS"::equals).count();
        long exportPass = export.values().stream().filter("PASS"::equals).count();
        Files.writeString(work.resolve("score.txt"), "tgt " + tgtPass + " pass of " + direct.size()
                + "\nexport " + exportPass + " pass of " + export.size() + "\npass on tgt, not on the export: "
                + lost.size() + "\n" + String.join("\n", lost) + "\n");
        assertThat(export).hasSameSizeAs(direct);
        assertThat(exportPass).as("export vs tgt; passing on tgt only: " + lost).isGreaterThanOrEqualTo(tgtPass);
    }
}
