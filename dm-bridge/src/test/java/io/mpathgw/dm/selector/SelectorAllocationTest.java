package io.mpathgw.dm.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpathgw.dm.table.TableException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * selectPath + startIo + endIo allocate nothing per I/O: 10^6 I/Os, 8 in flight over 4 paths, measured with the
 * thread's allocation counter after a warm-up (the JMH twin is {@link SelectorBenchmark}). About 1 s in all.
 */
class SelectorAllocationTest {

    static final int OPS = 1_000_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"round-robin", "queue-length", "service-time", "historical-service-time",
            "round-robin-switch"})
    void selectionAndAccountingAllocateNothing(String type) throws TableException {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean (HotSpot)");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "thread allocation accounting is off in this JVM");
        Ring ring = new Ring(Selectors.WITH_EXTENSIONS.find(type).orElseThrow());
        ring.run(OPS / 5);                                            // warm-up: let the JIT settle
        long before = mx.getCurrentThreadAllocatedBytes();
        ring.run(OPS);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat((double) allocated / OPS).as("bytes per I/O (%d in all)", allocated).isLessThan(0.01);
    }

    /** 4 paths, a fixed queue of 8 I/Os of 4 KiB: each op ends the oldest and starts a new one. */
    static final class Ring {
        final PathSelector selector;
        final SelectorPath[] slots = new SelectorPath[8];
        final long[] started = new long[8];
        int next;

        Ring(PathSelectorType type) throws TableException {
            selector = type.create(List.of());
            for (int k = 0; k < 4; k++) selector.addPath(new SelectorScript.TestPath("p" + k), List.of());
        }

        void run(int ops) {
            for (int k = 0; k < ops; k++) op();
        }

        SelectorPath op() {
            SelectorPath old = slots[next];
            if (old != null) selector.endIo(old, 4096, started[next]);
            SelectorPath p = selector.selectPath(4096);
            selector.startIo(p, 4096);
            slots[next] = p;
            started[next] = System.nanoTime();
            next = (next + 1) & 7;
            return p;
        }
    }
}
