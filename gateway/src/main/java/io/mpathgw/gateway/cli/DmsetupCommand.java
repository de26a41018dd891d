package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.mpathgw.gateway.model.MapView;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dmsetup table|status [MAP]} and {@code dmsetup message MAP SECTOR MESSAGE…}, printed as dmsetup prints
 * them: one map's line alone, every map as "name: line", "No devices found" when there is none.
 */
final class DmsetupCommand {

    static final String USAGE = "dmsetup table|status [MAP] | dmsetup message MAP SECTOR MESSAGE...";
    static final List<String> VERBS = List.of("table", "status", "message");

    private DmsetupCommand() {
    }

    static void run(List<String> words, GatewayClient client, PrintStream out) {
        if (words.isEmpty()) throw CliException.usage("dmsetup: missing command (expected: " + String.join(", ", VERBS) + ")");
        String verb = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (verb) {
            case "table": case "status": lines(verb, args, client, out); break;
            case "message": message(args, client, out); break;
            default: throw CliException.usage("dmsetup: unknown command '" + verb + "' (expected: "
                    + String.join(", ", VERBS) + ")");
        }
    }

    private static void lines(String verb, List<String> args, GatewayClient client, PrintStream out) {
        if (args.size() > 1) throw CliException.usage("dmsetup " + verb + ": too many arguments after '" + args.get(0)
                + "': '" + args.get(1) + "' (expected: dmsetup " + verb + " [MAP])");
        if (args.size() == 1) {
            out.println(strip(client.getText("/maps/" + GatewayClient.segment(args.get(0)) + "/" + verb)));
            return;
        }
        List<MapView> maps = client.get("/maps", new TypeReference<List<MapView>>() { });
        if (maps.isEmpty()) {
            out.println("No devices found");
            return;
        }
        for (MapView m : maps) out.println(m.name() + ": " + strip(verb.equals("table") ? m.table() : m.status()));
    }

    private static void message(List<String> args, GatewayClient client, PrintStream out) {
        if (args.size() < 3)
            throw CliException.usage("dmsetup message: missing " + List.of("MAP", "SECTOR", "MESSAGE").get(args.size())
                    + " (expected: dmsetup message MAP SECTOR MESSAGE...)");
        long sector;
        try {
            sector = Long.parseLong(args.get(1));
            if (sector < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw CliException.usage("dmsetup message: SECTOR: '" + args.get(1) + "' (expected: a sector number, 0 for multipath)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sector", sector);
        body.put("message", String.join(" ", args.subList(2, args.size())));
        JsonNode answer = client.post("/maps/" + GatewayClient.segment(args.get(0)) + "/message", body);
        String output = answer == null || !answer.hasNonNull("output") ? "" : answer.get("output").asText();
        if (!output.isEmpty()) out.println(strip(output));
    }

    private static String strip(String line) {
        return line == null ? "" : line.stripTrailing();
    }
}
