package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine's own part of one I/O — {@link MultipathDevice#submit}, choose_pgpath and the selector's choice,
 * start_io/end_io accounting, the hop back onto the map thread, multipath_end_io, multipath_busy, the map's and the
 * paths' counters ({@link MapStats}, {@link PathStats}) — allocates one
 * object: the request's {@code struct dm_mpath_io} ({@link IoMapper.MappedIo}, 48 bytes with compressed oops; the
 * kernel keeps it in the request's preallocated PDU). 10^6 I/Os, 8 in flight over 4 paths, on a map thread and
 * paths that allocate nothing themselves, counted with the thread's allocation counter after a warm-up. About 1 s.
 *
 * <p>What is not measured here, and why: {@link MultipathBlockDevice} and {@link ScsiPathIo} allocate per request
 * what their APIs are made of — the {@code CompletableFuture} a {@code BlockDevice} returns, the {@link BlockRequest},
 * and per attempt a {@code ScsiCommand} with its CDB and the transport's future — and a real {@link MapThread}
 * (an executor) allocates a task per hop. Selection and accounting alone: {@code SelectorAllocationTest}.
 */
class EngineAllocationTest {

    static final int OPS = 1_000_000;
    static final int IN_FLIGHT = 8;
    /**
     * MappedIo is 48 bytes with compressed oops (12-byte header, 5 references with the enclosing IoMapper, 2 longs);
     * a second object of any size would make it 64 or more.
     */
    static final double MAX_BYTES_PER_IO = 56 + 0.5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"round-robin", "queue-length", "service-time", "historical-service-time"})
    void oneRequestAllocatesOnlyItsMappedIo(String selector) throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs com.sun.management.ThreadMXBean (HotSpot)");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "thread allocation accounting is off in this JVM");
        Loop loop = new Loop(selector);
        loop.run(OPS / 5);                                            // warm-up: let the JIT settle
        long before = mx.getCurrentThreadAllocatedBytes();
        loop.run(OPS);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;

        assertThat(loop.completed).isEqualTo(OPS / 5 + OPS);
        assertThat(loop.map.stats().reads()).as("the counters ran in the measured loop").isEqualTo(OPS / 5 + OPS);
        long onPaths = 0;
        for (Path p : loop.map.groups().get(0).paths()) onPaths += p.stats().completed();
        assertThat(onPaths).isEqualTo(OPS / 5 + OPS);
        assertThat((double) allocated / OPS).as("bytes per I/O (%d in all)", allocated)
                .isGreaterThanOrEqualTo(16).isLessThan(MAX_BYTES_PER_IO);
    }

    /** A map of 4 paths in one group; each op completes the oldest of 8 I/Os in flight and submits a new one. */
    static final class Loop implements MapRequest {
        final RingThread thread = new RingThread();
        final RingPaths paths = new RingPaths();
        final MultipathDevice map;
        long completed;

        Loop(String selector) throws Exception {
            map = MultipathDevice.builder("bench", 1 << 21, MultipathTable.parse("0 0 1 1 " + selector
                            + " 0 4 1 p0 1 p1 1 p2 1 p3 1")).thread(thread).pathIo(paths).log(l -> { }).build();
            for (int i = 0; i < IN_FLIGHT; i++) map.submit(this);
        }

        void run(int ops) {
            for (int i = 0; i < ops; i++) {
                paths.completeOldest();
                thread.runAll();
                map.submit(this);
            }
        }

        @Override
        public long nrBytes() {
            return 4096;
        }

        @Override
        public void complete(BlkStatus status) {
            if (status != BlkStatus.OK) throw new AssertionError("I/O ended " + status);
            completed++;
        }
    }

    /** A map thread that is the test's own: tasks wait in a fixed ring until {@link #runAll()}. */
    static final class RingThread implements MapThread {
        private final Runnable[] tasks = new Runnable[64];
        private int head;
        private int tail;

        @Override
        public boolean inThread() {
            return true;
        }

        @Override
        public void execute(Runnable task) {
            if (tail - head == tasks.length) throw new IllegalStateException("ring full");
            tasks[tail++ & (tasks.length - 1)] = task;
        }

        void runAll() {
            while (head != tail) {
                int at = head++ & (tasks.length - 1);
                Runnable r = tasks[at];
                tasks[at] = null;
                r.run();
            }
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            throw new AssertionError("no timer in the steady state (" + delayMillis + " ms)");
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }

    /** Paths that keep each attempt's completion in a fixed ring, oldest first. */
    static final class RingPaths implements PathIo {
        private final Done[] inFlight = new Done[IN_FLIGHT];
        private int head;
        private int tail;

        @Override
        public void submit(Path path, MapRequest request, Done done) {
            inFlight[tail++ % IN_FLIGHT] = done;
        }

        void completeOldest() {
            int at = head++ % IN_FLIGHT;
            Done d = inFlight[at];
            inFlight[at] = null;
            d.complete(BlkStatus.OK, null);
        }
    }
}
