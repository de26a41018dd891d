package io.mpathgw.gateway.failover;

import io.mpathgw.gateway.config.IscsiSettings;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.MapSettings;
import io.mpathgw.iscsi.target.Portal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Failover benchmark (scripts/bench-failover.sh runs it; not a test): the I/O stall of a loud (RST) and a silent
 * (black-holed) portal fault with the DEFAULT settings (gateway.conf and multipath.conf saying nothing: NOP 1/1 s,
 * relogin back-off capped at 0.5 s, login 5 s, the hardware table's ALUA entry with polling 1 s, checker_timeout 5 s, no_path_retry 12), each over
 * {@code --trials} trials, and the time until the returned portal's path carries I/O again. Two topologies of the
 * simulated implicit-ALUA array: 2 controllers x 2 portals (each group keeps a path) and 2 x 1 (two single-path
 * groups: the fault forces a group switch, the topology of field-notes §7). A {@link StampStream} writes 4 KiB
 * blocks at QD 16 through the NBD export throughout; every block is verified at the end through a fresh session.
 *
 * <pre>java ... FailoverBench --trials 20 --section FILE</pre>
 * writes the Markdown section (without markers) to FILE.
 */
public final class FailoverBench {

    static final long MS = 1_000_000L;
    static final int DEPTH = 16, REGION = 4096;

    /** One fault: the stream's longest gap between completions, its slowest write, and the return time. */
    record Trial(long gapNanos, long slowestNanos, long returnNanos) {
    }

    /** A series of trials of one fault on one topology, and the read-back of its stream. */
    record Series(String fault, int perController, List<Trial> trials, String verified, long writes) {
    }

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = 20;
        Path section = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--section" -> section = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("argument: " + args[i]
                        + " (expected: --trials N, --section FILE)");
            }
        }
        if (section == null) throw new IllegalArgumentException("--section FILE is required");
        if (trials < 1) throw new IllegalArgumentException("--trials: " + trials + " (expected: >= 1)");
        Instant started = Instant.now();
        List<Series> all = new ArrayList<>();
        all.add(series("loud", 2, trials));
        all.add(series("loud", 1, trials));
        // silent trials are timeout-bound (seconds): both topologies at once, each on its own gateway
        int n = trials;
        CompletableFuture<Series> a = CompletableFuture.supplyAsync(() -> unchecked(() -> series("silent", 2, n)));
        CompletableFuture<Series> b = CompletableFuture.supplyAsync(() -> unchecked(() -> series("silent", 1, n)));
        all.add(a.join());
        all.add(b.join());
        String md = BenchReport.markdown(all, started, Duration.between(started, Instant.now()), settingsLine(),
                incidents.get());
        Files.writeString(section, md);
        System.out.print(md);
        System.exit(0);
    }

    interface Body<T> {
        T run() throws Exception;
    }

    static <T> T unchecked(Body<T> b) {
        try {
            return b.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The iSCSI timers of an empty gateway.conf, as the service applies them (GatewayProducer). */
    static GatewaySetup.Builder defaultTimers() {
        IscsiSettings i = IscsiSettings.defaults();
        return GatewaySetup.builder().nop(i.noopOutInterval(), i.noopOutTimeout()).loginTimeout(i.loginTimeout())
                .commandTimeout(i.commandTimeout()).sessionsPerPortal(i.sessionsPerPortal());
    }

    static String settingsLine() {
        IscsiSettings i = IscsiSettings.defaults();
        GatewaySetup s = defaultTimers().build();
        MapSettings m = new DefaultPolicies().settingsFor("MPATHGW", "SIM ALUA", "0001", "3600");
        return String.format(Locale.ROOT, "noop_out_interval %d s, noop_out_timeout %d s, login_timeout %d s, "
                        + "relogin back-off cap %s s; %s, \"%s\", prio %s, hardware_handler %s, failback %s, "
                        + "path_checker %s, polling_interval %d s (max %d s), checker_timeout %d s, no_path_retry %s",
                i.noopOutInterval().toSeconds(), i.noopOutTimeout().toSeconds(), i.loginTimeout().toSeconds(),
                java.math.BigDecimal.valueOf(s.reconnectCap().toMillis(), 3).stripTrailingZeros().toPlainString(), m.pathGroupingPolicy(), m.pathSelector(), m.prio(), m.hardwareHandler(),
                m.failback(), m.pathChecker(), m.pollingInterval().toSeconds(), m.maxPollingInterval().toSeconds(),
                m.checkerTimeout().toSeconds(), m.noPathRetry());
    }

    static Series series(String fault, int perController, int trials) throws Exception {
        try (FailoverRig rig = FailoverRig.start(defaultTimers(), new DefaultPolicies(), perController, false)) {
            String map = rig.mapOf(rig.sim);
            int paths = 2 * perController;
            StampStream s = new StampStream(rig.nbd.port(), map, REGION, DEPTH, 42 + perController, false);
            try {
                List<Trial> out = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    int portal = perController == 2 ? t % 2 : 0;          // a path of the active group (A)
                    Trial r = fault.equals("loud") ? loud(rig, s, map, paths, portal)
                            : silent(rig, s, map, paths, portal);
                    out.add(r);
                    if (t == 0) System.err.println("bench-failover: " + fault + " 2x" + perController
                            + " first trial's events:" + rig.events());
                    System.err.printf(Locale.ROOT, "bench-failover: %s 2x%d trial %d: gap %.1f ms, slowest %.1f ms,"
                                    + " return %.1f ms%n", fault, perController, t + 1, r.gapNanos / 1e6,
                            r.slowestNanos / 1e6, r.returnNanos / 1e6);
                }
                s.stop(60_000);
                if (s.broken() != null) throw new IllegalStateException("stream broken", s.broken());
                long errors = s.log.errors(0, Long.MAX_VALUE);
                StampCheck.Result check = rig.check(s, rig.sim);
                String verified = (errors == 0 && s.pendingCount() == 0 && check.ok() ? "verified: " : "FAILED: ")
                        + errors + " write errors, " + s.pendingCount() + " unanswered; " + check;
                return new Series(fault, perController, out, verified, s.okCount());
            } finally {
                s.close();
            }
        }
    }

    /**
     * Every path active again, the next fault's path in the current (active) group (after a group switch, failback
     * immediate brings A's group back), and the stream flowing for a moment.
     */
    static void settle(FailoverRig rig, String map, int paths, int portal) throws Exception {
        String devT = rig.devT(rig.sim, portal);
        java.util.function.Predicate<io.mpathgw.gateway.model.MapView> ready = v -> v.nrActivePaths() == paths
                && v.groups().stream().anyMatch(g -> g.status().equals("active") && g.paths().stream()
                .anyMatch(p -> p.devT().equals(devT) && p.dmState().equals("active")));
        try {
            rig.awaitMap(map, ready, Duration.ofSeconds(30));
        } catch (AssertionError stuck) {
            // a path that did not come back by itself: reset its portal's connections (RST) and go on
            incidents.incrementAndGet();
            System.err.println("bench-failover: INCIDENT: a path did not come back within 30 s; portals reset:"
                    + rig.events());
            for (int i = 0; i < paths; i++) {
                rig.sim.portal(i).kill();
                rig.sim.portal(i).revive();
            }
            rig.awaitMap(map, ready, Duration.ofSeconds(60));
        }
        Thread.sleep(500);
    }

    /** Trials after which a path stayed failed 30 s and its portal had to be reset (see settle). */
    static final java.util.concurrent.atomic.AtomicInteger incidents = new java.util.concurrent.atomic.AtomicInteger();

    static Trial loud(FailoverRig rig, StampStream s, String map, int paths, int portal) throws Exception {
        settle(rig, map, paths, portal);
        Portal p = rig.sim.portal(portal);
        long fault = System.nanoTime();
        p.kill();
        Thread.sleep(1500);
        long now = System.nanoTime();
        Trial partial = new Trial(s.log.longestGap(fault - 200 * MS, now),
                s.log.slowest(fault - 200 * MS, now, now), 0);
        return new Trial(partial.gapNanos, partial.slowestNanos, returned(rig, map, portal, p::revive));
    }

    static Trial silent(FailoverRig rig, StampStream s, String map, int paths, int portal) throws Exception {
        settle(rig, map, paths, portal);
        Portal p = rig.sim.portal(portal);
        long fault = System.nanoTime();
        p.blackhole(true);
        // over once the path is failed and no write sent before the fault is still unanswered
        rig.await(() -> rig.view(map).nrActivePaths() < paths && (s.oldestPendingIssued() == 0
                || s.oldestPendingIssued() > fault), Duration.ofSeconds(120), "the black-holed path failed");
        Thread.sleep(300);
        long now = System.nanoTime();
        Trial partial = new Trial(s.log.longestGap(fault - 200 * MS, now), s.log.slowest(fault - 200 * MS, now, now),
                0);
        return new Trial(partial.gapNanos, partial.slowestNanos, returned(rig, map, portal, () -> p.blackhole(false)));
    }

    interface Action {
        void run() throws Exception;
    }

    /** Ends the fault and times until the portal's path completes I/O again. */
    static long returnedAfter(FailoverRig rig, String map, String devT, Action end) throws Exception {
        long before = rig.completedOn(map, devT);
        long t0 = System.nanoTime();
        end.run();
        long deadline = t0 + 120_000 * MS;
        while (rig.completedOn(map, devT) <= before) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(devT + " carried no I/O in 120 s"
                    + rig.events());
            Thread.sleep(2);
        }
        return System.nanoTime() - t0;
    }

    static long returned(FailoverRig rig, String map, int portal, Action end) throws Exception {
        return returnedAfter(rig, map, rig.devT(rig.sim, portal), end);
    }

    /** min, median, p90, max of {@code values} (nanoseconds), nearest-rank. */
    static long[] distribution(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return new long[]{v[0], rank(v, 0.5), rank(v, 0.9), v[v.length - 1]};
    }

    private static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
