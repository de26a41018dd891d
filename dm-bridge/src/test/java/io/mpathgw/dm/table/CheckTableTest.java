package io.mpathgw.dm.table;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mpathgw dm check-table}: normalised table on stdout, or the kernel's string on stderr and exit code 1. */
class CheckTableTest {

    private record Result(int rc, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CheckTable.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheNormalisedParams() {
        Result r = run("2 queue_mode mq 0 1 1 round-robin 0 1 1 8:16 1");
        assertThat(r).as(r.toString()).isEqualTo(new Result(0, "0 0 1 1 round-robin 0 1 1 8:16 1 \n", ""));
    }

    @Test
    void printsAWholeLineWhenGivenOne() {
        Result r = run("0", "2097152", "multipath", "0 0 1 1 service-time 0 1 0 8:16");
        assertThat(r).as(r.toString())
                .isEqualTo(new Result(0, "0 2097152 multipath 0 0 1 1 service-time 0 1 2 8:16 1 1 \n", ""));
    }

    @Test
    void printsTheKernelsErrorAndExits1() {
        Result r = run("0 0 1 1 round-robin 0 1 1 8:16 -1");
        assertThat(r).as(r.toString()).isEqualTo(new Result(1, "", "round-robin ps: invalid repeat count\n"));
    }

    @Test
    void verboseAddsWhereAndWhy() {
        Result r = run("-v", "0 0 1025 1");
        assertThat(r).as(r.toString()).isEqualTo(new Result(1, "",
                "invalid number of priority groups\ntoken 3: '1025' (expected: 0..1024)\n"));
    }

    @Test
    void dmCoreChecksTheTargetLine() {
        assertThat(run("0 0 multipath 0 0 0 0").err()).isEqualTo("zero-length target\n");
        assertThat(run("8 100 multipath 0 0 0 0").err()).isEqualTo("Gap in table\n");
    }

    @Test
    void withoutATableItShowsUsage() {
        assertThat(run().rc()).isEqualTo(2);
    }
}
