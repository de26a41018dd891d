package io.mpathgw.iscsi.tgt;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real tgtd (Debian {@code tgt}) as the array in tests: its own process on loopback ports chosen at run time, its
 * own control port, RAM-backed LUNs in /dev/shm. Several instances may run at once.
 *
 * <pre>{@code
 * assumeTrue(Tgt.available(), "tgtd missing: run scripts/install-test-peers.sh");
 * try (Tgt tgt = Tgt.builder().portals(2)
 *         .target("iqn.2026-11.io.mpathgw.test:disk1", t -> t.lun(1, 64 << 20).chap("user", "secret12345678"))
 *         .start()) {
 *     InetSocketAddress p0 = tgt.portals().get(0);
 *     tgt.kill();      // SIGKILL: an array crash; the LUN files stay
 *     tgt.restart();   // same ports, same control port, same targets, same files: data survives
 * }
 * }</pre>
 *
 * tgtd runs as {@code tgtd -f --control-port N --iscsi portal=127.0.0.1:P1,portal=127.0.0.1:P2}; its output goes to
 * {@code target/tgt-P1.log}. tgtd ignores SIGTERM, so {@link #stop()} asks tgtadm to delete the targets and the
 * system, and falls back to SIGKILL.
 */
public final class Tgt implements AutoCloseable {

    static final Path RUN_DIR = Path.of("/var/run/tgtd");
    private static final int ATTEMPTS = 8;
    private static final long READY_MILLIS = 10_000;

    private final Builder config;
    private final Path tgtd;
    private final String instance;                          // 8 hex digits: in file names and default scsi_ids
    private final Map<String, Integer> tids = new LinkedHashMap<>();
    private final Map<String, Path> backing = new LinkedHashMap<>();      // "tid/lun" -> file
    private final List<Path> owned = new ArrayList<>();
    private List<InetSocketAddress> portals = List.of();
    private Tgtadm tgtadm;
    private Path log;
    private Process process;
    private boolean closed;

    private Tgt(Builder config) {
        this.config = config;
        this.tgtd = exe("tgtd").orElseThrow(() -> new IllegalStateException("tgtd missing: run scripts/install-test-peers.sh"));
        this.instance = String.format("%08x", ThreadLocalRandom.current().nextInt());
        int tid = 1;
        for (TgtTarget t : config.targets) {
            tids.put(t.iqn, tid);
            for (TgtTarget.LunSpec l : t.luns.values())
                backing.put(tid + "/" + l.lun, l.file != null ? l.file : shmFile(tid, l.lun));
            tid++;
        }
    }

    /** Whether tgtd and tgtadm are installed and this user may run tgtd (it needs /var/run/tgtd). */
    public static boolean available() {
        if (exe("tgtd").isEmpty() || exe("tgtadm").isEmpty()) return false;
        Path run = Files.isDirectory(RUN_DIR) ? RUN_DIR : RUN_DIR.getParent();
        return Files.isWritable(run);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The listening portals, in the order given to tgtd; the same after {@link #restart()}. */
    public synchronized List<InetSocketAddress> portals() {
        return portals;
    }

    /** The pid of the current (or last) tgtd process. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Whether tgtd is running (false after {@link #kill()} or {@link #stop()}, until {@link #restart()}). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The number N of tgtd's management socket /var/run/tgtd/socket.N ({@code tgtadm -C N}). */
    public synchronized int controlPort() {
        return tgtadm.controlPort();
    }

    /** Where tgtd's stdout and stderr go: {@code target/tgt-<first portal port>.log}. */
    public synchronized Path logFile() {
        return log;
    }

    /** The target id tgt knows {@code iqn} by: 1, 2, … in the order targets were given. */
    public int tid(String iqn) {
        Integer tid = tids.get(iqn);
        if (tid == null) throw new IllegalArgumentException("no target " + iqn + " (expected one of " + tids.keySet() + ")");
        return tid;
    }

    /** The file backing LUN {@code lun} of target {@code iqn}. */
    public Path backingFile(String iqn, int lun) {
        Path f = backing.get(tid(iqn) + "/" + lun);
        if (f == null) throw new IllegalArgumentException(iqn + ": no LUN " + lun);
        return f;
    }

    /** The scsi_id tgt reports for a LUN (VPD 0x83 T10 vendor ID; its hex digits form the NAA 6 designator). */
    public String scsiId(String iqn, int lun) {
        int tid = tid(iqn);
        TgtTarget.LunSpec l = config.targets.get(tid - 1).luns.get(lun);
        if (l == null) throw new IllegalArgumentException(iqn + ": no LUN " + lun);
        return l.scsiId != null ? l.scsiId : String.format("MPGW-%s%04x%04x", instance, tid, lun);
    }

    /** The unit serial number tgt reports for a LUN (VPD 0x80): 16 hex digits, unique per instance. */
    public String scsiSerial(String iqn, int lun) {
        return String.format("%s%04x%04x", instance, tid(iqn), lun);
    }

    /** A libiscsi-style URL {@code iscsi://127.0.0.1:PORT/IQN/LUN} through portal {@code portal}, no credentials. */
    public String url(int portal, String iqn, int lun) {
        InetSocketAddress a = portals().get(portal);
        return "iscsi://" + a.getHostString() + ":" + a.getPort() + "/" + iqn + "/" + lun;
    }

    /** Runs {@code tgtadm -C <control port> --lld iscsi ARGS} against this tgtd, e.g. to show sessions. */
    public String tgtadm(String... args) throws IOException {
        Tgtadm t;
        synchronized (this) {
            t = tgtadm;
        }
        return t.run(args);
    }

    /** SIGKILL, as a crashed array: connections drop without a FIN from iSCSI; files stay for {@link #restart()}. */
    public synchronized void kill() {
        if (process == null || !process.isAlive()) return;
        process.destroyForcibly();
        awaitExit(process, 5_000);
    }

    /** Stops tgtd cleanly (targets deleted with --force, then the system), SIGKILL if it lingers; files stay. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) return;
        try {
            for (int tid : tids.values()) tgtadm.tryRun("--op", "delete", "--force", "--mode", "target", "--tid", "" + tid);
            tgtadm.tryRun("--op", "delete", "--mode", "system");
        } catch (IOException e) {
            // falls through to SIGKILL
        }
        if (!awaitExit(process, 5_000)) kill();
    }

    /** Starts tgtd again (stopping it first if running): same ports, control port, targets, accounts and files. */
    public synchronized void restart() throws IOException {
        if (closed) throw new IllegalStateException("closed");
        stop();
        IOException last = null;
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        do {                                    // a port can stay taken briefly after a kill; same ports, so wait
            try {
                launch(portals, tgtadm.controlPort(), false);
                return;
            } catch (Retry e) {
                last = e;
                sleep(200);
            }
        } while (System.currentTimeMillis() < deadline);
        throw new IOException("tgtd did not come back on " + portals + ", control port " + tgtadm.controlPort(), last);
    }

    /** Stops tgtd and deletes the backing files it owns, its management socket files and its reaper record. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stop();
        deleteFiles();
    }

    @Override
    public String toString() {
        return "tgtd " + (process == null ? "-" : process.pid()) + " " + portals + " control port "
                + (tgtadm == null ? "-" : tgtadm.controlPort());
    }

    void closeQuietlyForShutdown() {
        synchronized (this) {
            closed = true;
            kill();
            deleteFiles();
        }
    }

    private void start() throws IOException {
        createBackingFiles();
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                launch(freePorts(config.portals), freeControlPort(), true);
                return;
            } catch (Retry e) {                 // a port or control port was taken meanwhile: others' tgtd, others' tests
                last = e;
            }
        }
        throw new IOException("tgtd did not start in " + ATTEMPTS + " attempts", last);
    }

    /**
     * Starts tgtd on {@code ports} and {@code control}, waits for it, configures it. On failure tgtd is killed; when
     * {@code fresh} (another attempt will pick other ports), this attempt's record and, if this tgtd created them,
     * its socket files are removed too.
     */
    private void launch(List<InetSocketAddress> ports, int control, boolean fresh) throws IOException {
        StringBuilder iscsi = new StringBuilder();
        for (InetSocketAddress a : ports)
            iscsi.append(iscsi.length() == 0 ? "" : ",").append("portal=").append(a.getHostString()).append(':').append(a.getPort());
        List<String> cmd = new ArrayList<>(List.of(tgtd.toString(), "-f", "--control-port", Integer.toString(control),
                "--iscsi", iscsi.toString()));
        if (config.debug) cmd.addAll(List.of("-d", "1"));
        Path logFile = config.logDir.resolve("tgt-" + ports.get(0).getPort() + ".log");
        Files.createDirectories(config.logDir);
        Files.writeString(logFile, "# " + String.join(" ", cmd) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        process = p;
        portals = List.copyOf(ports);
        tgtadm = new Tgtadm(exe("tgtadm").orElseThrow(), control);
        log = logFile;
        TgtReaper.track(this, p.pid(), control, trackedFiles(control));
        try {
            awaitReady(p, ports);
            new TgtConfigurator(tgtadm, config.targets, backing, this).apply();
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            awaitExit(p, 5_000);
            if (fresh) abandon(control, !(e instanceof Retry r) || r.answered);
            throw e;
        }
    }

    private void abandon(int control, boolean ownSocket) {
        TgtReaper.untrack(this, control);
        if (!ownSocket) return;                 // the socket belongs to the tgtd that holds this control port
        for (Path f : TgtReaper.controlFiles(control)) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a stale socket file does no harm: tgtd replaces it
            }
        }
    }

    /** Polls tgtadm until tgtd answers and lists every portal; a dead tgtd or a missing portal is a {@link Retry}. */
    private void awaitReady(Process p, List<InetSocketAddress> ports) throws IOException {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        long answeredAt = -1;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive())
                throw new Retry("tgtd exited with " + p.exitValue() + ": " + lastLine(log), false);
            Tgtadm.Result r = tgtadm.tryRun("--op", "show", "--mode", "portal");
            if (r.exit() == 0) {
                if (ports.stream().allMatch(a -> r.output().contains("Portal: " + a.getHostString() + ":" + a.getPort() + ",")))
                    return;
                if (answeredAt < 0) answeredAt = System.currentTimeMillis();
                else if (System.currentTimeMillis() - answeredAt > 1_000)
                    throw new Retry("tgtd could not bind every portal of " + ports + " (taken?): " + r.output().strip(), true);
            }
            sleep(10);
        }
        throw new IOException("tgtd not ready within " + READY_MILLIS + " ms; see " + log);
    }

    private void createBackingFiles() throws IOException {
        for (TgtTarget t : config.targets) {
            for (TgtTarget.LunSpec l : t.luns.values()) {
                if (l.file != null) continue;
                Path f = backing.get(tid(t.iqn) + "/" + l.lun);
                owned.add(f);
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.setLength(l.bytes);                       // sparse: RAM is used only where written
                }
            }
        }
    }

    private List<Path> trackedFiles(int control) {
        List<Path> files = new ArrayList<>(owned);
        files.addAll(TgtReaper.controlFiles(control));
        return files;
    }

    private void deleteFiles() {
        List<Path> files = new ArrayList<>(owned);
        if (tgtadm != null) files.addAll(TgtReaper.controlFiles(tgtadm.controlPort()));
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                System.err.println("tgt: cannot delete " + f + ": " + e);
            }
        }
        if (tgtadm != null) TgtReaper.untrack(this, tgtadm.controlPort());
    }

    private Path shmFile(int tid, int lun) {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve(String.format("mpathgw-tgt-%s-t%d-l%d.img", instance, tid, lun));
    }

    private List<InetSocketAddress> freePorts(int n) throws IOException {
        InetAddress host = InetAddress.getByName(config.host);
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) held.add(new ServerSocket(0, 1, host));   // all held at once: distinct
            List<InetSocketAddress> out = new ArrayList<>();
            for (ServerSocket s : held) out.add(new InetSocketAddress(config.host, s.getLocalPort()));
            return out;
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }

    /**
     * A control port whose socket file does not exist (tgtd itself refuses one whose lock another tgtd holds). tgtd
     * takes -C up to 32767 only ("-C argument value '32768' out of range").
     */
    private static int freeControlPort() {
        for (int i = 0; i < 100; i++) {
            int n = ThreadLocalRandom.current().nextInt(10_000, 32_768);
            if (!Files.exists(RUN_DIR.resolve("socket." + n)) && !TgtReaper.recorded(n)) return n;
        }
        return ThreadLocalRandom.current().nextInt(10_000, 32_768);
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "(empty " + file + ")" : lines.get(lines.size() - 1) + " (" + file + ")";
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    private static boolean awaitExit(Process p, long millis) {
        try {
            return p.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static Optional<Path> exe(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    /** A start that failed for a reason another attempt may not meet (port or control port taken). */
    private static final class Retry extends IOException {
        final boolean answered;                 // tgtd ran far enough to own its control socket

        Retry(String message, boolean answered) {
            super(message);
            this.answered = answered;
        }
    }

    /** What to start: portals, targets; {@link #start()} launches tgtd and configures it. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int portals = 1;
        private final List<TgtTarget> targets = new ArrayList<>();
        private Path logDir = Path.of(System.getProperty("basedir", "."), "target");
        private boolean debug;

        private Builder() {
        }

        /** How many portals (TCP ports) tgtd listens on, all on {@link #host}; default 1. */
        public Builder portals(int n) {
            if (n < 1 || n > 16) throw new IllegalArgumentException("portals: " + n + " (expected: 1..16)");
            portals = n;
            return this;
        }

        /** The address to listen on; default 127.0.0.1. */
        public Builder host(String address) {
            host = Objects.requireNonNull(address, "address");
            return this;
        }

        /** A target named {@code iqn} (tid 1, 2, … in call order), configured by {@code config}. */
        public Builder target(String iqn, Consumer<TgtTarget> config) {
            if (targets.stream().anyMatch(t -> t.iqn.equals(iqn))) throw new IllegalArgumentException("target given twice: " + iqn);
            TgtTarget t = new TgtTarget(iqn);
            config.accept(t);
            t.validate();
            targets.add(t);
            return this;
        }

        /** Where tgt-PORT.log goes; default {@code ${basedir}/target}. */
        public Builder logDir(Path dir) {
            logDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Runs tgtd with {@code -d 1}: every login key and command in the log. */
        public Builder debug(boolean on) {
            debug = on;
            return this;
        }

        /** Starts tgtd, waits until it listens on every portal, configures the targets; close() the result. */
        public Tgt start() throws IOException {
            if (targets.isEmpty()) throw new IllegalStateException("no target (expected: at least one target(iqn, t -> t.lun(1, bytes)))");
            TgtConfigurator.checkAccounts(targets);
            TgtReaper.init();                                       // reaps tgtds of dead JVMs before starting ours
            Tgt t = new Tgt(this);
            try {
                t.start();
                return t;
            } catch (IOException | RuntimeException e) {
                t.close();
                throw e;
            }
        }
    }
}
