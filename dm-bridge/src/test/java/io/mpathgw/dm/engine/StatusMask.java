package io.mpathgw.dm.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes historical-service-time status comparable (kernel-golden README §1: its per-path hst and stale_after are
 * nanosecond-clock values, not reproducible). Walks a {@code dmsetup status} line by its grammar (spec §2.1) and
 * replaces those two values with "&lt;t&gt;"; the outstanding count stays exact. {@link #timed()} keeps the raw values
 * so a replay can check that the same paths' values changed as in the kernel's run (the paths that served I/O).
 */
final class StatusMask {

    static final int HST_INFO_ARGS = 3;

    private String masked;
    private final List<String> timed = new ArrayList<>();

    private StatusMask() {
    }

    /** @param line a whole status line, "0 &lt;len&gt; multipath …" */
    static StatusMask of(String line) {
        StatusMask m = new StatusMask();
        m.masked = line;
        String[] t = line.split(" ");
        if (t.length < 3 || !t[2].equals("multipath")) return m;
        String[] out = t.clone();
        try {
            m.walk(t, out);
        } catch (RuntimeException e) {
            m.timed.clear();                 // not a status line we can walk: compare it whole
            return m;
        }
        m.masked = String.join(" ", out) + (line.endsWith(" ") ? " " : "");
        return m;
    }

    private void walk(String[] t, String[] out) {
        int k = 3;
        k += 1 + Integer.parseInt(t[k]);                  // features: "2 <queue_io> <pg_init_count>"
        k += 1 + Integer.parseInt(t[k]);                  // hardware handler: "0"
        int groups = Integer.parseInt(t[k++]);
        k++;                                             // pg_num
        for (int g = 0; g < groups; g++) {
            k++;                                         // A|D|E
            k += 1 + Integer.parseInt(t[k]);              // selector group status: "0" or "2 972 0"
            int paths = Integer.parseInt(t[k++]);
            int infoArgs = Integer.parseInt(t[k++]);
            for (int p = 0; p < paths; p++) {
                k += 3;                                  // name, A|F, fail_count
                if (infoArgs == HST_INFO_ARGS) {
                    timed.add(t[k] + "/" + t[k + 2]);
                    out[k] = "<t>";
                    out[k + 2] = "<t>";
                }
                k += infoArgs;
            }
        }
        if (k != t.length) throw new IllegalArgumentException("trailing tokens: " + Arrays.toString(t));
    }

    String masked() {
        return masked;
    }

    /** "hst/stale_after" of every HST path, in status order. */
    List<String> timed() {
        return timed;
    }

    /** Which HST paths' timed values differ from {@code before} (a path that completed I/O in between). */
    List<Boolean> changedSince(StatusMask before) {
        List<Boolean> changed = new ArrayList<>();
        for (int k = 0; k < timed.size(); k++)
            changed.add(before == null || k >= before.timed.size() || !timed.get(k).equals(before.timed.get(k)));
        return changed;
    }
}
