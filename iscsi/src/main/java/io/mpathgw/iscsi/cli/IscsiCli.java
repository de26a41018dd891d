package io.mpathgw.iscsi.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mpathgw iscsi ls|inq|perf}: the initiator alone, driven by libiscsi-style URLs. Exit codes: 0 done,
 * 1 the command failed at run time (one line on stderr says what failed), 2 the command line is wrong (the bad
 * flag or value, then the usage).
 */
public final class IscsiCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final String PREFIX = "mpathgw iscsi ";

    private static final String HELP = String.join(System.lineSeparator(),
            "usage:",
            "  " + LsCommand.USAGE,
            "  " + InqCommand.USAGE,
            "  " + PerfCommand.USAGE,
            "",
            "  ls    SendTargets discovery: targets and portals; -s logs in and lists LUNs with type, vendor,",
            "        product, capacity and WWID",
            "  inq   standard INQUIRY data, or a VPD page with -e / -c PAGE (0x00, 0x80, 0x83, 0xb0, 0xb2 decoded)",
            "  perf  keeps --qd READ(16)/WRITE(16) outstanding for --seconds; IOPS, MiB/s, mean/p50/p99 latency",
            "",
            "URL: " + IscsiUrl.SYNTAX,
            "  query keys: header_digest=crc32c|none, data_digest=crc32c|none, target_user=U, target_password=P,",
            "  auth=md5|sha1|sha-256|sha3-256",
            "  CHAP may also come from LIBISCSI_CHAP_USERNAME / LIBISCSI_CHAP_PASSWORD, mutual CHAP from",
            "  LIBISCSI_CHAP_TARGET_USERNAME / LIBISCSI_CHAP_TARGET_PASSWORD.",
            "exit codes: 0 ok, 1 run-time failure, 2 usage error");

    private IscsiCli() {
    }

    public static void main(String[] args) {
        quietLogs(Arrays.asList(args).contains("-d") || Arrays.asList(args).contains("--debug"));
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The initiator logs its warnings (a dropped connection, an unused CHAP user) for a long-running gateway; a
     * tool reports its failure as one line instead, so they are shown only with {@code --debug}.
     */
    private static void quietLogs(boolean debug) {
        java.util.logging.Logger.getLogger("io.mpathgw").setLevel(debug ? java.util.logging.Level.ALL : java.util.logging.Level.SEVERE);
        java.util.logging.Logger.getLogger("io.netty").setLevel(debug ? java.util.logging.Level.INFO : java.util.logging.Level.SEVERE);
    }

    /** Runs one subcommand; never calls {@code System.exit}, so that tests and the launcher can call it in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return usage(err, null, HELP);
        String command = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            out.println(HELP);
            return OK;
        }
        String usage = switch (command) {
            case "ls" -> LsCommand.USAGE;
            case "inq" -> InqCommand.USAGE;
            case "perf" -> PerfCommand.USAGE;
            default -> null;
        };
        if (usage == null)
            return usage(err, PREFIX.trim() + ": command: '" + command + "' (expected: ls, inq or perf)", HELP);
        boolean debug = rest.contains("-d") || rest.contains("--debug");
        try {
            Args a = Args.parse(rest, switch (command) {
                case "ls" -> LsCommand.options();
                case "inq" -> InqCommand.options();
                default -> PerfCommand.options();
            });
            if (a.flag(CommonOptions.HELP)) {
                out.println("usage: " + usage);
                return OK;
            }
            int rc = switch (command) {
                case "ls" -> LsCommand.run(a, out, err);
                case "inq" -> InqCommand.run(a, out);
                default -> PerfCommand.run(a, out);
            };
            out.flush();
            return rc;
        } catch (UsageException e) {
            return usage(err, PREFIX + command + ": " + e.getMessage(), "usage: " + usage);
        } catch (CliFailure e) {
            err.println(PREFIX + command + ": " + e.getMessage());
            if (debug) e.printStackTrace(err);
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(PREFIX + command + ": interrupted");
            return FAILED;
        } catch (RuntimeException e) {
            err.println(PREFIX + command + ": internal error: " + e);
            if (debug) e.printStackTrace(err);
            return FAILED;
        }
    }

    private static int usage(PrintStream err, String message, String usage) {
        if (message != null) err.println(message);
        err.println(usage);
        return USAGE;
    }

    /** Parses the URL operand; a bad URL is a usage error naming the part. */
    static IscsiUrl url(String operand) throws UsageException {
        try {
            return IscsiUrl.parse(operand);
        } catch (IscsiUrlException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Parses a URL that must name a target and a LUN, as {@code command} needs. */
    static IscsiUrl lunUrl(String operand, String command) throws UsageException {
        try {
            return IscsiUrl.parse(operand).requireLun(command);
        } catch (IscsiUrlException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
