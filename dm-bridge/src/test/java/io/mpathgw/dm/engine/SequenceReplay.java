package io.mpathgw.dm.engine;

import io.mpathgw.dm.Registry;
import io.mpathgw.dm.selector.HistoricalServiceTimeSelector;
import io.mpathgw.dm.selector.PathSelectorType;
import io.mpathgw.dm.selector.QueueLengthSelector;
import io.mpathgw.dm.selector.RoundRobinSelector;
import io.mpathgw.dm.selector.ServiceTimeSelector;
import io.mpathgw.dm.table.Errno;
import io.mpathgw.dm.table.HandlerAttach;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives one map through the steps of one kernel-golden sequence and reports, per step, every difference from what
 * the kernel printed: table, status, the message's rc and stderr, the device-mapper log lines, I/O errors, the
 * outcome of reads, the suspended flag. Commands are read from the step's cmd: line; a read is one 4 KiB request.
 */
final class SequenceReplay {

    static final long READ_BYTES = 4096;
    /** Virtual time between two steps (the kernel run had a few ms between commands). */
    static final long STEP_GAP_MS = 20;
    private static final long READ_TIMEOUT_MS = 30_000;
    private static final Pattern MESSAGE = Pattern.compile("dmsetup message <map> (\\d+) ?(.*)");
    private static final Pattern BACKGROUND_RC = Pattern.compile("background dd rc=(\\d+)");

    private final GoldenSequences.Sequence sequence;
    private final VirtualMapThread thread = new VirtualMapThread();
    private final ScriptedPathIo paths = new ScriptedPathIo(thread);
    private final List<String> log = new ArrayList<>();
    private final List<TestRequest> unreported = new ArrayList<>();
    private final Registry<PathSelectorType> selectors;
    private MultipathDevice device;
    private TestRequest background;
    private StatusMask lastExpected;
    private StatusMask lastObserved;

    SequenceReplay(GoldenSequences.Sequence sequence) {
        this.sequence = sequence;
        this.selectors = new Registry<>("path selector type", List.of(new RoundRobinSelector.Type(),
                new QueueLengthSelector.Type(), new ServiceTimeSelector.Type(),
                new HistoricalServiceTimeSelector.Type(thread::nanoTime)));
    }

    /** Runs {@code step}; returns the differences from the kernel (empty: the step passes). */
    List<String> run(GoldenSequences.Step step) throws Exception {
        thread.advance(STEP_GAP_MS);
        log.clear();
        List<String> diffs = new ArrayList<>();
        Observed seen = execute(step, diffs);
        compareCommand(step, seen, diffs);
        compareOutput(step, diffs);
        return diffs;
    }

    /** True when the step's command is one this replay knows how to perform. */
    static boolean understands(String cmd) {
        return cmd.startsWith("dmsetup ") || cmd.startsWith("dd ") || cmd.equals("(none)") || cmd.equals("sleep 2")
                || cmd.startsWith("wait (dd)") || cmd.startsWith("echo 500 > ");
    }

    private record Observed(int rc, List<String> stderr) {
        static final Observed OK = new Observed(0, List.of());
    }

    private Observed execute(GoldenSequences.Step step, List<String> diffs) throws Exception {
        String cmd = step.cmd();
        if (cmd.startsWith("dmsetup create")) return create();
        if (cmd.startsWith("dmsetup message")) return message(cmd);
        if (cmd.startsWith("dmsetup suspend")) return suspend(cmd.contains("--noflush"));
        if (cmd.startsWith("dmsetup resume")) return resume();
        if (cmd.startsWith("dmsetup remove")) return remove();
        if (cmd.startsWith("echo 500 > ")) return slowRead(step, diffs);
        if (cmd.startsWith("dd ") && cmd.contains("&")) return backgroundRead(step, diffs);
        if (cmd.startsWith("dd ")) return read();
        if (cmd.startsWith("wait (dd)")) return waitBackground(step, diffs);
        if (cmd.equals("sleep 2")) thread.advance(2000);
        return Observed.OK;
    }

    private Observed create() throws TableException {
        String params = sequence.tableLine().replaceFirst("^0 \\d+ multipath ", "");
        long length = Long.parseLong(sequence.tableLine().split(" ")[1]);
        MultipathTable table = MultipathTable.parse(params, selectors, HandlerAttach.KERNEL_NAMES);
        device = MultipathDevice.builder(sequence.mapName(), length, table)
                .devName("253:0")
                .thread(thread)
                .pathIo(paths)
                .activator(PathActivator.IMMEDIATE_SUCCESS)
                .lookup(this::lookup)
                .log(log::add)
                .build();
        return Observed.OK;
    }

    /**
     * The kernel run's devices: the four paths, 7:0 (a loop device not in the map), "@8:16" (the recorder's
     * spelling of the path's /dev node) and "%8:16" (its bare kernel name, which dm_get_device cannot resolve).
     */
    private String lookup(String word) throws MessageException {
        if (word.startsWith("@")) return DeviceLookup.known(List.of(word.substring(1))).resolve(word.substring(1));
        if (word.startsWith("%")) throw new MessageException(Errno.ENODEV, null);
        return DeviceLookup.known(List.of("8:16", "8:32", "8:48", "8:64", "7:0")).resolve(word);
    }

    private Observed message(String cmd) {
        Matcher m = MESSAGE.matcher(cmd);
        if (!m.matches()) throw new IllegalArgumentException("cannot read message command: " + cmd);
        try {
            device.message(Long.parseLong(m.group(1)), m.group(2));
            thread.runUntil(() -> false, 0);
            return Observed.OK;
        } catch (MessageException e) {
            return new Observed(1, List.of("device-mapper: message ioctl on " + sequence.mapName() + "  failed: "
                    + e.errno().strerror(), "Command failed."));
        }
    }

    private Observed suspend(boolean noflush) {
        var done = device.suspend(noflush).toCompletableFuture();
        thread.runUntil(done::isDone, READ_TIMEOUT_MS);
        return done.isDone() ? Observed.OK : new Observed(1, List.of("suspend did not complete"));
    }

    private Observed resume() {
        device.resume();
        thread.runUntil(() -> false, 0);
        return Observed.OK;
    }

    private Observed remove() {
        device = null;
        return Observed.OK;
    }

    private TestRequest submitRead() {
        TestRequest rq = new TestRequest(READ_BYTES);
        unreported.add(rq);
        device.submit(rq);
        return rq;
    }

    /** dd of one 4 KiB block: rc 0 when the read completes OK, 1 when it fails. */
    private Observed read() {
        TestRequest rq = submitRead();
        if (!thread.runUntil(rq::done, READ_TIMEOUT_MS)) return new Observed(-1, List.of("read still blocked"));
        return new Observed(rq.status() == BlkStatus.OK ? 0 : 1, List.of());
    }

    private Observed backgroundRead(GoldenSequences.Step step, List<String> diffs) {
        background = submitRead();
        thread.advance(3000);
        boolean blocked = step.stdout().stream().anyMatch(l -> l.endsWith("BLOCKED"));
        if (blocked == background.done()) diffs.add("background read after 3 s: expected "
                + (blocked ? "blocked" : "finished") + ", was " + outcome(background, "blocked"));
        return Observed.OK;
    }

    /** scsi_debug delay 500 jiffies: the read stays on its path until the step that waits for it. */
    private Observed slowRead(GoldenSequences.Step step, List<String> diffs) {
        paths.hold(true);
        background = submitRead();
        thread.advance(700);
        boolean inFlight = step.stdout().contains("read in flight");
        if (inFlight == background.done()) diffs.add("slow read after 0.7 s: expected "
                + (inFlight ? "in flight" : "finished") + ", was " + outcome(background, "in flight"));
        return Observed.OK;
    }

    private static String outcome(TestRequest rq, String pending) {
        return rq.done() ? rq.status().toString() : pending;
    }

    private Observed waitBackground(GoldenSequences.Step step, List<String> diffs) {
        paths.release();
        boolean done = thread.runUntil(background::done, READ_TIMEOUT_MS);
        int expected = step.stdout().stream().map(BACKGROUND_RC::matcher).filter(Matcher::matches)
                .mapToInt(x -> Integer.parseInt(x.group(1))).findFirst().orElse(-1);
        int rc = !done ? -1 : background.status() == BlkStatus.OK ? 0 : 1;
        if (rc != expected) diffs.add("background dd rc: expected " + expected + ", was " + (done ? rc : "blocked"));
        return Observed.OK;
    }

    private void compareCommand(GoldenSequences.Step step, Observed seen, List<String> diffs) {
        if (seen.rc() != step.rc()) diffs.add("rc: expected " + step.rc() + ", was " + seen.rc() + " " + seen.stderr());
        if (step.cmd().startsWith("dmsetup ") && !seen.stderr().equals(step.stderr()))
            diffs.add("stderr: expected " + step.stderr() + ", was " + seen.stderr());
        List<String> dmLines = step.kernel().stream().filter(l -> l.startsWith("device-mapper: ")).toList();
        if (!dmLines.equals(log)) diffs.add("kernel lines: expected " + dmLines + ", was " + log);
        long ioErrors = step.kernel().stream().filter(l -> l.startsWith("I/O error, dev ")).count();
        long failed = reportFailedReads();
        if (ioErrors != failed) diffs.add("I/O errors: expected " + ioErrors + ", was " + failed);
    }

    /** Reads that ended with an error since the last step: each is one "I/O error, dev dm-0" line. */
    private long reportFailedReads() {
        long failed = unreported.stream().filter(r -> r.done() && r.status() != BlkStatus.OK).count();
        unreported.removeIf(TestRequest::done);
        return failed;
    }

    private void compareOutput(GoldenSequences.Step step, List<String> diffs) {
        String table = device != null ? device.dmsetupTable()
                : "device-mapper: table ioctl on " + sequence.mapName() + "  failed: " + Errno.ENXIO.strerror()
                + " / Command failed.";
        String status = device != null ? device.dmsetupStatus() : "Device does not exist. / Command failed.";
        if (!table.equals(step.table()))
            diffs.add("table:\n  expected '" + step.table() + "'\n  was      '" + table + "'");
        compareStatus(step.status(), status, diffs);
        if (device != null && step.info() != null) {
            boolean suspended = infoFlags(step.info()).contains("s");
            if (suspended != device.isSuspended()) diffs.add("suspended: expected " + suspended);
        }
    }

    private void compareStatus(String expected, String observed, List<String> diffs) {
        StatusMask e = StatusMask.of(expected);
        StatusMask o = StatusMask.of(observed);
        if (!e.masked().equals(o.masked()))
            diffs.add("status:\n  expected '" + expected + "'\n  was      '" + observed + "'");
        else if (!e.changedSince(lastExpected).equals(o.changedSince(lastObserved)))
            diffs.add("historical-service-time: paths whose service time changed: expected "
                    + e.changedSince(lastExpected) + ", was " + o.changedSince(lastObserved)
                    + "\n  expected '" + expected + "'\n  was      '" + observed + "'");
        lastExpected = e;
        lastObserved = o;
    }

    /** "sqrr:L-sw:0" → "L-sw". */
    private static String infoFlags(String info) {
        String[] f = info.split(":");
        return f.length >= 2 ? f[1] : "";
    }
}
