package io.mpathgw.gateway.failover;

import io.mpathgw.gateway.failover.FailoverBench.Series;
import io.mpathgw.gateway.failover.FailoverBench.Trial;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The Markdown section of docs/benchmarks.md that {@link FailoverBench} writes (between the failover markers). */
final class BenchReport {

    /** field-notes §7, the stock Linux stack with Debian defaults: stall on a loud / silent fault, return time. */
    static final double STOCK_LOUD_MIN = 5.1, STOCK_LOUD_MAX = 5.3, STOCK_SILENT = 15.3;
    static final double STOCK_RETURN_MIN = 6, STOCK_RETURN_MAX = 18;

    private BenchReport() {
    }

    static String markdown(List<Series> all, Instant started, Duration took, String settings, int incidents) {
        StringBuilder b = new StringBuilder();
        int trials = all.get(0).trials().size();
        b.append("## Failover: I/O stall and return to service\n\n")
                .append("Command (from the repository root): `scripts/bench-failover.sh --trials ").append(trials)
                .append("` (about ").append(Math.max(1, took.toMinutes())).append(" min here; run ")
                .append(started.toString(), 0, 16).append("Z).\n\n")
                .append("What runs: the gateway daemon over the simulated dual-controller ALUA array (implicit ALUA, ")
                .append("in this JVM, loopback), its map exported over NBD, and a client writing stamped 4 KiB blocks ")
                .append("at QD ").append(FailoverBench.DEPTH).append(" through the export the whole time ")
                .append("(io.mpathgw.gateway.failover.FailoverBench). DEFAULT settings: empty gateway.conf and ")
                .append("multipath.conf, i.e. ").append(settings).append(".\n\n")
                .append("Faults, one portal of the active group (controller A) each trial: loud = the portal resets ")
                .append("its connections and refuses new ones (RST); silent = it black-holes them (reads and sends ")
                .append("nothing). Two topologies: 2x2 (two portals per controller: the group keeps a path) and 2x1 ")
                .append("(one portal per controller, two single-path groups: the fault forces a group switch, as in ")
                .append("field-notes §7).\n\n")
                .append("How it is measured: **stall** = the longest gap between consecutive completions of the write ")
                .append("stream from 200 ms before the fault until the fault is over (loud: 1.5 s after; silent: ")
                .append("the path is failed and no write sent before the fault is unanswered); **slowest write** = ")
                .append("the longest single write in that window (what a synchronous writer would wait); ")
                .append("**return** = from the end of the fault (revive / black hole lifted) until the returned ")
                .append("path's first completed request (its per-path counter, read on the map thread every 2 ms). ")
                .append("Figures: min / median / p90 / max over the trials. Ratios: our median ÷ the stock Linux ")
                .append("stack's figure (open-iscsi + dm-multipath + multipathd, Debian 12 defaults, measured on this ")
                .append("kind of machine, field-notes §7: 5.1–5.3 s loud, 15.3 s silent, 6–18 s return); ")
                .append("below 1 is ")
                .append("better.\n\n");
        b.append("| fault | topology | trials | stall (min / median / p90 / max) | slowest write | vs stock stall: "
                        + "stall, slowest write | ")
                .append("return to service | vs stock return |\n|---|---|---|---|---|---|---|---|\n");
        for (Series s : all) {
            double stock = s.fault().equals("loud") ? (STOCK_LOUD_MIN + STOCK_LOUD_MAX) / 2 : STOCK_SILENT;
            long gapMed = FailoverBench.distribution(values(s, Trial::gapNanos))[1];
            long slowMed = FailoverBench.distribution(values(s, Trial::slowestNanos))[1];
            long retMed = FailoverBench.distribution(values(s, Trial::returnNanos))[1];
            b.append("| ").append(s.fault().equals("loud") ? "loud (RST)" : "silent (black hole)").append(" | 2x")
                    .append(s.perController()).append(s.perController() == 2 ? " (group keeps a path)"
                            : " (group switch)").append(" | ").append(s.trials().size()).append(" | ")
                    .append(dist(values(s, Trial::gapNanos))).append(" | ")
                    .append(dist(values(s, Trial::slowestNanos)))
                    .append(" | ").append(ratio(gapMed / 1e9, stock)).append(", ").append(ratio(slowMed / 1e9, stock))
                    .append(" | ")
                    .append(dist(values(s, Trial::returnNanos))).append(" | ")
                    .append(ratio(retMed / 1e9, STOCK_RETURN_MAX)).append("–").append(ratio(retMed / 1e9,
                            STOCK_RETURN_MIN)).append(" |\n");
        }
        b.append("\nData: every stream was read back through a fresh iSCSI session straight to the array and each ")
                .append("block checked against the last acknowledged generation (nothing acknowledged lost, no ")
                .append("stale overwrite):\n\n");
        for (Series s : all)
            b.append("- ").append(s.fault()).append(" 2x").append(s.perController()).append(": ")
                    .append(s.writes()).append(" writes acknowledged; ").append(s.verified()).append('\n');
        b.append("\nAims of issue 7: loud ≤ 0.1 s when the group has another path, ≤ 0.5 s with a group switch; ")
                .append("silent ≤ 2 s; returned path in service ≤ 1 s.\n\n");
        for (Series s : all) {
            long[] gap = FailoverBench.distribution(values(s, Trial::gapNanos));
            long[] slow = FailoverBench.distribution(values(s, Trial::slowestNanos));
            long[] ret = FailoverBench.distribution(values(s, Trial::returnNanos));
            double aim = s.fault().equals("loud") ? (s.perController() == 2 ? 0.1 : 0.5) : 2.0;
            b.append("- ").append(s.fault()).append(" 2x").append(s.perController()).append(": stall ")
                    .append(verdict(gap, aim)).append("; slowest write ").append(verdict(slow, aim))
                    .append("; return ").append(verdict(ret, 1.0)).append('\n');
        }
        b.append('\n');
        if (incidents > 0)
            b.append("**Incidents: ").append(incidents).append("** time(s) a path was not back in service 30 s ")
                    .append("after the previous trial (in the runs so far: after a black hole was lifted, the ")
                    .append("session stayed logged in, every tur check timed out and no NOP-Out timeout dropped the ")
                    .append("connection); the benchmark then reset the portals' connections (RST) to go on.\n\n");
        b.append(NOTES);
        return b.toString();
    }

    /** What the event timelines of these runs show dominating each figure (the defaults' timers). */
    static final String NOTES = """
            What dominates (from the daemon's event timeline of the first trial of each series, printed by the \
            benchmark on stderr):

            - Loud fault: the session listener fails the path on the connection reset (about 5 ms) and the map \
            resubmits the writes on the group's other path, or switches group; the stall is the time to answer the \
            writes that were in flight, tens of milliseconds (the worst trials coincide with the machine's load from \
            other builds).
            - Return after a loud fault: the relogin back-off (100 ms doubling up to the 0.5 s cap, \
            relogin_max_interval) brings the session back within about 0.5 s of the portal's return; the login's \
            immediate check reinstates the path, and with failback immediate the failback decision is taken at that \
            reinstatement (not at the next checker round), so a returned group gets I/O back at once.
            - Silent fault: the writes in flight on the black-holed connection are answered only when the connection \
            is declared dead by the NOP-Out timers (noop_out_interval 1 s + noop_out_timeout 1 s, about 2.1 s with \
            the ticker's granularity) and retried on another path. The connection is then reset (RST), so nothing it \
            still held can reach the array later. Failing the stuck writes earlier without closing the connection \
            would risk stale writes. With the group keeping a path the stream goes on (small stall) while the stuck \
            writes wait (slowest write).
            - Return after a silent fault: when the hole is lifted the session logs in again at its next attempt \
            (within the 0.5 s cap) or, when the connection still stood, the next tur check finds the path up; tens of \
            milliseconds here.

            """;

    static long[] values(Series s, ToLongFunction<Trial> f) {
        return s.trials().stream().mapToLong(f).toArray();
    }

    static String dist(long[] nanos) {
        long[] d = FailoverBench.distribution(nanos);
        return secs(d[0]) + " / **" + secs(d[1]) + "** / " + secs(d[2]) + " / " + secs(d[3]);
    }

    static String secs(long nanos) {
        double s = nanos / 1e9;
        return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String ratio(double ours, double stock) {
        double r = ours / stock;
        return r < 0.01 ? String.format(Locale.ROOT, "%.1g×", r) : String.format(Locale.ROOT, "%.2f×", r);
    }

    static String verdict(long[] d, double aimSeconds) {
        String aim = "aim ≤ " + (aimSeconds < 1 ? Math.round(aimSeconds * 1000) + " ms" : aimSeconds + " s");
        if (d[3] / 1e9 <= aimSeconds) return "met in every trial (" + aim + ", max " + secs(d[3]) + ")";
        if (d[1] / 1e9 <= aimSeconds)
            return "met at the median, not in every trial (" + aim + ", max " + secs(d[3]) + ")";
        return "**MISSED** (" + aim + ", median " + secs(d[1]) + ")";
    }
}
