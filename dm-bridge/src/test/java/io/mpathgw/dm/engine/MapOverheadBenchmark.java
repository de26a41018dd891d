package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.tgt.Tgt;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the map costs a raw session (issue 8: the map adds at most 5 %): the same initiator {@link Session}, read
 * raw through its {@link ScsiTransport}, and through a {@link MultipathBlockDevice} over a one-path map and over a
 * map of two paths (a second session through tgtd's second portal), against one RAM-backed tgtd started with the
 * iscsi test harness ({@link Tgt}). Each map runs either on the event loop of its (first) session
 * ({@link EventLoopMapThread}) or on a map thread of its own ({@link ExecutorMapThread}), which costs two hand-offs
 * between threads per request. Closed loop: 32 READ(16)s outstanding, each reissued as it completes; completions
 * inside the measured window count, and this JVM's CPU time per read is reported beside (tgtd excluded), which the
 * neighbours of a shared machine disturb less than throughput. After a round that only warms up, the variants
 * alternate within each round; the table keeps each one's best round, as scripts/bench.sh does, and its median CPU
 * per read. Not a test; run by {@code scripts/bench-map.sh}, which
 * writes the result into docs/benchmarks.md:
 * <pre>
 * mvn -B -q -pl iscsi,dm-bridge test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/bench.cp
 * java -cp dm-bridge/target/test-classes:dm-bridge/target/classes:iscsi/target/test-classes:iscsi/target/classes:$(cat dm-bridge/target/bench.cp) \
 *      io.mpathgw.dm.engine.MapOverheadBenchmark --seconds 4 --rounds 3
 * </pre>
 * Prints a Markdown table, then the figures of every round. JMH is not used: its unit is one call on a benchmark
 * thread, and what is measured here is a pipeline of 32 requests completing on other threads.
 */
public final class MapOverheadBenchmark {

    static final String IQN = "iqn.2026-11.io.mpathgw.bench:map";
    static final int LUN = 1;

    record Workload(String name, int bytes, int queueDepth, boolean random) {
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("4 KiB random read, QD 32", 4096, 32, true),
            new Workload("128 KiB sequential read, QD 32", 131072, 32, false));

    /**
     * What one run achieved; {@code failure} non-null when it stopped on an error. {@code cpuMicrosPerIo}: this JVM's
     * CPU time (every thread: client, event loops, map) in the measured window, per read counted, tgtd excluded.
     */
    record Result(long ios, double seconds, int bytes, double cpuMicrosPerIo, String failure) {
        double iops() {
            return ios / seconds;
        }

        double mibs() {
            return iops() * bytes / (1 << 20);
        }

        @Override
        public String toString() {
            return failure != null ? "failed: " + failure
                    : String.format("%.0f %.1f %.1fus", iops(), mibs(), cpuMicrosPerIo);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int seconds = Integer.parseInt(opt.getOrDefault("--seconds", "4"));
        int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "3"));
        long sizeMib = Long.parseLong(opt.getOrDefault("--size-mib", "512"));
        if (!Tgt.available()) {
            System.err.println("bench-map: tgtd missing: run scripts/install-test-peers.sh");
            System.exit(2);
        }
        try (Tgt tgt = Tgt.builder().portals(2).target(IQN, t -> t.lun(LUN, sizeMib << 20)).start()) {
            prefill(tgt, sizeMib);
            EventLoopGroup loops = EventLoops.create(2);
            try (Bench bench = new Bench(tgt, loops)) {
                bench.run(seconds, rounds);
            } finally {
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!List.of("--seconds", "--rounds", "--size-mib").contains(args[i]))
                throw new IllegalArgumentException("option: " + args[i] + " (expected: --seconds, --rounds, --size-mib)");
            opt.put(args[i], args[i + 1]);
        }
        return opt;
    }

    /** Reads then touch allocated tmpfs pages, not holes, as scripts/bench.sh's dd does. */
    private static void prefill(Tgt tgt, long sizeMib) throws Exception {
        byte[] mib = new byte[1 << 20];
        try (RandomAccessFile f = new RandomAccessFile(tgt.backingFile(IQN, LUN).toFile(), "rw")) {
            for (long i = 0; i < sizeMib; i++) f.write(mib);
        }
    }

    /** Two sessions, and the ways of reading through them: raw, and through maps. */
    static final class Bench implements AutoCloseable {
        private final List<Session> sessions = new ArrayList<>();
        private final List<ExecutorMapThread> threads = new ArrayList<>();
        private final ScsiTransport raw;
        private final ReadCapacity capacity;
        /** label → the reader of that variant, in the order they run and print. */
        private final Map<String, BlockReader> variants = new LinkedHashMap<>();
        /** label of a map variant → the raw variant over the same sessions, its baseline. */
        private final Map<String, String> baselines = new LinkedHashMap<>();

        Bench(Tgt tgt, EventLoopGroup loops) throws Exception {
            Session s0 = open(tgt.portals().get(0), loops);
            Session s1 = open(tgt.portals().get(1), loops);
            raw = s0.lun(LUN);
            capacity = MultipathBlockDevice.readCapacity(raw).get(10, TimeUnit.SECONDS);
            MultipathBlockDevice.readCapacity(s1.lun(LUN)).get(10, TimeUnit.SECONDS);     // its unit attention
            String one = "0 0 1 1 service-time 0 1 2 p0 1 1";
            String two = "0 0 1 1 service-time 0 2 2 p0 1 1 p1 1 1";
            Map<String, ScsiTransport> p0 = Map.of("p0", raw);
            Map<String, ScsiTransport> p0p1 = Map.of("p0", raw, "p1", s1.lun(LUN));
            int blockLength = Math.toIntExact(capacity.blockLength());
            ScsiTransport other = s1.lun(LUN);
            String raw1 = "raw session";
            String raw2 = "raw, 2 sessions (half the slots each)";
            variants.put(raw1, (lba, n, slot) -> RawLoop.read(raw, lba, n, n * blockLength, slot));
            variants.put("map, 1 path, on the session's event loop", map(onLoop(s0), one, p0));
            variants.put("map, 1 path, own map thread", map(ownThread("map-1"), one, p0));
            variants.put(raw2, (lba, n, slot) -> RawLoop.read(slot.index % 2 == 0 ? raw : other, lba, n,
                    n * blockLength, slot));
            variants.put("map, 2 paths, on the first session's event loop", map(onLoop(s0), two, p0p1));
            variants.put("map, 2 paths, own map thread", map(ownThread("map-2"), two, p0p1));
            for (String v : variants.keySet())
                baselines.put(v, v.startsWith("map, 1") ? raw1 : v.startsWith("map, 2") ? raw2 : v);
        }

        private static MapThread onLoop(Session s) {
            return new EventLoopMapThread(s.eventLoop());
        }

        private MapThread ownThread(String name) {
            ExecutorMapThread t = new ExecutorMapThread(name);
            threads.add(t);
            return t;
        }

        private Session open(InetSocketAddress portal, EventLoopGroup loops) throws Exception {
            Session s = Session.open(InitiatorConfig.builder(portal, IQN).build(), loops);
            sessions.add(s);
            return s.awaitLoggedIn(Duration.ofSeconds(10));
        }

        /** A map over the given sessions, read through MultipathBlockDevice. */
        private BlockReader map(MapThread thread, String table, Map<String, ScsiTransport> paths) throws Exception {
            ScsiPathIo io = new ScsiPathIo(thread);
            paths.forEach(io::bind);
            MultipathDevice m = MultipathDevice.builder("bench", capacity.sizeBytes() / 512, MultipathTable.parse(table))
                    .thread(thread).pathIo(io).log(l -> { }).build();
            MultipathBlockDevice dev = MultipathBlockDevice.builder(m).capacity(capacity).build();
            return (lba, n, slot) -> MapLoop.read(dev, lba, n, slot);
        }

        void run(int seconds, int rounds) throws Exception {
            List<String> names = new ArrayList<>(variants.keySet());
            for (Workload w : WORKLOADS)                // round 0, not counted: the JIT compiles every path first
                for (String name : names) System.err.printf("bench-map: warm-up, %s, %s: %s%n", w.name(), name,
                        run(w, variants.get(name), 1));
            Map<String, List<List<Result>>> results = new LinkedHashMap<>();     // workload → variant → rounds
            for (int round = 1; round <= rounds; round++)
                for (Workload w : WORKLOADS) {
                    List<List<Result>> byVariant = results.computeIfAbsent(w.name(), k -> new ArrayList<>());
                    for (int v = 0; v < names.size(); v++) {
                        Result r = run(w, variants.get(names.get(v)), seconds);
                        System.err.printf("bench-map: round %d, %s, %s: %s%n", round, w.name(), names.get(v), r);
                        if (byVariant.size() == v) byVariant.add(new ArrayList<>());
                        byVariant.get(v).add(r);
                    }
                }
            print(names, results);
        }

        private int baseline(List<String> names, int v) {
            return names.indexOf(baselines.get(names.get(v)));
        }

        /** The best round's throughput (as scripts/bench.sh), the median round's CPU per read; then every round. */
        private void print(List<String> names, Map<String, List<List<Result>>> results) {
            System.out.println("| workload | variant | IOPS | MiB/s | / raw on the same sessions"
                    + " | our CPU per read (median) |");
            System.out.println("|---|---|---:|---:|---:|---:|");
            results.forEach((name, byVariant) -> {
                for (int v = 0; v < names.size(); v++) {
                    Result raw = best(byVariant.get(baseline(names, v)));
                    Result b = best(byVariant.get(v));
                    System.out.printf("| %s | %s | %s | %s | %s | %s |%n", name, names.get(v),
                            b == null ? "n/a" : String.format("%.0f", b.iops()),
                            b == null ? "n/a" : String.format("%.1f", b.mibs()),
                            b == null || raw == null ? "n/a" : String.format("%.3f", b.iops() / raw.iops()),
                            medianCpu(byVariant.get(v)));
                }
            });
            System.out.println();
            System.out.println("Every round (IOPS, MiB/s, our CPU per read):");
            System.out.println();
            results.forEach((name, byVariant) -> {
                StringBuilder line = new StringBuilder("- " + name + ":");
                for (int v = 0; v < names.size(); v++)
                    line.append(v > 0 ? ";" : "").append(' ').append(names.get(v)).append(' ')
                            .append(byVariant.get(v).stream().map(Result::toString).toList());
                System.out.println(line);
            });
        }

        private static Result best(List<Result> rounds) {
            return rounds.stream().filter(r -> r.failure() == null)
                    .max(java.util.Comparator.comparingDouble(Result::iops)).orElse(null);
        }

        private static String medianCpu(List<Result> rounds) {
            double[] cpu = rounds.stream().filter(r -> r.failure() == null)
                    .mapToDouble(Result::cpuMicrosPerIo).sorted().toArray();
            return cpu.length == 0 ? "n/a" : String.format("%.1f µs", cpu[cpu.length / 2]);
        }

        private Result run(Workload w, BlockReader reader, int seconds) throws Exception {
            int perIo = (int) (w.bytes() / capacity.blockLength());
            return new ClosedLoop(w, perIo, capacity.blockCount(), reader)
                    .run(Duration.ofSeconds(1), Duration.ofSeconds(seconds));
        }

        @Override
        public void close() {
            for (Session s : sessions) s.close();
            for (ExecutorMapThread t : threads) t.close();
        }
    }

    /** Reads {@code blocks} blocks at {@code lba} one way or another; calls {@code slot.completed} exactly once. */
    @FunctionalInterface
    interface BlockReader {
        void read(long lba, int blocks, ClosedLoop.Slot slot);
    }

    /**
     * Keeps {@code queueDepth} reads outstanding for the warm-up and the measured window, then lets them finish.
     * Completions run on whatever thread the reader completes on; the counters are atomic, the same for every
     * variant.
     */
    static final class ClosedLoop {
        private final Workload w;
        private final int perIo;
        private final long slots;
        private final BlockReader reader;
        private final AtomicLong nextSlot = new AtomicLong();
        private final AtomicLong ios = new AtomicLong();

        private final AtomicInteger outstanding = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile String failure;
        private volatile long measureStart;
        private volatile long measureEnd;

        ClosedLoop(Workload w, int perIo, long blocks, BlockReader reader) {
            this.w = w;
            this.perIo = perIo;
            this.slots = blocks / perIo;
            this.reader = reader;
        }

        /** One reader of the window: its own random generator, no state shared with the others. */
        final class Slot {
            /** 0 .. queueDepth - 1. */
            final int index;
            private final SplittableRandom random;

            Slot(int index) {
                this.index = index;
                this.random = new SplittableRandom(0x6d617000L + index);
            }

            void issue() {
                long slot = w.random() ? random.nextLong(slots) : Math.floorMod(nextSlot.getAndIncrement(), slots);
                outstanding.incrementAndGet();
                reader.read(slot * perIo, perIo, this);
            }

            /** Called once per read, from the reader's completion thread; {@code error} null for a good read. */
            void completed(String error) {
                long now = System.nanoTime();
                if (error != null && failure == null) failure = error;
                else if (error == null && now >= measureStart && now <= measureEnd) ios.incrementAndGet();
                boolean again = failure == null && now < measureEnd;
                if (again) issue();
                if (outstanding.decrementAndGet() == 0 && !again) finish();
            }
        }

        /** Runs on the calling thread's clock: it sleeps through the window to read the CPU time at its ends. */
        Result run(Duration warmup, Duration measured) throws Exception {
            measureStart = System.nanoTime() + warmup.toNanos();
            measureEnd = measureStart + measured.toNanos();
            for (int i = 0; i < w.queueDepth(); i++) new Slot(i).issue();
            sleepUntil(measureStart);
            long cpu = processCpuNanos();
            sleepUntil(measureEnd);
            cpu = processCpuNanos() - cpu;
            done.get(60, TimeUnit.SECONDS);
            double seconds = (measureEnd - measureStart) / 1e9;
            return new Result(ios.get(), seconds, w.bytes(), cpu / 1e3 / Math.max(1, ios.get()), failure);
        }

        private static void sleepUntil(long nanos) throws InterruptedException {
            for (long left; (left = nanos - System.nanoTime()) > 0; ) TimeUnit.NANOSECONDS.sleep(left);
        }

        private void finish() {
            done.complete(null);
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    /** READ(16) straight to the session's LU, as {@code mpathgw iscsi perf} sends it. */
    static final class RawLoop {
        private RawLoop() {
        }

        static void read(ScsiTransport lu, long lba, int blocks, int bytes, ClosedLoop.Slot slot) {
            lu.submit(ScsiCommand.read(Cdb.read16(lba, blocks), bytes)).whenComplete((r, e) -> {
                String error = e != null ? e.toString() : null;
                if (r != null) {
                    if (r.status() != ScsiResponse.GOOD) error = r.toString();
                    r.release();
                }
                slot.completed(error);
            });
        }
    }

    /** {@link BlockDevice#read} of the map: the same READ(16) through selection, accounting and completion. */
    static final class MapLoop {
        private MapLoop() {
        }

        static void read(BlockDevice dev, long lba, int blocks, ClosedLoop.Slot slot) {
            dev.read(lba, blocks).whenComplete((b, e) -> {
                if (b != null) b.release();
                slot.completed(e != null ? e.toString() : null);
            });
        }
    }
}
