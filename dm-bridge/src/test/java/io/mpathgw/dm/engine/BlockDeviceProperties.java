package io.mpathgw.dm.engine;

import io.mpathgw.dm.engine.FakeLun.Outcome;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.dm.engine.BlockHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random outcomes on the paths, path failures and reinstatements, queueing switched on and off, slow and refused
 * commands: every request completes exactly once (a second completion throws inside the map), every acknowledged
 * write is on the disk, every buffer is released, nothing stays queued.
 */
class BlockDeviceProperties {

    private static final List<Outcome> OUTCOMES = List.of(Outcome.EXECUTE, Outcome.EXECUTE, Outcome.EXECUTE,
            Outcome.fail(TransportException.Kind.CONNECTION_LOST), Outcome.fail(TransportException.Kind.TIMEOUT),
            Outcome.fail(TransportException.Kind.CLOSED), Outcome.partlySentThenLost(),
            Outcome.check(Sense.NOT_READY_STANDBY), Outcome.check(Sense.WRITE_ERROR),
            Outcome.check(Sense.LBA_OUT_OF_RANGE), Outcome.check(Sense.POWER_ON_RESET),
            Outcome.check(Sense.NOT_READY_TRANSITIONING), Outcome.status(ScsiResponse.BUSY),
            Outcome.status(ScsiResponse.RESERVATION_CONFLICT), Outcome.reject(), Outcome.HOLD,
            Outcome.delay(700, Outcome.EXECUTE));
    private static final String[] PATHS = {"p0", "p1", "p2"};

    @Property(tries = 150)
    void everyRequestCompletesOnceAndNoAcknowledgedWriteIsLost(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        String features = rnd.nextBoolean() ? "1 queue_if_no_path" : "0";
        NoPathRetry retry = List.of(NoPathRetry.UNDEF, NoPathRetry.QUEUE, NoPathRetry.FAIL, NoPathRetry.checks(1))
                .get(rnd.nextInt(4));
        String table = features + " 0 2 1 round-robin 0 2 1 p0 1 p1 1 round-robin 0 1 1 p2 1";
        try (BlockHarness h = new BlockHarness(table, b -> b.noPathRetry(retry, Duration.ofSeconds(2)),
                ScsiPathIo.Settings.KERNEL, 16)) {
            List<CompletableFuture<?>> requests = new ArrayList<>();
            List<ByteBuf> clientBuffers = new ArrayList<>();
            List<Integer> writtenBlocks = new ArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            int nextBlock = 0;
            for (int step = 0; step < 40; step++) {
                switch (rnd.nextInt(8)) {
                    case 0, 1 -> {
                        ByteBuf data = pattern(1, nextBlock);
                        clientBuffers.add(data);
                        writtenBlocks.add(nextBlock);
                        CompletableFuture<Void> w = h.dev.write(nextBlock++, data, rnd.nextBoolean());
                        writes.add(w);
                        requests.add(w);
                    }
                    case 2 -> requests.add(h.dev.read(rnd.nextInt(100), 1 + rnd.nextInt(4))
                            .thenAccept(ByteBuf::release));
                    case 3 -> h.port(PATHS[rnd.nextInt(3)]).then(OUTCOMES.get(rnd.nextInt(OUTCOMES.size())));
                    case 4 -> message(h, (rnd.nextBoolean() ? "fail_path " : "reinstate_path ") + PATHS[rnd.nextInt(3)]);
                    case 5 -> message(h, rnd.nextBoolean() ? "queue_if_no_path" : "fail_if_no_path");
                    case 6 -> {
                        if (rnd.nextBoolean()) h.map.disableQueueing();
                        else h.map.restoreQueueing();
                    }
                    default -> h.port(PATHS[rnd.nextInt(3)]).releaseHeld();
                }
                h.thread.advance(rnd.nextInt(1500));
            }
            for (String p : PATHS) {
                h.port(p).clearScript();            // the faults end: a command sent from now on executes
                h.port(p).releaseHeld();
                message(h, "reinstate_path " + p);
            }
            h.map.restoreQueueing();
            h.thread.advance(600_000);

            assertThat(requests).allSatisfy(f -> assertThat(f).as("completed, not lost").isDone());
            assertThat(h.map.queuedRequests()).isZero();
            assertThat(h.map.inFlightRequests()).isZero();
            assertThat(h.dev.outstanding()).isZero();
            assertThat(clientBuffers).allSatisfy(b -> assertThat(b.refCnt()).isZero());
            assertThat(h.lun.liveDataOut()).isZero();
            for (int i = 0; i < writes.size(); i++)
                if (!writes.get(i).isCompletedExceptionally()) {
                    int block = writtenBlocks.get(i);
                    assertThat(h.diskHolds(block, pattern(1, block))).as("acknowledged write of block " + block)
                            .isTrue();
                }
        }
    }

    private static void message(BlockHarness h, String text) {
        try {
            h.message(text);
        } catch (MessageException e) {
            throw new AssertionError(text + ": " + e.errno(), e);
        }
    }
}
