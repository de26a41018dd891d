package io.mpathgw.iscsi.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One in-process run of {@link IscsiCli#run}: exit code, stdout and stderr. Its {@link #toString()} is the whole
 * run, meant as the assertion message ({@code assertThat(r.exit()).as(r.toString())…}).
 */
record CliRun(List<String> args, int exit, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = IscsiCli.run(args, o, e);
        }
        return new CliRun(Arrays.asList(args), exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    String firstErrLine() {
        return err.lines().findFirst().orElse("");
    }

    /** The value of the first {@code Name:value} line of stdout. */
    String field(String name) {
        return outLines().stream().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + ": line in\n" + this));
    }

    @Override
    public String toString() {
        return "mpathgw iscsi " + String.join(" ", args) + "\n-- exit " + exit + "\n-- stdout:\n" + out + "-- stderr:\n" + err;
    }
}
