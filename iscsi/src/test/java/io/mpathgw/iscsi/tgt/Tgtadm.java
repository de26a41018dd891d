package io.mpathgw.iscsi.tgt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tgtadm -C CONTROL_PORT --lld iscsi …} against one tgtd. The control "port" is not a TCP port: it is the
 * number in tgtd's management socket {@code /var/run/tgtd/socket.N} (and its lock file {@code socket.N.lock}).
 */
final class Tgtadm {

    private static final long TIMEOUT_SECONDS = 15;

    private final Path exe;
    private final int controlPort;

    Tgtadm(Path exe, int controlPort) {
        this.exe = exe;
        this.controlPort = controlPort;
    }

    int controlPort() {
        return controlPort;
    }

    /** Runs {@code tgtadm -C N --lld iscsi ARGS}; returns its output, throws with the output on a non-zero exit. */
    String run(String... args) throws IOException {
        Result r = tryRun(args);
        if (r.exit() != 0)
            throw new IOException(String.format("%s: exit %d: %s", String.join(" ", r.command()), r.exit(),
                    r.output().strip()));
        return r.output();
    }

    /** Runs {@code tgtadm -C N --lld iscsi ARGS} and returns exit code and output, whatever they are. */
    Result tryRun(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-C", Integer.toString(controlPort), "--lld", "iscsi"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted", e);
        }
        return new Result(cmd, p.exitValue(), out);
    }

    record Result(List<String> command, int exit, String output) {
    }
}
