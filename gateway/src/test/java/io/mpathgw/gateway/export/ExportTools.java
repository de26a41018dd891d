package io.mpathgw.gateway.export;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(File.pathSeparator))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    static void assumeTool(String tool, String debianPackage) {
        assumeTrue(has(tool), tool + " missing: apt-get install " + debianPackage
                + " (or scripts/install-test-peers.sh)");
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
