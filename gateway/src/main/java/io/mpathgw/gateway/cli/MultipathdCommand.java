package io.mpathgw.gateway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mpathgw.gateway.format.JsonTopology;
import io.mpathgw.gateway.format.MapWildcards;
import io.mpathgw.gateway.format.PathRow;
import io.mpathgw.gateway.format.PathWildcards;
import io.mpathgw.gateway.format.Tables;
import io.mpathgw.gateway.format.Topology;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code multipathd <command words>} and {@code multipathd -k"<command>"} (spec §7.11), with multipathd's
 * aliases. Shows print multipathd's text; actions print "ok", or "fail" and the gateway's reason on stderr; an empty
 * show prints "ok", as multipathd's default reply does.
 */
final class MultipathdCommand {

    static final List<String> VERBS = List.of("show", "switch", "fail", "reinstate", "disablequeueing",
            "restorequeueing", "reconfigure");
    static final String USAGE = String.join("\n",
            "multipathd show topology | show paths [[raw] format FMT] | show path DEV",
            "multipathd show maps [topology|json|status|stats|[raw] format FMT]",
            "multipathd show map MAP topology|json|[raw] format FMT",
            "multipathd show config | show wildcards",
            "multipathd switchgroup map MAP group N | fail path DEV | reinstate path DEV",
            "multipathd disablequeueing map MAP|maps | restorequeueing map MAP|maps | reconfigure",
            "multipathd -k\"COMMAND\"   (the same commands as one string)");

    /** multipathd's keyword aliases (cli.c). */
    private static final Map<String, String> ALIASES = Map.of("list", "show", "multipaths", "maps",
            "multipath", "map", "switchgroup", "switch");

    private final GatewayClient client;
    private final PrintStream out;

    private MultipathdCommand(GatewayClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** The words of the command: the shell's words, or one {@code -k"…"} string split as multipathd splits it. */
    static List<String> words(List<String> args) {
        if (args.size() == 1 && args.get(0).startsWith("-k")) {
            String command = args.get(0).substring(2);
            if (command.isBlank())
                throw CliException.usage("multipathd -k: interactive mode is not supported (expected: -k\"COMMAND\")");
            return split(command);
        }
        if (!args.isEmpty() && args.get(0).startsWith("-"))
            throw CliException.usage("multipathd: unknown option '" + args.get(0) + "' (expected: -k\"COMMAND\" or "
                    + "command words)");
        return args;
    }

    /** Splits on blanks; double quotes group words ({@code show paths format "%d %t"}). */
    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char c : command.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                if (word == null) word = new StringBuilder();
            } else if (Character.isWhitespace(c) && !quoted) {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        if (quoted) throw CliException.usage("multipathd: unbalanced '\"' in '" + command + "'");
        if (word != null) words.add(word.toString());
        return words;
    }

    static void run(List<String> args, GatewayClient client, PrintStream out) {
        List<String> words = new ArrayList<>();
        for (String w : words(args)) words.add(ALIASES.getOrDefault(w, w));
        if (words.isEmpty())
            throw CliException.usage("multipathd: missing command (expected one of: " + String.join(", ", VERBS) + ")");
        new MultipathdCommand(client, out).dispatch(words);
    }

    private void dispatch(List<String> w) {
        String verb = w.get(0);
        switch (verb) {
            case "show": show(w); return;
            case "switch":
                expect(w, "switch", "map", "MAP", "group", "N");
                int group = groupNumber(w.get(4));
                act("/maps/" + seg(w.get(2)) + "/groups/" + group + "/switch");
                return;
            case "fail": case "reinstate":
                expect(w, verb, "path", "DEV");
                act("/paths/" + seg(w.get(2)) + "/" + verb);
                return;
            case "disablequeueing": case "restorequeueing":
                queueing(w, verb.equals("disablequeueing") ? "disable" : "restore");
                return;
            case "reconfigure":
                expect(w, "reconfigure");
                act("/config/reload");
                return;
            default:
                throw CliException.usage("multipathd: unknown command '" + verb + "' (expected one of: "
                        + String.join(", ", VERBS) + ")");
        }
    }

    private void show(List<String> w) {
        String what = w.size() > 1 ? w.get(1) : "";
        switch (what) {
            case "topology":
                expect(w, "show", "topology");
                print(Topology.multipathd(maps(), paths()));
                return;
            case "paths": showPaths(w); return;
            case "path":
                expect(w, "show", "path", "DEV");
                print(Tables.path(pathRow(w.get(2))));
                return;
            case "maps": showMaps(w); return;
            case "map": showMap(w); return;
            case "config":
                expect(w, "show", "config");
                print(client.getText("/config"));
                return;
            case "wildcards":
                expect(w, "show", "wildcards");
                print(Tables.wildcards());
                return;
            default:
                throw CliException.usage("multipathd show: " + (what.isEmpty() ? "missing what to show" : "unknown '"
                        + what + "'") + " (expected: topology, paths, path DEV, maps, map MAP, config, wildcards)");
        }
    }

    private void showPaths(List<String> w) {
        List<String> rest = w.subList(2, w.size());
        if (rest.isEmpty()) {
            print(Tables.paths(PathRow.of(paths(), maps()), PathWildcards.CHECKER_FORMAT, true));
            return;
        }
        Format f = format(rest, "show paths");
        print(Tables.paths(PathRow.of(paths(), maps()), f.text, !f.raw));
    }

    private void showMaps(List<String> w) {
        List<String> rest = w.subList(2, w.size());
        String mode = rest.isEmpty() ? "" : rest.get(0);
        switch (mode) {
            case "": print(Tables.maps(maps(), MapWildcards.NAMES_FORMAT, true)); return;
            case "topology": expectEnd(rest, 1, "show maps topology"); print(Topology.multipathd(maps(), paths())); return;
            case "json": expectEnd(rest, 1, "show maps json"); print(JsonTopology.maps(maps())); return;
            case "status": expectEnd(rest, 1, "show maps status"); print(Tables.maps(maps(), MapWildcards.STATUS_FORMAT, true)); return;
            case "stats": expectEnd(rest, 1, "show maps stats"); print(Tables.maps(maps(), MapWildcards.STATS_FORMAT, true)); return;
            default:
                Format f = format(rest, "show maps");
                print(Tables.maps(maps(), f.text, !f.raw));
        }
    }

    private void showMap(List<String> w) {
        if (w.size() < 3) throw CliException.usage("multipathd show map: missing MAP (expected: show map MAP "
                + "topology|json|[raw] format FMT)");
        String name = w.get(2);
        List<String> rest = w.subList(3, w.size());
        String mode = rest.isEmpty() ? "" : rest.get(0);
        switch (mode) {
            case "topology": {
                expectEnd(rest, 1, "show map MAP topology");
                MapView m = map(name);
                print(Topology.multipathd(m, maps(), paths()));
                return;
            }
            case "json": expectEnd(rest, 1, "show map MAP json"); print(JsonTopology.map(map(name))); return;
            case "": throw CliException.usage("multipathd show map " + name + ": missing what to show (expected: "
                    + "topology, json, [raw] format FMT)");
            default: {
                Format f = format(rest, "show map " + name);
                MapView m = map(name);
                print(Tables.map(m, maps(), f.text, !f.raw));
            }
        }
    }

    private record Format(String text, boolean raw) {
    }

    /** "format FMT" or "raw format FMT", nothing after. */
    private static Format format(List<String> rest, String what) {
        boolean raw = rest.get(0).equals("raw");
        List<String> f = raw ? rest.subList(1, rest.size()) : rest;
        if (f.isEmpty() || !f.get(0).equals("format"))
            throw CliException.usage("multipathd " + what + ": unknown '" + rest.get(0) + "' (expected: "
                    + (what.equals("show paths") ? "" : what.equals("show maps") ? "topology, json, status, stats, " : "topology, json, ")
                    + "[raw] format FMT)");
        if (f.size() < 2) throw CliException.usage("multipathd " + what + (raw ? " raw" : "") + " format: missing FMT "
                + "(e.g. \"%d %t %T\"; 'multipathd show wildcards' lists them)");
        expectEnd(f, 2, what + (raw ? " raw" : "") + " format FMT");
        return new Format(f.get(1), raw);
    }

    private void queueing(List<String> w, String action) {
        String verb = w.get(0);
        if (w.size() == 2 && w.get(1).equals("maps")) {
            act("/queueing/" + action);
            return;
        }
        if (w.size() >= 2 && w.get(1).equals("map")) {
            expect(w, verb, "map", "MAP");
            act("/maps/" + seg(w.get(2)) + "/queueing/" + action);
            return;
        }
        throw CliException.usage("multipathd " + verb + ": expected 'map MAP' or 'maps'" + (w.size() > 1
                ? ", not '" + String.join(" ", w.subList(1, w.size())) + "'" : ""));
    }

    private void act(String path) {
        try {
            client.post(path);
        } catch (CliException e) {
            throw e.asFail();
        }
        out.println("ok");
    }

    /** Prints a show's text; an empty one is multipathd's default reply "ok". */
    private void print(String text) {
        if (text.isEmpty()) out.println("ok");
        else out.print(text.endsWith("\n") ? text : text + "\n");
    }

    /**
     * Checks the words against a pattern: lower-case words must appear as they are, upper-case ones are
     * parameters ("MAP", "DEV", "N").
     */
    private static void expect(List<String> w, String... pattern) {
        String expected = String.join(" ", pattern);
        for (int i = 0; i < pattern.length; i++) {
            boolean param = pattern[i].equals(pattern[i].toUpperCase());
            if (i >= w.size())
                throw CliException.usage("multipathd " + String.join(" ", w) + ": missing " + (param ? pattern[i]
                        : "'" + pattern[i] + "'") + " (expected: " + expected + ")");
            if (!param && !w.get(i).equals(pattern[i]))
                throw CliException.usage("multipathd " + String.join(" ", w) + ": '" + w.get(i) + "' where '"
                        + pattern[i] + "' belongs (expected: " + expected + ")");
        }
        if (w.size() > pattern.length)
            throw CliException.usage("multipathd " + String.join(" ", w) + ": unexpected '" + w.get(pattern.length)
                    + "' (expected: " + expected + ")");
    }

    private static void expectEnd(List<String> rest, int n, String expected) {
        if (rest.size() > n)
            throw CliException.usage("multipathd " + expected + ": unexpected '" + rest.get(n) + "' at the end");
    }

    private static int groupNumber(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw CliException.usage("multipathd switchgroup: group: '" + s + "' (expected: a path group number, 1 for the first)");
    }

    private List<MapView> maps() {
        return client.get("/maps", new TypeReference<List<MapView>>() { });
    }

    private List<PathView> paths() {
        return client.get("/paths", new TypeReference<List<PathView>>() { });
    }

    private MapView map(String name) {
        return client.get("/maps/" + seg(name), new TypeReference<MapView>() { });
    }

    private PathRow pathRow(String dev) {
        List<MapView> maps = maps();
        for (PathRow r : PathRow.of(paths(), maps))
            if (r.path().dev().equals(dev) || r.path().devT().equals(dev)) return r;
        throw CliException.refused("no path named '" + dev + "'");
    }

    private static String seg(String s) {
        return GatewayClient.segment(s);
    }
}
