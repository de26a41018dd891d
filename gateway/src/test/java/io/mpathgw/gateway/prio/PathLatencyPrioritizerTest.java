package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.gateway.check.SimPaths;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.ScsiTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Arrays;

import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * path_latency: the arithmetic of path_latency.c on given latencies, its arguments, and real reads through a fast and
 * a slowed-down portal of the simulator.
 */
class PathLatencyPrioritizerTest {

    static long[] constant(int n, long micros) {
        long[] a = new long[n];
        Arrays.fill(a, micros * 1000);
        return a;
    }

    @ParameterizedTest(name = "{1} µs base {2} -> {3}")
    @CsvSource({
        "20,1000,10,5",                 // log10(1000) = 3: 8 - 3
        "20,3000,10,4",                 // 8 - 3.48
        "20,30000,10,3",
        "20,100000000,10,0",            // at the 100 s bound
        "20,200000000,10,0",            // beyond it
        "20,0,10,8",                    // sub-microsecond: the maximum, lg(1e8) - lg(1)
        "20,1,10,8",
        // default base: four steps per decade, 32 - 12 = 20 on paper; the constant is a hair above 10^(1/4), so the
        // difference is 19.99999… and truncates to 19, in C as here
        "100,1000,1.77827941004,19",
        "100,1000,2,16",                // log2(1e8) = 26.6, log2(1000) = 9.97: trunc(16.6)
    })
    void priorityOfConstantLatencies(int n, long micros, double base, int prio) {
        assertThat(PathLatencyPrioritizer.priority(constant(n, micros), base)).isEqualTo(prio);
    }

    @Test
    void readsOfZeroMicrosecondsCountButAddNothing() {
        long[] half = constant(20, 1000);
        for (int i = 0; i < 10; i++) half[i] = 999;       // 999 ns: 0 whole µs
        assertThat(PathLatencyPrioritizer.priority(half, 10)).isEqualTo(6);      // mean 1.5: trunc(6.5)
        long[] mixed = constant(20, 100);
        mixed[0] = 10_000_000_000L * 1000;                 // one read of 10^10 µs: mean 2 + 8/20
        assertThat(PathLatencyPrioritizer.priority(mixed, 10)).isEqualTo(5);
    }

    @Test
    void argumentsAsMultipathConfWritesThem() {
        PathLatencyPrioritizer p = (PathLatencyPrioritizer) Prioritizers.create("path_latency", "io_num=20 base_num=10");
        assertThat(p.ioNum()).isEqualTo(20);
        assertThat(p.baseNum()).isEqualTo(10.0);
        p = (PathLatencyPrioritizer) Prioritizers.create("path_latency", "base_num=1.5\tio_num=200");
        assertThat(p.ioNum()).isEqualTo(200);
        p = (PathLatencyPrioritizer) Prioritizers.create("path_latency", "");
        assertThat(p.ioNum()).isEqualTo(100);
        assertThat(p.baseNum()).isEqualTo(1.77827941004);
        assertThatThrownBy(() -> Prioritizers.create("path_latency", "io_num=19 base_num=10"))
                .hasMessage("prio_args for path_latency: \"io_num=19\" (expected: 20..200)");
        assertThatThrownBy(() -> Prioritizers.create("path_latency", "io_num=20 base_num=11"))
                .hasMessage("prio_args for path_latency: \"base_num=11.0\" (expected: 1.1..10)");
        assertThatThrownBy(() -> Prioritizers.create("path_latency", "io_num=20"))
                .hasMessage("prio_args for path_latency: \"io_num=20\" (expected: both io_num=N and base_num=B)");
        assertThatThrownBy(() -> Prioritizers.create("path_latency", "io_num=x base_num=2"))
                .hasMessage("prio_args for path_latency: \"io_num=x\" (expected: an integer)");
        assertThatThrownBy(() -> Prioritizers.create("path_latency", "io_num=20 base_num=2 depth=3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"depth=3\"");
    }

    /** Portal 2 delays every PDU by 30 ms: log10(30 000 µs and a little) → prio 3; the undelayed path is faster. */
    @Test
    void aSlowPortalGetsALowerPriority() throws Exception {
        PathIdentity id = new PathIdentity("sdd", "", "", "", "", "", "", "", "");
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport fast = f.path(0);
            ScsiTransport slow = f.path(2);
            f.sim.portal(2).latency(Duration.ofMillis(30));
            Prioritizer p = Prioritizers.create("path_latency", "io_num=20 base_num=10");
            PrioResult s = await(p.evaluate(slow, id, Duration.ofSeconds(5)));
            assertThat(s.prio()).as(s.message()).isEqualTo(3);
            int q = await(p.priority(fast, id, Duration.ofSeconds(5)));
            assertThat(q).isBetween(4, 8);
            f.kill(0);
            assertThat(await(p.priority(fast, id, Duration.ofSeconds(5)))).isEqualTo(Prioritizer.PRIO_UNDEF);
            // the whole series is bounded by the timeout
            PrioResult cut = await(p.evaluate(slow, id, Duration.ofMillis(200)));
            assertThat(cut).isEqualTo(PrioResult.undef("path_latency prio: timed out"));
            // let the read still under way land before the array closes: the simulator's delayed PDUs are dropped
            // unreleased when its event loops stop first
            Thread.sleep(100);
        }
    }
}
