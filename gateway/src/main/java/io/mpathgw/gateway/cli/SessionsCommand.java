package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mpathgw.gateway.model.SessionView;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code sessions}: the gateway's iSCSI sessions as {@code iscsiadm -m session} lists them
 * ("tcp: [SID] PORTAL,TPGT TARGET (non-flash)"), SID being the session's place in the list; {@code -P 1} adds
 * state, ISID/TSIH, last error and the session's paths.
 */
final class SessionsCommand {

    static final String USAGE = "sessions [-P 1]";

    private SessionsCommand() {
    }

    static void run(List<String> args, GatewayClient client, PrintStream out) {
        boolean detail = false;
        if (args.size() == 2 && args.get(0).equals("-P") && (args.get(1).equals("0") || args.get(1).equals("1")))
            detail = args.get(1).equals("1");
        else if (!args.isEmpty())
            throw CliException.usage("sessions: unexpected '" + String.join(" ", args) + "' (expected: " + USAGE + ")");
        List<SessionView> sessions = client.get("/sessions", new TypeReference<List<SessionView>>() { });
        if (sessions.isEmpty()) throw CliException.refused("No active sessions.");
        int sid = 0;
        for (SessionView s : sessions) {
            out.println("tcp: [" + ++sid + "] " + s.portal() + " " + s.target() + " (non-flash)");
            if (!detail) continue;
            out.println("\tiSCSI Session State: " + s.state());
            out.println("\tISID: " + s.isid() + "  TSIH: " + s.tsih() + "  reconnects: " + s.reconnects());
            if (!s.lastError().isEmpty()) out.println("\tlast error: " + s.lastError());
            out.println("\tpaths: " + (s.paths() == null || s.paths().isEmpty() ? "-" : String.join(" ", s.paths())));
        }
    }
}
