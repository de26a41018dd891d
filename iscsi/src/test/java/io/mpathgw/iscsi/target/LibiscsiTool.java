package io.mpathgw.iscsi.target;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of a libiscsi tool (Debian libiscsi-bin) against our target: exit code and all output. */
record LibiscsiTool(int exit, String out) {

    static boolean has(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    static LibiscsiTool run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] bytes;
        try (var in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new LibiscsiTool(124, new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return new LibiscsiTool(p.exitValue(), new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return "-- exit " + exit + "\n" + out;
    }
}
