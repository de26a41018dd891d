package io.mpathgw.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reload gives a new pair or an error naming file:line:key, and never touches the running pair. */
class ConfigLoaderTest {

    private static final String W = "3600a0b8000000000000000000000000a";

    @Test
    void reloadSwapsBothOrNeither(@TempDir Path dir) throws Exception {
        Path mp = dir.resolve("multipath.conf"), gw = dir.resolve("gateway.conf");
        Files.writeString(mp, "defaults {\n user_friendly_names yes\n no_path_retry 7\n}\n");
        Files.writeString(gw, "portal {\n address 127.0.0.2\n}\n");
        ConfigLoader loader = new ConfigLoader(mp, gw);
        ConfigSet running = loader.load();
        assertThat(running.multipath().policyFor("ACME", "DISK", null, W).alias()).isEqualTo("mpatha");

        // a bad gateway.conf: the error names it, the running set is what it was
        Files.writeString(mp, "defaults {\n user_friendly_names yes\n no_path_retry 9\n}\n");
        Files.writeString(gw, "portal {\n address 127.0.0.2\n}\nportal {\n address 127.0.0.3:99999\n}\n");
        assertThatThrownBy(() -> loader.reload(running)).isInstanceOf(ConfException.class)
                .hasMessageStartingWith(gw + ":5: address: invalid address \"127.0.0.3:99999\"")
                .satisfies(e -> assertThat(((ConfException) e).line()).isEqualTo(5));
        assertThat(running.multipath().policyFor("ACME", "DISK", null, W).noPathRetry().value()).isEqualTo(7);
        assertThat(running.gateway().portals()).hasSize(1);

        // a bad multipath.conf likewise
        Files.writeString(gw, "portal {\n address 127.0.0.2\n}\nportal {\n address 127.0.0.3\n}\n");
        Files.writeString(mp, "defaults {\n no_path_retry sometimes\n}\n");
        assertThatThrownBy(() -> loader.reload(running)).isInstanceOf(ConfException.class)
                .hasMessage(mp + ":2: no_path_retry: invalid value \"sometimes\" (expected: queue, fail or a number of "
                        + "checks >= 1)");

        // both good: a new pair, and a map keeps its user friendly name across the reload
        Files.writeString(mp, "defaults {\n user_friendly_names yes\n no_path_retry 9\n}\n");
        ConfigSet next = loader.reload(running);
        assertThat(next.gateway().portals()).hasSize(2);
        assertThat(next.multipath().policyFor("ACME", "DISK", null, "3600a0b8000000000000000000000000b").alias())
                .isEqualTo("mpathb");
        assertThat(next.multipath().policyFor("ACME", "DISK", null, W).alias()).isEqualTo("mpatha");
        assertThat(next.multipath().policyFor("ACME", "DISK", null, W).noPathRetry().value()).isEqualTo(9);
        assertThat(running.multipath().policyFor("ACME", "DISK", null, W).noPathRetry().value()).isEqualTo(7);
    }

    @Test
    void missingFilesAreTheDefaults(@TempDir Path dir) throws ConfException {
        ConfigSet s = new ConfigLoader(dir.resolve("none.conf"), dir.resolve("none-gw.conf")).load();
        assertThat(s.gateway().portals()).isEmpty();
        assertThat(s.multipath().policyFor("IET", "VIRTUAL-DISK", null, W).pathGroupingPolicy()).isEqualTo("multibus");
    }

    @Test
    void unreadableFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> MultipathConf.load(dir)).isInstanceOf(ConfException.class)
                .hasMessageStartingWith(dir + ":0: file: cannot read it: ");
    }
}
