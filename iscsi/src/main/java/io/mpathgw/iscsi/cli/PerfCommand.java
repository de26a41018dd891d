package io.mpathgw.iscsi.cli;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.PooledByteBufAllocator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code perf URL [--read|--write] [--seq|--random] [--bs BYTES] [--qd N] [--seconds S] [--json]}: a load generator
 * in the manner of libiscsi's {@code iscsi-perf}, reporting IOPS, MiB/s and mean/p50/p99 latency. See
 * {@link PerfRun} for what it sends and how it keeps allocation off the I/O path.
 */
final class PerfCommand {

    static final String USAGE = "mpathgw iscsi perf [--read|--write] [--seq|--random] [--bs BYTES] [--qd N]"
            + " [--seconds S] [--warmup S] [--json] " + CommonOptions.USAGE
            + " iscsi://[user%password@]host[:port]/target-iqn/lun";

    private static final Args.Option READ = new Args.Option("read", (char) 0, false);
    private static final Args.Option WRITE = new Args.Option("write", (char) 0, false);
    private static final Args.Option SEQ = new Args.Option("seq", (char) 0, false);
    private static final Args.Option RANDOM = new Args.Option("random", 'r', false);
    private static final Args.Option BS = new Args.Option("bs", (char) 0, true);
    private static final Args.Option QD = new Args.Option("qd", 'm', true);
    private static final Args.Option SECONDS = new Args.Option("seconds", 't', true);
    private static final Args.Option WARMUP = new Args.Option("warmup", (char) 0, true);
    private static final Args.Option SEED = new Args.Option("seed", (char) 0, true);
    private static final Args.Option JSON = new Args.Option("json", (char) 0, false);

    static final int DEFAULT_BS = 131072;
    static final int DEFAULT_QD = 32;
    static final double DEFAULT_SECONDS = 5;
    static final double DEFAULT_WARMUP = 1;
    static final int MAX_BS = 16 << 20;

    private PerfCommand() {
    }

    static List<Args.Option> options() {
        List<Args.Option> o = new ArrayList<>(CommonOptions.OPTIONS);
        o.addAll(List.of(READ, WRITE, SEQ, RANDOM, BS, QD, SECONDS, WARMUP, SEED, JSON));
        return o;
    }

    static PerfOptions perfOptions(Args a) throws UsageException {
        if (a.flag(READ) && a.flag(WRITE)) throw new UsageException("--read, --write: both given (expected: one of them)");
        if (a.flag(SEQ) && a.flag(RANDOM)) throw new UsageException("--seq, --random: both given (expected: one of them)");
        int bs = a.bytes(BS, DEFAULT_BS, 512, MAX_BS);
        int qd = a.intValue(QD, DEFAULT_QD, 1, 4096);
        double seconds = a.seconds(SECONDS, DEFAULT_SECONDS, 0.1, 86400);
        double warmup = a.seconds(WARMUP, DEFAULT_WARMUP, 0, 3600);
        long seed = a.intValue(SEED, 20261124, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return new PerfOptions(a.flag(WRITE), a.flag(RANDOM), bs, qd, millis(seconds), millis(warmup), seed);
    }

    private static Duration millis(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    static int run(Args args, PrintStream out) throws UsageException, CliFailure, InterruptedException {
        CommonOptions common = CommonOptions.from(args);
        PerfOptions o = perfOptions(args);
        IscsiUrl url = IscsiCli.lunUrl(args.operand("URL"), "perf");
        boolean json = args.flag(JSON);
        try (SessionScope scope = new SessionScope(1, common.timeout())) {
            Session s = scope.login(common.config(url, SessionScope.resolve(url.host(), url.port()),
                    url.targetName().orElseThrow()).queueDepth(o.queueDepth()).build());
            ScsiCalls lu = new ScsiCalls(s.lun(url.lun()), common.timeout());
            Sense notReady = lu.clearUnitAttention();
            if (notReady != null) throw lu.failure("TEST UNIT READY", "CHECK CONDITION " + notReady);
            ReadCapacity cap = lu.readCapacity16();
            check(o, cap);
            if (!json)
                out.printf("perf %s: %s; LU of %d blocks of %d bytes%n", url, o.describe(), cap.blockCount(), cap.blockLength());
            PerfResult r = await(new PerfRun(lu.transport(), s.eventLoop(), o, cap.blockLength(), cap.blockCount(),
                    PooledByteBufAllocator.DEFAULT).start(), o, common);
            out.println(json ? r.json(url.toString()) : r.text());
        }
        return 0;
    }

    private static void check(PerfOptions o, ReadCapacity cap) throws UsageException {
        if (o.bytesPerIo() % cap.blockLength() != 0)
            throw UsageException.bad("--bs", Integer.toString(o.bytesPerIo()),
                    "a multiple of the LU's block length " + cap.blockLength());
        if (o.bytesPerIo() > cap.sizeBytes())
            throw UsageException.bad("--bs", Integer.toString(o.bytesPerIo()),
                    "at most the LU's capacity, " + cap.sizeBytes() + " bytes");
    }

    private static PerfResult await(java.util.concurrent.CompletableFuture<PerfResult> run, PerfOptions o,
                                    CommonOptions common) throws CliFailure, InterruptedException {
        long bound = o.warmup().plus(o.duration()).plus(common.timeout()).toMillis() + 5000;
        try {
            return run.get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof CliFailure f ? f : new CliFailure(c.toString(), c);
        } catch (TimeoutException e) {
            throw new CliFailure("perf: outstanding commands did not complete within " + bound + " ms");
        }
    }
}
