package io.mpathgw.dm.engine;

import io.mpathgw.dm.engine.FakeLun.Outcome;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

import static io.mpathgw.dm.engine.BlockHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A map with no usable path (spec §4.6, §4.10): I/O held while it queues, drained in order when a path returns,
 * bounded with back-pressure, failed when no_path_retry runs out, disablequeueing/restorequeueing, the kernel's
 * timeout; every request completes exactly once.
 */
class NoPathQueueingTest {

    static final String QUEUEING = "1 queue_if_no_path 0 1 1 round-robin 0 2 1 p0 1 p1 1";
    static final String PLAIN = "0 0 1 1 round-robin 0 2 1 p0 1 p1 1";

    @Test
    void ioIsHeldWhileNoPathIsUsableThenDrainedInOrder() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            List<ByteBuf> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ByteBuf data = pattern(1, 100 + i);
                expected.add(data.copy());
                writes.add(h.dev.write(i, data, false));
            }
            h.thread.advance(5000);
            assertThat(writes).noneMatch(CompletableFuture::isDone);
            assertThat(h.map.queuedRequests()).isEqualTo(10);
            assertThat(h.port("p0").received()).isEmpty();
            assertThat(h.events).contains("holding 1 (no usable path)");

            writes.add(h.dev.write(10, pattern(1, 110), false));     // on its way to the map thread…
            h.map.message(0, "reinstate_path p1");                     // …when the held ones are released
            h.await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))).get();
            List<String> inOrder = new ArrayList<>();
            for (int i = 0; i <= 10; i++) inOrder.add("WRITE lba " + i + " blocks 1");
            assertThat(h.port("p1").received()).containsExactlyElementsOf(inOrder);
            for (int i = 0; i < 10; i++) assertThat(h.diskHolds(i, expected.get(i))).isTrue();
            assertThat(h.events).contains("reinstated p1 (message reinstate_path) valid 1");
            assertThat(h.events).anySatisfy(e -> assertThat(e).startsWith("released 11 (path p1 usable)"));
            assertThat(h.dev.outstanding()).isZero();
        }
    }

    @Test
    void writesInFlightWhenTheLastPathDiesAreHeldNotFailed() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING)) {
            h.port("p0").then(Outcome.fail(TransportException.Kind.CONNECTION_LOST));
            h.port("p1").then(Outcome.fail(TransportException.Kind.TIMEOUT));
            ByteBuf data = pattern(2, 9);
            ByteBuf expected = data.copy();
            CompletableFuture<Void> w = h.dev.write(40, data, false);
            h.thread.advance(3000);
            assertThat(w).isNotDone();
            assertThat(h.status()).as("no current group without a valid path").isEqualTo("2 0 0 0 1 1 E 0 2 0 p0 F 1 p1 F 1 ");
            assertThat(h.events).containsSubsequence(
                    "failed p0 (I/O error TRANSPORT: CONNECTION_LOST: scripted on p0) valid 1",
                    "failed p1 (I/O error TIMEOUT: TIMEOUT: scripted on p1) valid 0",
                    "holding 1 (no usable path)");

            h.message("reinstate_path p0");
            h.await(w).get();
            assertThat(h.diskHolds(40, expected)).isTrue();
            assertThat(h.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 p0 A 1 p1 F 1 ");
            assertThat(data.refCnt()).isZero();
            assertThat(h.lun.liveDataOut()).isZero();
        }
    }

    @Test
    void withoutQueueingTheLastPathErrorReachesTheClientAsATransportException() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN)) {
            h.port("p0").then(Outcome.fail(TransportException.Kind.CONNECTION_LOST));
            h.port("p1").then(Outcome.fail(TransportException.Kind.CONNECTION_LOST));
            CompletableFuture<ByteBuf> r = h.await(h.dev.read(0, 1));
            Throwable e = catchThrowable(r::get).getCause();
            assertThat(e).isInstanceOf(TransportException.class)
                    .hasMessageContaining("map mpatha: READ lba 0 blocks 1: TRANSPORT, CONNECTION_LOST: scripted on p1");
            CompletableFuture<ByteBuf> again = h.await(h.dev.read(0, 1));
            assertThat(catchThrowable(again::get).getCause()).isInstanceOf(TransportException.class)
                    .hasMessageContaining("no usable path and queue_if_no_path off");
        }
    }

    @Test
    void aFullMapRefusesMoreAndSaysWhenThereIsRoomAgain() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING, b -> b, ScsiPathIo.Settings.KERNEL, 4)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            List<Boolean> changes = new ArrayList<>();
            h.dev.addWritabilityListener(() -> changes.add(h.dev.writable()));
            List<CompletableFuture<ByteBuf>> reads = new ArrayList<>();
            for (int i = 0; i < 4; i++) reads.add(h.dev.read(i, 1));
            assertThat(h.dev.writable()).isFalse();
            CompletableFuture<Void> room = h.dev.whenWritable();
            ByteBuf data = pattern(1, 1);
            CompletableFuture<Void> refused = h.dev.write(9, data, false);
            assertThat(catchThrowable(refused::get)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RejectedExecutionException.class).hasMessageContaining("outstanding: 4");
            assertThat(data.refCnt()).as("a refused write's buffer is released").isZero();
            h.thread.advance(2000);
            assertThat(room).isNotDone();
            assertThat(h.map.queuedRequests()).isEqualTo(4);

            h.message("reinstate_path p0");
            h.await(room);
            assertThat(room).isCompleted();
            h.await(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)));
            for (CompletableFuture<ByteBuf> r : reads) r.get().release();
            assertThat(h.dev.writable()).isTrue();
            assertThat(changes).containsExactly(false, true);
        }
    }

    @Test
    void noPathRetryQueuesForItsChecksThenFailsTheQueuedIo() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.checks(2), Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            assertThat(h.map.table()).as("multipathd's table queues").startsWith("1 queue_if_no_path 0 1 1 ");
            assertThat(h.map.queueingState()).isEqualTo("2 chk");
            h.message("fail_path p0");
            h.message("fail_path p1");
            CompletableFuture<Void> w = h.dev.write(0, pattern(1, 1), false);
            h.thread.advance(10_990);
            assertThat(w).isNotDone();
            assertThat(h.map.queueingState()).isEqualTo("1 sec");
            h.thread.advance(20);
            assertThat(w).isCompletedExceptionally();
            assertThat(catchThrowable(w::get).getCause()).isInstanceOf(TransportException.class);
            assertThat(h.map.table()).startsWith("0 0 1 1 ");
            assertThat(h.map.queueingState()).isEqualTo("off");
            assertThat(h.events).containsSubsequence(
                    "queue_if_no_path on (no_path_retry 2: entering recovery mode, 11000 ms)",
                    "holding 1 (no usable path)",
                    "queue_if_no_path off (no_path_retry 2: 2 checks without a path)",
                    "released 1 (queue_if_no_path off: failing held I/O)");
            CompletableFuture<Void> late = h.await(h.dev.write(0, pattern(1, 2), false));
            assertThat(late).as("no queueing once expired").isCompletedExceptionally();

            h.map.restoreQueueing();
            assertThat(h.map.table()).as("restorequeueing").startsWith("1 queue_if_no_path ");
            assertThat(h.map.queueingState()).as("a new countdown").isEqualTo("11 sec");
            CompletableFuture<Void> held = h.dev.write(1, pattern(1, 3), false);

            h.message("reinstate_path p1");
            h.await(held).get();
            assertThat(h.map.table()).startsWith("1 queue_if_no_path ");
            assertThat(h.map.queueingState()).isEqualTo("2 chk");

            h.message("fail_path p1");
            h.thread.advance(12_000);
            assertThat(h.map.table()).startsWith("0 0 1 1 ");
            h.message("reinstate_path p1");
            assertThat(h.events).contains("queue_if_no_path on (no_path_retry 2: recovered to normal mode)");
            assertThat(h.map.table()).startsWith("1 queue_if_no_path ");
        }
    }

    @Test
    void aPathBackBeforeTheCountdownEndsKeepsEverything() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.checks(1), Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            CompletableFuture<Void> w = h.dev.write(0, pattern(1, 1), false);
            h.thread.advance(4000);
            h.message("reinstate_path p0");
            h.await(w).get();
            h.thread.advance(60_000);
            assertThat(h.map.table()).startsWith("1 queue_if_no_path ");
            assertThat(h.events).noneMatch(e -> e.startsWith("queue_if_no_path off"));
        }
    }

    /** The reload of {@code h}'s map to {@code table} with a new no_path_retry counted in {@code interval}s. */
    static CompletableFuture<Void> reloadWith(BlockHarness h, String table, NoPathRetry retry, Duration interval)
            throws Exception {
        TableReload r = TableReload.of(h.map.length(), io.mpathgw.dm.table.MultipathTable.parse(table))
                .noPathRetry(retry, interval);
        return h.await(h.map.reload(r).toCompletableFuture());
    }

    @Test
    void aReloadBringsANewNoPathRetryAndCheckInterval() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.checks(2), Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            reloadWith(h, QUEUEING, NoPathRetry.checks(4), Duration.ofSeconds(1)).get();
            assertThat(h.map.noPathRetry()).isEqualTo(NoPathRetry.checks(4));
            assertThat(h.map.queueingState()).isEqualTo("4 chk");
            h.message("fail_path p0");
            h.message("fail_path p1");
            // 4 checks of 1 s plus the loop's tick, not the built 2 x 5 s + 1 s
            assertThat(h.map.queueingState()).isEqualTo("5 sec");
            CompletableFuture<Void> w = h.dev.write(0, pattern(1, 1), false);
            h.thread.advance(4990);
            assertThat(w).isNotDone();
            h.thread.advance(20);
            assertThat(w).isCompletedExceptionally();
            assertThat(h.events).contains("queue_if_no_path on (no_path_retry 4: entering recovery mode, 5000 ms)");
        }
    }

    @Test
    void aCountdownInProgressKeepsItsDeadlineAcrossAReloadWithAnotherN() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.checks(2), Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            CompletableFuture<Void> w = h.dev.write(0, pattern(1, 1), false);
            h.thread.advance(3000);
            assertThat(h.map.queueingState()).isEqualTo("8 sec");
            // multipathd's enter_recovery_mode does nothing while the map is in recovery: the deadline stays
            reloadWith(h, QUEUEING, NoPathRetry.checks(6), Duration.ofSeconds(5));
            assertThat(h.map.queueingState()).isEqualTo("8 sec");
            h.thread.advance(7990);
            assertThat(w).isNotDone();
            h.thread.advance(20);
            assertThat(w).isCompletedExceptionally();
            assertThat(h.map.queueingState()).isEqualTo("off");
            // the new N counts from the next loss of the last path
            h.message("reinstate_path p0");
            assertThat(h.map.queueingState()).isEqualTo("6 chk");
            h.message("fail_path p0");
            assertThat(h.map.queueingState()).isEqualTo("31 sec");
        }
    }

    @Test
    void aReloadToFailEndsTheCountdownAndFailsTheHeldIoToQueueHoldsIt() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.checks(2), Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            CompletableFuture<Void> w = h.dev.write(0, pattern(1, 1), false);
            h.thread.advance(1000);
            reloadWith(h, QUEUEING, NoPathRetry.QUEUE, Duration.ofSeconds(5)).get();
            assertThat(h.map.queueingState()).isEqualTo("on");
            h.thread.advance(60_000);
            assertThat(w).as("queue: held for ever, the old countdown is gone").isNotDone();
            reloadWith(h, PLAIN, NoPathRetry.FAIL, Duration.ofSeconds(5)).get();
            assertThat(h.await(w)).isCompletedExceptionally();
            assertThat(h.map.table()).startsWith("0 0 1 1 ");
            assertThat(h.map.queueingState()).isEqualTo("off");
            // from fail back to N with still no path: set_no_path_retry enters recovery mode
            reloadWith(h, PLAIN, NoPathRetry.checks(1), Duration.ofSeconds(2)).get();
            assertThat(h.map.table()).startsWith("1 queue_if_no_path ");
            assertThat(h.map.queueingState()).isEqualTo("3 sec");
        }
    }

    @Test
    void mapFailuresCountLosingTheLastPathUnlessQueueingForEverAndDisablingWithoutAPath() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING,
                b -> b.noPathRetry(NoPathRetry.FAIL, Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            assertThat(h.map.stats().mapFailures()).isZero();
            h.message("fail_path p1");
            assertThat(h.map.stats().mapFailures()).isEqualTo(1);
            h.message("reinstate_path p1");
            h.message("fail_path p1");
            assertThat(h.map.stats().mapFailures()).isEqualTo(2);
        }
        try (BlockHarness h = new BlockHarness(QUEUEING,
                b -> b.noPathRetry(NoPathRetry.QUEUE, Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            assertThat(h.map.stats().mapFailures()).as("queue: nothing failed").isZero();
            h.map.disableQueueing();
            assertThat(h.map.stats().mapFailures()).as("disablequeueing without a path").isEqualTo(1);
        }
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.checks(2), Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            assertThat(h.map.stats().mapFailures()).as("N: counted at the loss, as update_queue_mode_del_path")
                    .isEqualTo(1);
        }
    }

    @Test
    void noPathRetryFailNeverQueues() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING,
                b -> b.noPathRetry(NoPathRetry.FAIL, Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            assertThat(h.map.table()).startsWith("0 0 1 1 ");
            h.message("fail_path p0");
            h.message("fail_path p1");
            assertThat(h.await(h.dev.write(0, pattern(1, 1), false))).isCompletedExceptionally();
            assertThat(h.map.queueingState()).isEqualTo("off");
        }
    }

    @Test
    void queueHoldsForeverUntilQueueingIsDisabledAndRestored() throws Exception {
        try (BlockHarness h = new BlockHarness(PLAIN,
                b -> b.noPathRetry(NoPathRetry.QUEUE, Duration.ofSeconds(5)), ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            CompletableFuture<ByteBuf> r = h.dev.read(0, 1);
            h.thread.advance(600_000);
            assertThat(r).isNotDone();
            assertThat(h.map.queueingState()).isEqualTo("on");

            h.map.disableQueueing();
            h.thread.advance(1);
            assertThat(r).isCompletedExceptionally();
            assertThat(h.map.queueingState()).isEqualTo("off");
            assertThat(h.events).contains("queue_if_no_path off (disablequeueing)");
            h.message("reinstate_path p0");
            assertThat(h.map.table()).as("disabled stays disabled").startsWith("0 0 1 1 ");

            h.map.restoreQueueing();
            assertThat(h.map.table()).startsWith("1 queue_if_no_path ");
            assertThat(h.map.queueingState()).isEqualTo("on");
        }
    }

    @Test
    void theKernelTimeoutFailsQueuedIo() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING, b -> b.noPathTimeout(Duration.ofSeconds(3)),
                ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            CompletableFuture<Void> w = h.dev.write(0, pattern(1, 1), false);
            h.thread.advance(2990);
            assertThat(w).isNotDone();
            h.thread.advance(20);
            assertThat(w).isCompletedExceptionally();
            assertThat(h.log).contains("device-mapper: multipath: queue_if_no_path timeout on 253:0, failing queued IO");
            assertThat(h.map.table()).startsWith("0 0 1 1 ");
        }
    }

    @Test
    void aReinstatedPathDisarmsTheKernelTimeout() throws Exception {
        try (BlockHarness h = new BlockHarness(QUEUEING, b -> b.noPathTimeout(Duration.ofSeconds(3)),
                ScsiPathIo.Settings.KERNEL, 64)) {
            h.message("fail_path p0");
            h.message("fail_path p1");
            h.thread.advance(1000);
            h.message("reinstate_path p0");
            h.thread.advance(10_000);
            assertThat(h.map.table()).startsWith("1 queue_if_no_path ");
            assertThat(h.log).noneMatch(l -> l.contains("timeout"));
        }
    }
}
