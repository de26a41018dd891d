package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CannedTransport;
import io.mpathgw.gateway.check.PathIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The factory, const, random and weightedpath — the prioritizers that ask the device nothing, so a scripted
 * transport that fails any command proves they do not.
 */
class PrioritizersTest {

    static final Duration T = Duration.ofMillis(200);
    static final PathIdentity ID = new PathIdentity("sdb", "8:16", "3:0:1:0", "127.0.0.1:3260,1",
            "iqn.2026-01.io.mpathgw.sim:array", "36001405aa", "SIM0001", "MPATHGW", "SIM ALUA");

    @Test
    void namesAndUnknownNames() {
        assertThat(Prioritizers.names()).containsExactly("alua", "const", "emc", "hp_sw", "path_latency", "random",
                "rdac", "weightedpath");
        assertThatThrownBy(() -> Prioritizers.create("sysfs", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prio: \"sysfs\" (expected: one of alua, const, emc, hp_sw, path_latency, random, rdac,"
                        + " weightedpath)");
        assertThat(Prioritizers.create("weightedpath", "hbtl .* 1").name()).isEqualTo("weightedpath");
    }

    @Test
    void constIsOneRandomIsOneToTen() throws Exception {
        CannedTransport t = new CannedTransport();
        assertThat(await(Prioritizers.create("const", "").priority(t, ID, T))).isEqualTo(1);
        Set<Integer> seen = new HashSet<>();
        Prioritizer r = Prioritizers.create("random", null);
        for (int i = 0; i < 500; i++) seen.add(await(r.priority(t, ID, T)));
        assertThat(seen).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(t.commands).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "hbtl 3:0:1:0 5                                |5",
        "hbtl 1:.:.:. 2 3:.:.:. 4                      |4",
        "hbtl ^0: 2                                    |0",
        "hbtl 0:1 7                                    |7",          // unanchored: occurs inside 3:0:1:0
        "devname sda 10 sdb 20 sd 30                   |20",         // first match wins
        "devname sdc 10                                |0",
        "serial ^SIM000[0-9]$ 40                       |40",
        "wwn ^\\[undef\\]:\\[undef\\]:iqn\\.2026-01.* 9|9",
        "wwn :\\[undef\\]$ 3                           |3",
        "hbtl 3:0:1:0 -1                               |-1",
    })
    void weightedPathMatchesTheKeyOfItsKind(String args, int prio) throws Exception {
        CannedTransport t = new CannedTransport();
        assertThat(await(Prioritizers.create("weightedpath", args).priority(t, ID, T))).isEqualTo(prio);
        assertThat(t.commands).isEmpty();
    }

    @Test
    void weightedPathArgumentErrorsNameTheToken() {
        assertThatThrownBy(() -> Prioritizers.create("weightedpath", "hctl 1 2"))
                .hasMessage("prio_args for weightedpath, token 1: \"hctl\" (expected: hbtl, devname, serial or wwn)");
        assertThatThrownBy(() -> Prioritizers.create("weightedpath", "devname sda 10 sdb"))
                .hasMessage("prio_args for weightedpath, token 4: \"sdb\" (expected: a priority after it)");
        assertThatThrownBy(() -> Prioritizers.create("weightedpath", "devname sda ten"))
                .hasMessage("prio_args for weightedpath, token 3: \"ten\" (expected: an integer priority)");
        assertThatThrownBy(() -> Prioritizers.create("weightedpath", "devname sd[a 1"))
                .hasMessageStartingWith("prio_args for weightedpath, token 2: \"sd[a\" (expected: a regular expression;");
        assertThatThrownBy(() -> Prioritizers.create("weightedpath", " "))
                .hasMessageStartingWith("prio_args for weightedpath: \"\"");
    }

    @Test
    void wwnKeyOfAnIscsiPath() {
        assertThat(WeightedPathPrioritizer.wwn(ID)).isEqualTo("[undef]:[undef]:iqn.2026-01.io.mpathgw.sim:array:[undef]");
        assertThat(WeightedPathPrioritizer.wwn(new PathIdentity(null, null, null, null, null, null, null, null, null)))
                .isEqualTo("[undef]:[undef]:[undef]:[undef]");
    }
}
