package io.mpathgw.gateway.group;

import io.mpathgw.dm.engine.NoPathRetry;

import java.util.List;

/**
 * The table multipath-tools loads for a map ({@code assemble_map}, spec §7.8), as the params after
 * {@code <start> <length> multipath}:
 * {@code <features> <hwhandler> <#PGs> <initial PG>} then per PG {@code <selector> <#paths> 1} and per path
 * {@code <dev_t> <repeat count>}. The string is what multipathd would hand the kernel, before the kernel normalises
 * it (feature order, selector table args).
 */
public final class TableAssembler {

    static final String QUEUE_IF_NO_PATH = "queue_if_no_path";
    static final String RETAIN_ATTACHED_HW_HANDLER = "retain_attached_hw_handler";

    private TableAssembler() {
    }

    /**
     * @param features     multipath.conf {@code features}, e.g. {@code "0"} or {@code "2 pg_init_retries 50"}
     * @param hwHandler    {@code hardware_handler}: {@code "0"} or {@code "1 alua"}
     * @param pathSelector {@code path_selector}, e.g. {@code "service-time 0"}, printed as given
     * @param groups       the groups in table order (normally {@link PathGrouping#group})
     * @param initialPg    the best group, 1-based ({@link PathGrouping#bestGroup}); ignored without groups
     * @param rrMinIo      {@code rr_min_io_rq}, the per-path repeat count (&gt;= 1)
     * @param rrWeight     {@code uniform} (or null, the default) or {@code priorities}: repeat count × the path's
     *                     priority when that is &gt; 0
     * @param noPathRetry  decides queue_if_no_path (spec §4.10)
     * @throws IllegalArgumentException naming the field and value that is wrong
     */
    public static String assemble(String features, String hwHandler, String pathSelector, List<PlannedGroup> groups,
                                  int initialPg, int rrMinIo, String rrWeight, NoPathRetry noPathRetry) {
        return assemble(features, hwHandler, pathSelector, groups, initialPg, rrMinIo, rrWeight, noPathRetry, false);
    }

    /**
     * @param retryTimedOut the no_path_retry countdown ran out and no path is active yet (multipathd: in recovery,
     *                      retry_tick 0): a reload then does not turn queueing back on
     */
    public static String assemble(String features, String hwHandler, String pathSelector, List<PlannedGroup> groups,
                                  int initialPg, int rrMinIo, String rrWeight, NoPathRetry noPathRetry,
                                  boolean retryTimedOut) {
        String selector = CountedWords.selector(pathSelector);
        String handler = CountedWords.format(CountedWords.parse("hardware_handler", hwHandler));
        boolean byPriority = rrWeight(rrWeight);
        if (rrMinIo < 1)
            throw new IllegalArgumentException("rr_min_io_rq: " + rrMinIo + " (expected: >= 1)");
        if (!groups.isEmpty() && (initialPg < 1 || initialPg > groups.size()))
            throw new IllegalArgumentException("initial path group: " + initialPg + " (expected: 1.."
                    + groups.size() + ")");
        StringBuilder sb = new StringBuilder()
                .append(features(features, noPathRetry, retryTimedOut)).append(' ').append(handler).append(' ')
                .append(groups.size()).append(' ').append(groups.isEmpty() ? 0 : initialPg);
        for (PlannedGroup g : groups) {
            sb.append(' ').append(selector).append(' ').append(g.paths().size()).append(" 1");
            for (GroupablePath p : g.paths())
                sb.append(' ').append(p.devT()).append(' ').append(repeat(rrMinIo, byPriority, p));
        }
        return sb.toString();
    }

    /**
     * The features multipathd loads (reconcile_features_with_options, then assemble_map): queue_if_no_path is taken
     * out of the configured list (a legacy {@code 1 queue_if_no_path} turns an undefined no_path_retry into
     * {@code queue}) and appended again only if no_path_retry queues; retain_attached_hw_handler is taken out too,
     * as multipath-tools re-adds it only for kernels before 4.3. Everything else keeps its order; the count is
     * recomputed. Unlike multipath-tools, the feature names are matched ignoring case, as the kernel reads them.
     */
    public static String features(String features, NoPathRetry noPathRetry, boolean retryTimedOut) {
        List<String> words = CountedWords.parse("features", features);
        boolean legacyQueue = words.removeIf(w -> w.equalsIgnoreCase(QUEUE_IF_NO_PATH));
        words.removeIf(w -> w.equalsIgnoreCase(RETAIN_ATTACHED_HW_HANDLER));
        NoPathRetry effective = legacyQueue && noPathRetry.equals(NoPathRetry.UNDEF) ? NoPathRetry.QUEUE : noPathRetry;
        boolean queue = effective.equals(NoPathRetry.QUEUE) || effective.counts() && !retryTimedOut;
        if (queue) words.add(QUEUE_IF_NO_PATH);
        return CountedWords.format(words);
    }

    private static boolean rrWeight(String rrWeight) {
        if (rrWeight == null || rrWeight.equals("uniform")) return false;
        if (rrWeight.equals("priorities")) return true;
        throw new IllegalArgumentException("rr_weight: \"" + rrWeight + "\" (expected: uniform or priorities)");
    }

    /** rr_weight priorities: rr_min_io_rq × a positive priority; capped so that it stays a 32-bit count. */
    private static long repeat(int rrMinIo, boolean byPriority, GroupablePath p) {
        if (!byPriority || p.priority() <= 0) return rrMinIo;
        return Math.min((long) rrMinIo * p.priority(), Integer.MAX_VALUE);
    }
}
