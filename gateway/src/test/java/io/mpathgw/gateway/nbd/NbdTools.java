package io.mpathgw.gateway.nbd;

import io.mpathgw.gateway.testing.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;


/** Runs the real NBD clients (libnbd-bin, qemu-utils, fio) as processes, for the export tests. */
final class NbdTools {

    private NbdTools() {
    }

    /** What a finished process left. */
    record Result(List<String> command, int exit, String stdout, String stderr) {
        Result ok() {
            if (exit != 0) throw new AssertionError(this.toString());
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    static boolean has(String tool) {
        return Tools.onPath(tool);
    }

    /** Skips the test (never passes it) when {@code tool} is missing. */
    static void assumeTool(String tool, String debianPackage) {
        Tools.assumeTool(tool, debianPackage);
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nbd-tool", ".out");
        Path err = Files.createTempFile("nbd-tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + ": still running after " + timeout
                        + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(Arrays.asList(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, command.toArray(String[]::new));
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(Arrays.asList(parts));
    }
}
