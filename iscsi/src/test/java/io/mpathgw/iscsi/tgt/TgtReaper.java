package io.mpathgw.iscsi.tgt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure no tgtd outlives the tests that started it.
 *
 * <ul>
 *   <li>While the JVM runs, every started {@link Tgt} is in {@link #LIVE}; a shutdown hook kills those still there
 *       (e.g. a test forgot {@code close()}, or surefire stopped the fork).</li>
 *   <li>For a JVM that died without running hooks (SIGKILL, crash), each Tgt also keeps a record file
 *       {@code ${java.io.tmpdir}/mpathgw-tgt/<control port>.tgt} naming its owner JVM, its tgtd pid and its files.
 *       The first Tgt of any later JVM reaps records whose owner is gone: kills that tgtd (only if its command line
 *       still names the same control port) and deletes the files.</li>
 * </ul>
 */
final class TgtReaper {

    static final Path RECORDS = Path.of(System.getProperty("java.io.tmpdir"), "mpathgw-tgt");
    private static final Set<Tgt> LIVE = ConcurrentHashMap.newKeySet();
    private static final long SELF = ProcessHandle.current().pid();

    static {
        reapOrphans();
        Runtime.getRuntime().addShutdownHook(new Thread(TgtReaper::killAll, "tgt-reaper"));
    }

    private TgtReaper() {
    }

    /** Loads this class: reaps orphans of dead JVMs and installs the shutdown hook, once. */
    static void init() {
    }

    /** Tracks {@code tgt} and (re)writes its record: tgtd pid, control port, files to delete. */
    static void track(Tgt tgt, long tgtdPid, int controlPort, List<Path> files) {
        LIVE.add(tgt);
        StringBuilder sb = new StringBuilder();
        sb.append("owner ").append(SELF).append('\n');
        sb.append("pid ").append(tgtdPid).append('\n');
        sb.append("control ").append(controlPort).append('\n');
        for (Path f : files) sb.append("file ").append(f).append('\n');
        try {
            Files.createDirectories(RECORDS);
            Path tmp = RECORDS.resolve(controlPort + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, record(controlPort), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("tgt: cannot write " + record(controlPort) + ": " + e);
        }
    }

    /** Forgets {@code tgt}: it stopped its tgtd and deleted its files. */
    static void untrack(Tgt tgt, int controlPort) {
        LIVE.remove(tgt);
        try {
            Files.deleteIfExists(record(controlPort));
        } catch (IOException e) {
            System.err.println("tgt: cannot delete " + record(controlPort) + ": " + e);
        }
    }

    /** Whether {@code n} is the control port of a record of some Tgt, live or orphaned. */
    static boolean recorded(int n) {
        return Files.exists(record(n));
    }

    /** The management socket files of tgtd's control port {@code n}, left behind by tgtd on any exit. */
    static List<Path> controlFiles(int n) {
        Path dir = Tgt.RUN_DIR;
        return List.of(dir.resolve("socket." + n), dir.resolve("socket." + n + ".lock"));
    }

    private static Path record(int controlPort) {
        return RECORDS.resolve(controlPort + ".tgt");
    }

    private static void killAll() {
        for (Tgt t : new ArrayList<>(LIVE)) t.closeQuietlyForShutdown();
    }

    private static void reapOrphans() {
        if (!Files.isDirectory(RECORDS)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(RECORDS, "*.tgt")) {
            for (Path r : ds) reap(r);
        } catch (IOException e) {
            System.err.println("tgt: cannot scan " + RECORDS + ": " + e);
        }
    }

    private static void reap(Path record) {
        long owner = -1;
        long pid = -1;
        int control = -1;
        List<Path> files = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                int sp = line.indexOf(' ');
                if (sp < 0) continue;
                String k = line.substring(0, sp);
                String v = line.substring(sp + 1);
                switch (k) {
                    case "owner" -> owner = Long.parseLong(v);
                    case "pid" -> pid = Long.parseLong(v);
                    case "control" -> control = Integer.parseInt(v);
                    case "file" -> files.add(Path.of(v));
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            return;                                                 // being written, or not ours to judge
        }
        if (owner < 0 || running(owner)) return;
        if (pid > 0 && control > 0) killIfTgtd(pid, control);
        if (control > 0) files.addAll(controlFiles(control));
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort: a safety net must not fail a test run
            }
        }
        try {
            Files.deleteIfExists(record);
        } catch (IOException ignored) {
            // same
        }
        System.err.printf("tgt: reaped tgtd %d (control port %d) left by dead JVM %d%n", pid, control, owner);
    }

    /** Alive and not a zombie (a killed JVM stays one until its new parent reaps it; ProcessHandle calls it alive). */
    private static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return true;                                        // no /proc: trust ProcessHandle
        }
    }

    private static void killIfTgtd(long pid, int control) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) return;
        String cmd = h.get().info().commandLine().orElse("");
        if (!cmd.contains("tgtd") || !cmd.contains("--control-port " + control + " ")) return;
        h.get().destroyForcibly();
        h.get().onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
