package io.mpathgw.iscsi.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of libiscsi's tools ({@code iscsi-ls}, {@code iscsi-inq}) as the reference to compare with. Output is
 * read as ISO-8859-1 so that the raw bytes iscsi-inq prints for binary designators survive one to one.
 */
record LibiscsiTool(int exit, String out) {

    static boolean has(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    static LibiscsiTool run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes;
        try (var in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": no exit after 30 s");
        }
        return new LibiscsiTool(p.exitValue(), new String(bytes, StandardCharsets.ISO_8859_1));
    }

    List<String> lines() {
        return out.lines().toList();
    }

    @Override
    public String toString() {
        return "-- exit " + exit + "\n" + out;
    }
}
