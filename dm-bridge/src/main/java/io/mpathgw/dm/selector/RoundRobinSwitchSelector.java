package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.List;

/**
 * {@code round-robin-switch}, an mpathgw extension (not a kernel selector): round-robin that stays on a path for
 * {@code iops=N} I/Os or {@code bytes=N} bytes before moving on, as VMware's VMW_PSP_RR {@code --type iops|bytes}
 * does. With {@code iops=1} it chooses exactly as {@code round-robin}.
 * <p>
 * It has a name of its own, so a table that the kernel accepts never means anything else here: plain
 * {@code round-robin} keeps the kernel's parsing (selector args ignored, per-path args 0..1) and behaviour, and a
 * real kernel refuses {@code round-robin-switch} as "unknown path selector type" instead of silently ignoring a
 * limit. It is only in {@link Selectors#WITH_EXTENSIONS}.
 * <p>
 * Table: {@code round-robin-switch 1 iops=1000 <#paths> 1 <path> <repeat_count>…}; the group part prints back as
 * {@code 1 iops=1000} (INFO and TABLE), so the table round-trips. Per path as round-robin: args 0..1, nothing in
 * status, the repeat count in the table. A reinstated path goes to the head and starts a fresh run.
 */
public final class RoundRobinSwitchSelector extends ListSelector<RoundRobinSwitchSelector.Info> {

    public static final String NAME = "round-robin-switch";
    /** VMware's default: switch after 1000 I/Os. */
    static final long DEFAULT_IOPS = 1000;

    static final class Info extends PathInfo<Info> {
        final long repeatCount;

        Info(SelectorPath path, long repeatCount) {
            super(path);
            this.repeatCount = repeatCount;
        }
    }

    private final boolean byBytes;
    private final long limit;
    /** The path whose run {@link #used} counts; null when the next selection starts a new run. */
    private Info runOf;
    /** I/Os or bytes sent to {@link #runOf} in its current run. */
    private long used;

    RoundRobinSwitchSelector(boolean byBytes, long limit) {
        this.byBytes = byBytes;
        this.limit = limit;
    }

    @Override
    Info newInfo(SelectorPath p, List<String> args) throws TableException {
        RepeatCount.checkCount(NAME, p, args, 1, "[repeat_count]");
        return new Info(p, RepeatCount.parse(NAME, p, args, true));
    }

    /** The head path, until it has had its {@code limit}; then it moves to the tail. */
    @Override
    public SelectorPath selectPath(long nrBytes) {
        Info head = valid.first();
        if (head == null) return null;
        if (head != runOf) {
            runOf = head;
            used = 0;
        }
        used += byBytes ? nrBytes : 1;
        if (used >= limit) {
            valid.moveTail(head);
            runOf = null;
        }
        return head.path;
    }

    @Override
    void failed(Info i) {
        if (i == runOf) runOf = null;
    }

    @Override
    void reinstated(Info i) {
        valid.addHead(i);   // as round-robin; being a new head, it starts a fresh run
    }

    @Override
    public String groupStatus(StatusType type) {
        return "1 " + (byBytes ? "bytes=" : "iops=") + limit;
    }

    @Override
    String infoStatus(Info i) {
        return "";
    }

    @Override
    String tableStatus(Info i) {
        return Long.toString(i.repeatCount);
    }

    /** Selector args: none ({@code iops=1000}) or one of {@code iops=N}, {@code bytes=N} with N ≥ 1. */
    public static final class Type implements PathSelectorType {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int tableArgs() {
            return 1;
        }

        @Override
        public int infoArgs() {
            return 0;
        }

        @Override
        public PathSelector create(List<String> args) throws TableException {
            if (args.isEmpty()) return new RoundRobinSwitchSelector(false, DEFAULT_IOPS);
            if (args.size() == 1) {
                String a = args.get(0);
                boolean bytes = a.startsWith("bytes=");
                if (bytes || a.startsWith("iops=")) {
                    long n = parsePositive(a.substring(a.indexOf('=') + 1));
                    if (n > 0) return new RoundRobinSwitchSelector(bytes, n);
                }
            }
            throw new TableException(Selectors.CONSTRUCTOR_FAILED, String.format(
                    "%s selector args: %s (expected: none, iops=N or bytes=N, N 1..%d)", NAME, args, Long.MAX_VALUE));
        }

        /** A decimal 1..Long.MAX_VALUE, or 0. */
        private static long parsePositive(String s) {
            if (s.isEmpty() || s.length() > 19) return 0;
            long v = 0;
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c < '0' || c > '9') return 0;
                v = v * 10 + (c - '0');
                if (v < 0) return 0;
            }
            return v;
        }
    }
}
