package io.mpathgw.dm.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads kernel-golden/sequences.golden: "######## sequence NAME" blocks, a "# map table:" line, then one block per
 * step ("[NAME NNN] description", then "field: value" lines up to a blank line). table:/status: keep the kernel's
 * trailing blank; a line without a known field continues the previous field's value.
 */
final class GoldenSequences {

    record Step(String id, String description, String cmd, int rc, List<String> stdout, List<String> stderr,
                String table, String status, String info, List<String> kernel) {
    }

    record Sequence(String name, String mapName, String tableLine, List<Step> steps) {
    }

    private GoldenSequences() {
    }

    static List<Sequence> load(String resource) throws IOException {
        try (InputStream in = GoldenSequences.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(r.lines().toList());
        }
    }

    static List<Sequence> parse(List<String> lines) {
        List<Sequence> out = new ArrayList<>();
        String name = null;
        String table = null;
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : lines) {
            if (line.startsWith("######## sequence ")) {
                if (name != null) out.add(sequence(name, table, blocks));
                name = line.substring("######## sequence ".length()).strip();
                table = null;
                blocks = new ArrayList<>();
                block = null;
            } else if (line.startsWith("# map table: ")) {
                table = line.substring("# map table: ".length());
            } else if (line.startsWith("[")) {
                block = new ArrayList<>();
                block.add(line);
                blocks.add(block);
            } else if (line.isEmpty()) {
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        if (name != null) out.add(sequence(name, table, blocks));
        return out;
    }

    private static Sequence sequence(String name, String table, List<List<String>> blocks) {
        List<Step> steps = blocks.stream().map(GoldenSequences::step).toList();
        String mapName = steps.stream().map(Step::info).filter(i -> i != null && i.contains(":")).findFirst()
                .map(i -> i.substring(0, i.indexOf(':'))).orElse(name);
        return new Sequence(name, mapName, table, steps);
    }

    private static Step step(List<String> block) {
        String head = block.get(0);
        int close = head.indexOf(']');
        String id = head.substring(1, close);
        String description = head.substring(close + 1).strip();
        StepFields f = new StepFields();
        for (String line : block.subList(1, block.size())) f.add(line);
        return new Step(id, description, f.cmd, f.rc, f.stdout, f.stderr, f.table, f.status, f.info, f.kernel);
    }

    private static final class StepFields {
        String cmd;
        int rc;
        String table;
        String status;
        String info;
        final List<String> stdout = new ArrayList<>();
        final List<String> stderr = new ArrayList<>();
        final List<String> kernel = new ArrayList<>();
        private String last;

        void add(String line) {
            int colon = line.indexOf(": ");
            String key = colon > 0 ? line.substring(0, colon) : "";
            String value = colon > 0 ? line.substring(colon + 2) : line;
            switch (key) {
                case "cmd" -> cmd = value;
                case "rc" -> rc = Integer.parseInt(value.strip());
                case "table" -> table = value;
                case "status" -> status = value;
                case "info" -> info = value;
                case "stdout" -> stdout.add(value);
                case "stderr" -> stderr.add(value);
                case "kernel" -> kernel.add(value);
                default -> {
                    continueLast(line);
                    return;
                }
            }
            last = key;
        }

        private void continueLast(String line) {
            if ("info".equals(last)) info = info + "\n" + line;
            else throw new IllegalArgumentException("unexpected line in sequences.golden: " + line);
        }
    }
}
