package io.mpathgw.iscsi.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IscsiUrlTest {

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvFileSource(resources = "/cli/urls.cases", delimiter = '|')
    void parsesLikeLibiscsi(String url, String env, String expected) {
        Map<String, String> environment = env(env);
        if (expected.startsWith("ERR:")) {
            assertThatThrownBy(() -> IscsiUrl.parse(url, environment))
                    .isInstanceOf(IscsiUrlException.class).hasMessage(expected.substring(4));
            return;
        }
        IscsiUrl parsed = IscsiUrl.parse(url, environment);
        assertThat(parsed.toUrl(true)).isEqualTo(expected);
        assertThat(IscsiUrl.parse(expected, Map.of())).as("round trip of %s", expected).isEqualTo(parsed);
        assertThat(parsed.toString()).doesNotContain("%" + parsed.chap().map(IscsiUrl.Chap::secret).orElse("\0") + "@");
    }

    @Test
    void splitsUserAndPasswordAtTheFirstPercentThenColon() {
        assertThat(IscsiUrl.parse("iscsi://ronnie:pass%word@h", Map.of()).chap())
                .contains(new IscsiUrl.Chap("ronnie:pass", "word"));
        assertThat(IscsiUrl.parse("iscsi://ronnie:pa%ss@h", Map.of()).chap())
                .contains(new IscsiUrl.Chap("ronnie:pa", "ss"));
        assertThat(IscsiUrl.parse("iscsi://ronnie:pass@h", Map.of()).chap())
                .contains(new IscsiUrl.Chap("ronnie", "pass"));
    }

    @Test
    void portalOnlyUrlHasNoLunAndSaysWhatIsMissing() {
        IscsiUrl portal = IscsiUrl.parse("iscsi://[::1]:3261", Map.of());
        assertThat(portal.hasLun()).isFalse();
        assertThat(portal.lun()).isEqualTo(-1);
        assertThat(portal.portalString()).isEqualTo("[::1]:3261");
        assertThatThrownBy(() -> portal.requireLun("perf"))
                .isInstanceOf(IscsiUrlException.class)
                .hasMessage("target: missing (expected: /<target-iqn>/<lun> after the portal: perf needs "
                        + IscsiUrl.SYNTAX + "); URL iscsi://[::1]:3261")
                .extracting(e -> ((IscsiUrlException) e).part()).isEqualTo("target");
    }

    @Test
    void decodesOnlyTheTargetName() {
        IscsiUrl u = IscsiUrl.parse("iscsi://a%25b@h/iqn.2026-01.x%3Ay%20z%c3%a9/3", Map.of());
        assertThat(u.targetName()).contains("iqn.2026-01.x:y zé");
        assertThat(u.chap()).contains(new IscsiUrl.Chap("a", "25b"));
        assertThat(u.toUrl(true)).isEqualTo("iscsi://a%25b@h:3260/iqn.2026-01.x:y%20z%C3%A9/3");
    }

    private static Map<String, String> env(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) return m;
        for (String kv : spec.split(",")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }
}
