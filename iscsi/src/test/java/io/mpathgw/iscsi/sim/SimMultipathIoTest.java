package io.mpathgw.iscsi.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libiscsi's {@code iscsi-test-cu URL1 URL2 --test=SCSI.MultipathIO} through two portals (one per controller) of the
 * same simulated LUN (issue 4: tgt skips all four). Skipped, with the reason, when libiscsi-bin is not installed.
 */
class SimMultipathIoTest {

    static boolean has(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Personality.class, names = {"ACTIVE_ACTIVE", "ALUA"})
    void multipathIoPassesThroughTwoControllers(Personality personality) throws Exception {
        assumeTrue(has("iscsi-test-cu"), "iscsi-test-cu missing: apt-get install libiscsi-bin");
        try (SimFixture f = new SimFixture(b -> b.personality(personality).portalsPerController(1)
                .lun(LunSpec.of(0, 64L << 20)))) {
            List<String> cmd = List.of("iscsi-test-cu", "--dataloss", url(f, 0), url(f, 1), "--test=SCSI.MultipathIO");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("found matching LU device identifier for all (2) paths")
                    .contains("Test: Simple ...passed", "Test: Reset ...passed", "Test: CompareAndWrite ...passed",
                            "Test: CompareAndWriteAsync ...passed")
                    .doesNotContain("SKIPPED", "FAILED");
        }
    }

    static String url(SimFixture f, int portal) {
        var a = f.sim.address(portal);
        return "iscsi://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/" + f.sim.targetName(portal) + "/0";
    }
}
