package io.mpathgw.dm.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every step of kernel-golden/sequences.golden (Linux 6.1) against the engine and compares, byte for byte,
 * {@code dmsetup table} and {@code dmsetup status} after each step, each message's rc and stderr and the
 * device-mapper log lines (spec §9, issue 8). One dynamic test per step, in order, one map per sequence.
 */
class SequencesGoldenTest {

    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();
    private static final AtomicInteger SKIPPED = new AtomicInteger();

    @TestFactory
    Stream<DynamicContainer> everySequenceStepByStep() throws IOException {
        List<GoldenSequences.Sequence> sequences = GoldenSequences.load("/dm/sequences.golden");
        assertThat(sequences).hasSize(8);
        return sequences.stream().map(seq -> {
            SequenceReplay replay = new SequenceReplay(seq);
            return DynamicContainer.dynamicContainer(seq.name(), seq.steps().stream().map(step ->
                    DynamicTest.dynamicTest("[" + step.id() + "] " + step.description(), () -> check(replay, step))));
        });
    }

    private static void check(SequenceReplay replay, GoldenSequences.Step step) throws Exception {
        if (!SequenceReplay.understands(step.cmd())) {
            SKIPPED.incrementAndGet();
            throw new TestAbortedException("command not modelled: " + step.cmd());
        }
        List<String> diffs = replay.run(step);
        (diffs.isEmpty() ? PASSED : FAILED).incrementAndGet();
        assertThat(diffs).as("[%s] %s: %s", step.id(), step.description(), step.cmd()).isEmpty();
    }

    @AfterAll
    static void summary() {
        System.out.printf("sequences.golden: %d steps passed, %d failed, %d skipped%n",
                PASSED.get(), FAILED.get(), SKIPPED.get());
    }
}
