package io.mpathgw.gateway.export;

import io.mpathgw.gateway.testing.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;


/** Runs the real clients (libiscsi-bin, libnbd-bin, qemu-utils) as processes for the export tests. */
final class ExportTools {

    private ExportTools() {
    }

    record Result(List<String> command, int exit, String out) {
        Result ok() {
            if (exit != 0) throw new AssertionError(this.toString());
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit " + exit + "\noutput:\n" + out;
        }
    }

    static boolean has(String tool) {
        return Tools.onPath(tool);
    }

    static void assumeTool(String tool, String debianPackage) {
        Tools.assumeTool(tool, debianPackage);
    }

    /** Runs {@code command}, stdout and stderr together; {@code signalAfter} > 0 sends SIGINT then (iscsi-perf). */
    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("export-tool", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + ": still running after " + timeout + "\n"
                        + Files.readString(out));
            }
            return new Result(List.of(command), p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
