package io.mpathgw.gateway.web;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's formatting module (assets/format.js: capacities, policy words, the queueing countdown sentence, the
 * confirmations' consequences) under node's own test runner, src/test/web/format.test.mjs. Needs node, no browser.
 */
class PageFormatTest {

    @Test
    void formatModuleUnderNodeTest() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("node", "--test", NodeScenario.DIR.resolve("format.test.mjs").toString())
                    .directory(NodeScenario.DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("node not found on PATH: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("# fail 0").containsPattern("# pass [1-9]");
    }
}
