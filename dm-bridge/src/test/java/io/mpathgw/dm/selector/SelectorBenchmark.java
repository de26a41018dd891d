package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One I/O's worth of selector work: end the oldest of 8 in-flight I/Os, select a path for 4 KiB, start it. Run
 * with the GC profiler to see {@code gc.alloc.rate.norm} ≈ 0 B/op:
 * <pre>
 * mvn -B -q -pl dm-bridge -am test-compile
 * mvn -B -q -pl dm-bridge dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/dm-cp.txt
 * java -cp dm-bridge/target/test-classes:dm-bridge/target/classes:$(cat /tmp/dm-cp.txt) \
 *      org.openjdk.jmh.Main SelectorBenchmark -prof gc
 * </pre>
 * Not a surefire test (its name does not end in Test); {@link SelectorAllocationTest} asserts the same in the
 * default run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectorBenchmark {

    @Param({"round-robin", "queue-length", "service-time", "historical-service-time", "round-robin-switch"})
    public String type;

    private SelectorAllocationTest.Ring ring;

    @Setup
    public void setUp() throws TableException {
        ring = new SelectorAllocationTest.Ring(Selectors.WITH_EXTENSIONS.find(type).orElseThrow());
    }

    @Benchmark
    public SelectorPath selectStartEnd() {
        return ring.op();
    }
}
