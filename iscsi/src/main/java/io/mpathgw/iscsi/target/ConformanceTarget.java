package io.mpathgw.iscsi.target;

import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.MemoryBlockDevice;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The disk that {@code scripts/conformance.sh} runs libiscsi's {@code iscsi-test-cu} against, and that a person can
 * point any initiator at: one {@link IscsiTarget} with one {@link SbcLogicalUnit} over a {@link MemoryBlockDevice},
 * reachable through several loopback portals (one SCSI target port each, so {@code SCSI.MultipathIO} has two paths
 * to the same LU). Prints shell assignments like {@code scripts/tgt-start.sh}, then {@code READY}, and runs until the
 * process is stopped.
 *
 * <pre>
 *   java -cp … io.mpathgw.iscsi.target.ConformanceTarget [--host ADDR] [--port N] [--portals N] [--size BYTES|64M]
 *        [--block-size 512|4096] [--iqn IQN] [--lun N] [--physical-block-exponent E] [--max-transfer-blocks N]
 *        [--header-digest none|crc32c]
 * </pre>
 *
 * <p>Exit codes: 0 after a signal or {@code --help}, 2 for a bad option (message and usage on stderr), 1 when the target cannot start.
 */
public final class ConformanceTarget {

    static final String USAGE = String.join("\n",
            "usage: ConformanceTarget [OPTIONS]",
            "  --host ADDR                     bind address, default 127.0.0.1",
            "  --port N                        first portal's port, the others following; default 0: free ports",
            "  --portals N                     portals (target ports) to the same LU, default 2",
            "  --size BYTES|64M|1G             LU capacity, default 64M (as scripts/tgt-start.sh)",
            "  --block-size 512|4096           logical block size, default 512",
            "  --iqn IQN                       target name, default " + Options.DEFAULT_IQN,
            "  --lun N                         LUN number, default 1 (as tgt's first disk)",
            "  --physical-block-exponent E     logical blocks per physical block = 2^E, default 0",
            "  --max-transfer-blocks N         MAXIMUM TRANSFER LENGTH of VPD 0xB0; default the LU's, 8 MiB",
            "  --header-digest none|crc32c     crc32c: require HeaderDigest=CRC32C (libiscsi's tools offer None,CRC32C",
            "                                  and ignore ?header_digest= in the URL); default none: the initiator's choice");

    private ConformanceTarget() {
    }

    public static void main(String[] args) {
        CountDownLatch closed = new CountDownLatch(1);
        int code = run(List.of(args), System.out, System.err, () -> awaitShutdown(closed));
        closed.countDown();
        if (code != 0) System.exit(code);          // 0: --help, or stopped by a signal (the JVM is shutting down)
    }

    /** Parses, starts, prints, waits for {@code until}, closes; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err, Runnable until) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ConformanceTarget: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        MemoryBlockDevice device = new MemoryBlockDevice(o.blockSize, o.size / o.blockSize);
        IscsiTarget target;
        try {
            target = build(o, device).start();
        } catch (RuntimeException | InterruptedException e) {
            err.println("ConformanceTarget: cannot start the target on " + o.host + ": " + e);
            device.close();
            return 1;
        }
        try {
            out.println(describe(o, target));
            out.println("READY");
            out.flush();
            until.run();
            return 0;
        } finally {
            target.close();
            device.close();
        }
    }

    static IscsiTarget build(Options o, MemoryBlockDevice device) {
        SbcLogicalUnitBuilder lu = SbcLogicalUnit.builder(device).serial(o.serial()).targetName(o.iqn)
                .unmappedReadsZero(true).physicalBlockExponent(o.physicalBlockExponent);
        if (o.maxTransferBlocks >= 0) lu.maximumTransferLength(o.maxTransferBlocks);
        TargetNode node = TargetNode.builder(o.iqn).alias("mpathgw conformance disk").lun(o.lun, lu.build())
                .requireHeaderDigest(o.headerDigest).build();
        IscsiTarget.Builder b = IscsiTarget.builder().target(node);
        for (int i = 0; i < o.portals; i++) {
            int port = o.port == 0 ? 0 : o.port + i;
            // one portal group, target port group and relative target port per portal: distinct SCSI target ports
            b.portal(PortalConfig.of(new InetSocketAddress(o.host, port), i + 1, i + 1, i + 1));
        }
        return b.build();
    }

    /** {@code PORTS="P1 P2"}, {@code URL=} (the first portal), {@code URLS="U1 U2"}, and the LU's geometry. */
    static String describe(Options o, IscsiTarget target) {
        List<String> ports = new ArrayList<>(), urls = new ArrayList<>();
        for (Portal p : target.portals()) {
            ports.add(Integer.toString(p.port()));
            urls.add("iscsi://" + o.host + ":" + p.port() + "/" + o.iqn + "/" + o.lun);
        }
        return String.join("\n",
                "PID=" + ProcessHandle.current().pid(),
                "HOST=" + o.host,
                "PORT=" + ports.get(0),
                "PORTS=\"" + String.join(" ", ports) + "\"",
                "IQN=" + o.iqn,
                "LUN=" + o.lun,
                "BLOCK_SIZE=" + o.blockSize,
                "BLOCKS=" + o.size / o.blockSize,
                "HEADER_DIGEST=" + (o.headerDigest ? "CRC32C" : "None,CRC32C"),
                "URL=" + urls.get(0),
                "URLS=\"" + String.join(" ", urls) + "\"");
    }

    /** Returns when the JVM begins to shut down (SIGTERM, Ctrl-C); the hook then waits for {@code closed}. */
    private static void awaitShutdown(CountDownLatch closed) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "conformance-target-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line, checked. */
    static final class Options {
        static final String DEFAULT_IQN = "iqn.2026-11.io.mpathgw.conformance:disk1";

        String host = "127.0.0.1";
        int port;
        int portals = 2;
        long size = 64L << 20;
        int blockSize = 512;
        String iqn = DEFAULT_IQN;
        int lun = 1;
        int physicalBlockExponent;
        long maxTransferBlocks = -1;
        boolean headerDigest;

        static Options parse(List<String> args) {
            Options o = new Options();
            for (int i = 0; i < args.size(); i++) {
                String opt = args.get(i);
                if (!opt.startsWith("--")) throw new IllegalArgumentException("argument: '" + opt + "' (expected: an option)");
                if (++i >= args.size()) throw new IllegalArgumentException(opt + ": missing value");
                String v = args.get(i);
                switch (opt) {
                    case "--host" -> o.host = v;
                    case "--port" -> o.port = (int) number(opt, v, 0, 65535);
                    case "--portals" -> o.portals = (int) number(opt, v, 1, 16);
                    case "--size" -> o.size = bytes(opt, v);
                    case "--block-size" -> o.blockSize = blockSize(v);
                    case "--iqn" -> o.iqn = v;
                    case "--lun" -> o.lun = (int) number(opt, v, 0, 16383);
                    case "--physical-block-exponent" -> o.physicalBlockExponent = (int) number(opt, v, 0, 15);
                    case "--max-transfer-blocks" -> o.maxTransferBlocks = number(opt, v, 0, 0xFFFF_FFFFL);
                    case "--header-digest" -> o.headerDigest = switch (v) {
                        case "none" -> false;
                        case "crc32c" -> true;
                        default -> throw new IllegalArgumentException(opt + ": '" + v + "' (expected: none or crc32c)");
                    };
                    default -> throw new IllegalArgumentException("option: '" + opt + "' (expected: see usage)");
                }
            }
            if (o.size % o.blockSize != 0 || o.size < 1024L * o.blockSize)
                throw new IllegalArgumentException("--size: " + o.size + " (expected: a multiple of the block size "
                        + o.blockSize + ", at least 1024 blocks)");
            return o;
        }

        /** Unit serial number, also the seed of the NAA designator: stable for one IQN and LUN. */
        String serial() {
            return String.format("MPGWCONF%08X%04X", iqn.hashCode(), lun);
        }

        private static long number(String opt, String v, long min, long max) {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                n = Long.MIN_VALUE;
            }
            if (n < min || n > max)
                throw new IllegalArgumentException(opt + ": '" + v + "' (expected: " + min + ".." + max + ")");
            return n;
        }

        private static int blockSize(String v) {
            if (!v.equals("512") && !v.equals("4096"))
                throw new IllegalArgumentException("--block-size: '" + v + "' (expected: 512 or 4096)");
            return Integer.parseInt(v);
        }

        /** {@code 67108864}, {@code 64M}, {@code 1G} (binary units). */
        private static long bytes(String opt, String v) {
            String s = v.toUpperCase();
            int shift = s.endsWith("K") ? 10 : s.endsWith("M") ? 20 : s.endsWith("G") ? 30 : 0;
            try {
                return number(opt, shift == 0 ? s : s.substring(0, s.length() - 1), 1, 1L << 40 >> shift) << shift;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(opt + ": '" + v + "' (expected: bytes, or a number with K, M or G;"
                        + " at most 1T)");
            }
        }
    }
}
