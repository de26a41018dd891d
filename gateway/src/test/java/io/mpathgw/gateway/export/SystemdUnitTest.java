package io.mpathgw.gateway.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.mpathgw.gateway.export.ExportTools.assumeTool;
import static io.mpathgw.gateway.export.ExportTools.run;
import static org.assertj.core.api.Assertions.assertThat;

/** packaging/systemd/mpathgw.service: what systemd-analyze says of it, and the settings the service relies on. */
class SystemdUnitTest {

    static final Path UNIT = Path.of("..", "packaging", "systemd", "mpathgw.service");

    static Map<String, String> service() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("[")) section = l;
            else if (section.equals("[Service]")) keys.merge(l.substring(0, l.indexOf('=')),
                    l.substring(l.indexOf('=') + 1), (a, b) -> a + "\n" + b);
        }
        return keys;
    }

    @Test
    void systemdAnalyzeVerifyFindsNothingToSay(@TempDir Path dir) throws Exception {
        assumeTool("systemd-analyze", "systemd");
        var clean = run(Duration.ofSeconds(30), "systemd-analyze", "verify", UNIT.toAbsolutePath().toString());
        assertThat(clean.exit()).as(clean.toString()).isZero();
        assertThat(clean.out().strip()).as(clean.toString()).isEmpty();
        // the check can fail: a misspelt value is reported with its line
        Path bad = Files.writeString(dir.resolve("mpathgw.service"),
                Files.readString(UNIT).replace("Type=notify\n", "Type=notiffy\n"));
        var broken = run(Duration.ofSeconds(30), "systemd-analyze", "verify", bad.toString());
        assertThat(broken.out()).contains("mpathgw.service:").contains("notiffy");
    }

    @Test
    void notifyWithWatchdogRestartOnFailureAndABoundedStop() throws Exception {
        Map<String, String> s = service();
        assertThat(s).containsEntry("Type", "notify").containsEntry("Restart", "on-failure")
                .containsEntry("WatchdogSec", "30s").containsEntry("TimeoutStopSec", "30s");
        assertThat(s.get("ExecStart")).startsWith("/usr/bin/java ").endsWith("quarkus-run.jar");
        // the exports wait at most 5 s for NBD requests and the daemon's close is bounded by login_timeout + 3 s
        // (10 s + 3 s by default): both fit in TimeoutStopSec
        assertThat(5 + 13).isLessThan(Integer.parseInt(s.get("TimeoutStopSec").replace("s", "")));
    }
}
