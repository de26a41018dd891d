package io.mpathgw.gateway.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one browser scenario, {@code node src/test/web/NAME.mjs}, and plays the test's side of its stdin/stdout
 * protocol (see lib.mjs): on {@code AWAIT token} it runs the fault registered for that token against the simulator
 * and answers the token. Output lines are kept (and echoed with a prefix) for the assertions and the report.
 */
final class NodeScenario {

    /** Where the scripts live, relative to the gateway module (surefire's working directory). */
    static final Path DIR = Path.of("src/test/web").toAbsolutePath();
    static final Path CHROMIUM = Path.of(System.getProperty("mpathgw.web.chromium", "/usr/bin/chromium"));

    interface Fault {
        void run() throws Exception;
    }

    record Result(int exitCode, List<String> lines) {
        boolean passed() {
            return exitCode == 0 && lines.contains("PASS");
        }

        String output() {
            return String.join("\n", lines);
        }
    }

    private final String name;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Fault> faults = new HashMap<>();

    NodeScenario(String name) {
        this.name = name;
    }

    NodeScenario env(String key, String value) {
        env.put(key, value);
        return this;
    }

    NodeScenario on(String token, Fault fault) {
        faults.put(token, fault);
        return this;
    }

    /** Why the browser tests cannot run here, or null when they can. */
    static String missing() {
        if (!Files.isExecutable(CHROMIUM)) return CHROMIUM + " not found (Debian: apt-get install chromium; scripts/install-test-peers.sh)";
        if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core")))
            return DIR.resolve("node_modules/playwright-core") + " not found (cd gateway/src/test/web && npm ci)";
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) return "node --version failed";
        } catch (IOException e) {
            return "node not found on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    Result run(Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", DIR.resolve(name + ".mjs").toString())
                .directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> read(p, lines), "scenario-" + name);
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            reader.join(2000);
            synchronized (lines) {
                lines.add("TIMEOUT after " + timeout.toMillis() + " ms");
                return new Result(-1, List.copyOf(lines));
            }
        }
        reader.join(5000);
        synchronized (lines) {
            return new Result(p.exitValue(), List.copyOf(lines));
        }
    }

    private void read(Process p, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = p.outputWriter(StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println("[" + name + "] " + line);
                synchronized (lines) {
                    lines.add(line);
                }
                if (line.startsWith("AWAIT ")) {
                    String token = line.substring(6).trim();
                    Fault f = faults.get(token);
                    if (f == null) throw new IllegalStateException(name + " awaits '" + token + "', which the test does not know");
                    f.run();
                    out.write(token + "\n");
                    out.flush();
                }
            }
        } catch (Exception e) {
            synchronized (lines) {
                lines.add("TEST-SIDE ERROR " + e);
            }
            p.destroyForcibly();
        }
    }
}
