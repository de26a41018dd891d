package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mpathgw.gateway.format.Topology;
import io.mpathgw.gateway.model.MapView;

import java.io.PrintStream;
import java.util.List;

/** {@code multipath -ll [MAP]} (and {@code -l}, the same here: the gateway always has the checker's view). */
final class MultipathCommand {

    static final String USAGE = "multipath -ll [MAP]";

    private MultipathCommand() {
    }

    static void run(List<String> args, GatewayClient client, PrintStream out, boolean tty) {
        if (args.isEmpty() || !(args.get(0).equals("-ll") || args.get(0).equals("-l")))
            throw CliException.usage("multipath: " + (args.isEmpty() ? "missing -ll" : "unsupported '" + args.get(0)
                    + "'") + " (expected: " + USAGE + "; the gateway builds its maps itself)");
        if (args.size() > 2)
            throw CliException.usage("multipath " + args.get(0) + ": unexpected '" + args.get(2) + "' (expected: " + USAGE + ")");
        List<MapView> maps = args.size() == 2
                ? List.of(client.get("/maps/" + GatewayClient.segment(args.get(1)), new TypeReference<MapView>() { }))
                : client.get("/maps", new TypeReference<List<MapView>>() { });
        out.print(Topology.multipath(maps, tty));
    }
}
