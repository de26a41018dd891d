package io.mpathgw.gateway.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mpathgw dmsetup|multipathd|multipath|sessions …} against a running gateway. Exit codes: 0 done, 1 the
 * gateway refused the command or could not be reached (one line on stderr says which), 2 the command line is
 * wrong (the bad word, then what was expected).
 */
public final class Main {

    static final String HELP = String.join("\n",
            "usage: mpathgw [--url URL] [--user USER] [--password PASSWORD] COMMAND...",
            "  " + DmsetupCommand.USAGE,
            "  " + MultipathdCommand.USAGE.replace("\n", "\n  "),
            "  " + MultipathCommand.USAGE,
            "  " + SessionsCommand.USAGE,
            "",
            "The gateway: --url or MPATHGW_URL (default " + ClientOptions.DEFAULT_URL + "); --user/--password or",
            "MPATHGW_USER/MPATHGW_PASSWORD (default admin, and the password the gateway generated into",
            "$MPATHGW_DATA_DIR/admin-password, default .mpathgw/admin-password).",
            "exit codes: 0 ok, 1 refused or unreachable, 2 usage error");

    static final List<String> TOOLS = List.of("dmsetup", "multipathd", "multipath", "sessions");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv(), System.console() != null));
    }

    /** Runs one command; never exits, so tests and other launchers can call it in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean tty) {
        Map<String, String> flags = new HashMap<>();
        String tool = null;
        try {
            List<String> rest = new ArrayList<>(List.of(args));
            takeFlags(rest, flags);
            if (rest.isEmpty() || flags.containsKey("--help")) {
                (rest.isEmpty() && !flags.containsKey("--help") ? err : out).println(HELP);
                return rest.isEmpty() && !flags.containsKey("--help") ? CliException.USAGE : 0;
            }
            if (!TOOLS.contains(rest.get(0)))
                throw CliException.usage("unknown command '" + rest.get(0) + "' (expected one of: "
                        + String.join(", ", TOOLS) + ")");
            tool = rest.remove(0);
            takeFlags(rest, flags);
            if (flags.containsKey("--help")) {
                out.println(HELP);
                return 0;
            }
            GatewayClient client = new GatewayClient(ClientOptions.of(flags, env));
            switch (tool) {
                case "dmsetup": DmsetupCommand.run(rest, client, out); break;
                case "multipathd": MultipathdCommand.run(rest, client, out); break;
                case "multipath": MultipathCommand.run(rest, client, out, tty); break;
                default: SessionsCommand.run(rest, client, out); break;
            }
            out.flush();
            return 0;
        } catch (CliException e) {
            if (e.printFail()) out.println("fail");
            out.flush();
            err.println(line(tool == null ? "mpathgw" : tool, e.getMessage()));
            if (e.exitCode() == CliException.USAGE) err.println("(mpathgw --help lists the commands)");
            return e.exitCode();
        }
    }

    /** "tool: message", unless the message already starts with the tool's name. */
    private static String line(String tool, String message) {
        return message.startsWith(tool + " ") || message.startsWith(tool + ":") ? message : tool + ": " + message;
    }

    /** Removes the leading --url/--user/--password/--help options of {@code rest} into {@code flags}. */
    private static void takeFlags(List<String> rest, Map<String, String> flags) {
        while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            String a = rest.remove(0);
            if (a.equals("--help")) {
                flags.put(a, "");
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!ClientOptions.NAMES.contains(name))
                throw CliException.usage("unknown option '" + name + "' (expected: " + String.join(", ", ClientOptions.NAMES)
                        + ", --help)");
            String value;
            if (eq >= 0) value = a.substring(eq + 1);
            else if (rest.isEmpty()) throw CliException.usage(name + ": missing value");
            else value = rest.remove(0);
            flags.put(name, value);
        }
    }
}
