package io.mpathgw.iscsi.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * The figures of one perf run, over the measured window only.
 *
 * @param ios     commands completed GOOD within the window
 * @param retries commands sent again after BUSY, TASK SET FULL or UNIT ATTENTION
 * @param window  the measured time
 */
record PerfResult(PerfOptions options, long ios, long retries, Duration window, LatencyHistogram latency) {

    double seconds() {
        return window.toNanos() / 1e9;
    }

    double iops() {
        return ios / seconds();
    }

    double mibPerSecond() {
        return ios * (double) options.bytesPerIo() / seconds() / (1 << 20);
    }

    /** {@code IOPS 12345  MiB/s 1543.2  latency mean 2590 us p50 2510 us p99 4100 us max 9000 us  (61725 I/Os, 0 retries)} */
    String text() {
        return String.format(Locale.ROOT,
                "IOPS %.0f  MiB/s %.1f  latency mean %.0f us  p50 %.0f us  p99 %.0f us  max %.0f us  (%d I/Os, %d retries)",
                iops(), mibPerSecond(), latency.meanNanos() / 1e3, us(0.50), us(0.99), latency.maxNanos() / 1e3, ios,
                retries);
    }

    /** One JSON object on one line; latencies in microseconds. */
    String json(String url) {
        return String.format(Locale.ROOT,
                "{\"url\":\"%s\",\"workload\":\"%s\",\"pattern\":\"%s\",\"bs\":%d,\"qd\":%d,\"seconds\":%.3f,"
                        + "\"warmup_seconds\":%.3f,\"ios\":%d,\"retries\":%d,\"iops\":%.1f,\"mib_per_s\":%.2f,"
                        + "\"latency_us\":{\"mean\":%.1f,\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f}}",
                jsonEscape(url), options.write() ? "write" : "read", options.random() ? "random" : "sequential",
                options.bytesPerIo(), options.queueDepth(), seconds(), options.warmup().toNanos() / 1e9, ios, retries,
                iops(), mibPerSecond(), latency.meanNanos() / 1e3, us(0.50), us(0.99), latency.maxNanos() / 1e3);
    }

    private double us(double q) {
        return latency.percentileNanos(q) / 1e3;
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
