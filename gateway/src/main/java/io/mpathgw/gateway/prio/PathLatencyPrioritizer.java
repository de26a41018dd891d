package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;

/**
 * {@code path_latency} (spec §7.2; multipath-tools' {@code path_latency.c}): {@code io_num} reads of one block at LBA
 * 0, one after the other (O_DIRECT reads there, READ(10) here), each timed in whole microseconds. With
 * {@code lg(x) = log_base(x)}: the mean of lg(latency) over io_num (a read of 0 µs adds nothing but still counts), and
 * {@code prio = trunc(lg(1e8 µs) − mean)}, clamped to [0, trunc(lg(1e8))]; a mean beyond lg(1e8) (100 s) gives 0.
 * With base 10: 0..8, a steady 1 ms path 5. Any failed read gives PRIO_UNDEF. The whole series must fit in the
 * timeout given to {@link #evaluate}.
 *
 * <p>prio_args {@code "io_num=<20..200> base_num=<1.1..10>"}; empty means the defaults 100 and 10^(1/4) (four
 * priorities per factor of ten). Where multipath-tools falls back to the defaults on bad arguments, this rejects
 * them when created.
 */
final class PathLatencyPrioritizer extends ScsiPrioritizer {

    static final String NAME = "path_latency";
    static final int MIN_IO_NUM = 20;
    static final int MAX_IO_NUM = 200;
    static final int DEF_IO_NUM = 100;
    static final double MIN_BASE_NUM = 1.1;
    static final double MAX_BASE_NUM = 10;
    static final double DEF_BASE_NUM = 1.77827941004;
    /** µs. */
    static final double MAX_AVG_LATENCY = 100_000_000.0;
    static final double MIN_AVG_LATENCY = 1.0;

    private final int ioNum;
    private final double baseNum;

    /** @throws IllegalArgumentException naming the bad argument */
    PathLatencyPrioritizer(String args) {
        String a = args.trim();
        if (a.isEmpty()) {
            ioNum = DEF_IO_NUM;
            baseNum = DEF_BASE_NUM;
            return;
        }
        Integer io = null;
        Double base = null;
        for (String w : a.split("\\s+")) {
            if (w.startsWith("io_num=") && io == null) io = parseInt(w.substring(7));
            else if (w.startsWith("base_num=") && base == null) base = parseDouble(w.substring(9));
            else throw bad(w, "io_num=<" + MIN_IO_NUM + ".." + MAX_IO_NUM + "> or base_num=<1.1..10>, each once");
        }
        if (io == null || base == null)
            throw bad(a, "both io_num=N and base_num=B");
        if (io < MIN_IO_NUM || io > MAX_IO_NUM) throw bad("io_num=" + io, MIN_IO_NUM + ".." + MAX_IO_NUM);
        if (!(base >= MIN_BASE_NUM && base <= MAX_BASE_NUM)) throw bad("base_num=" + base, "1.1..10");
        ioNum = io;
        baseNum = base;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad("io_num=" + s, "an integer");
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad("base_num=" + s, "a number");
        }
    }

    private static IllegalArgumentException bad(String token, String expected) {
        return new IllegalArgumentException("prio_args for path_latency: \"" + token + "\" (expected: " + expected + ")");
    }

    @Override
    public String name() {
        return NAME;
    }

    int ioNum() {
        return ioNum;
    }

    double baseNum() {
        return baseNum;
    }

    /**
     * path_latency.c getprio() and calcPrio() on measured latencies.
     *
     * @param latencyNanos one entry per read
     */
    static int priority(long[] latencyNanos, double base) {
        double lgBase = Math.log(base);
        double lgMax = Math.log(MAX_AVG_LATENCY) / lgBase;
        double lgMin = Math.log(MIN_AVG_LATENCY) / lgBase;
        double sum = 0;
        for (long n : latencyNanos) {
            long us = n / 1000;             // tv_nsec / 1000: whole microseconds
            if (us == 0) continue;          // log(0) avoided: counts as the minimum
            sum += Math.log(us) / lgBase;
        }
        double avg = sum / latencyNanos.length;
        if (avg > lgMax) return 0;
        if (avg <= lgMin) return (int) (lgMax - lgMin);
        if (avg >= lgMax) return 0;
        return (int) (lgMax - avg);
    }

    @Override
    void start(CommandRun<PrioResult> run, PathIdentity id) {
        run.send(ScsiCommand.read(Cdb.readCapacity10(), ReadCapacity.LENGTH_10), (r, e) -> {
            if (e != null) run.complete(noAnswer(e));
            else if (!good(r)) run.complete(undef("path down: READ CAPACITY " + r));
            else {
                long bs = ReadCapacity.parse10(r.data()).blockLength();
                read(run, (int) Math.min(bs, Integer.MAX_VALUE), new long[ioNum], 0);
            }
        });
    }

    private void read(CommandRun<PrioResult> run, int blockSize, long[] latencies, int i) {
        if (i == latencies.length) {
            int p = priority(latencies, baseNum);
            run.complete(prio(p, String.format("%d reads, base %.3f, prio %d", latencies.length, baseNum, p)));
            return;
        }
        long t0 = System.nanoTime();
        run.send(ScsiCommand.read(Cdb.read10(0, 1), blockSize), (r, e) -> {
            long t = System.nanoTime() - t0;
            if (e != null) run.complete(noAnswer(e));
            else if (!r.isGood() || r.data().readableBytes() != blockSize) run.complete(undef("path down: read " + r));
            else {
                latencies[i] = t;
                read(run, blockSize, latencies, i + 1);
            }
        });
    }
}
