package io.mpathgw.dm.engine;

import io.mpathgw.dm.engine.FakeLun.Outcome;
import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.Reply;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static io.mpathgw.dm.engine.BlockHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A map of two fake SCSI paths (one round-robin group) as a block device: which outcomes fail the path and requeue
 * the request on the other one, which go back to the client with the path untouched, which are retried on the same
 * path, and what happens to the write's buffer on the way.
 */
class ScsiPathIoTest {

    static final String RR = "0 0 1 1 round-robin 0 2 1 p0 1 p1 1";
    static final String ALL_ACTIVE = "2 0 0 0 1 1 A 0 2 0 p0 A 0 p1 A 0 ";

    static Stream<Arguments> pathErrors() {
        return Stream.of(
                Arguments.of("CONNECTION_LOST", new Outcome[]{Outcome.fail(TransportException.Kind.CONNECTION_LOST)}, "TRANSPORT"),
                Arguments.of("TIMEOUT", new Outcome[]{Outcome.fail(TransportException.Kind.TIMEOUT)}, "TIMEOUT"),
                Arguments.of("PROTOCOL_ERROR", new Outcome[]{Outcome.fail(TransportException.Kind.PROTOCOL_ERROR)}, "IOERR"),
                Arguments.of("ABORTED", new Outcome[]{Outcome.fail(TransportException.Kind.ABORTED)}, "IOERR"),
                Arguments.of("CLOSED", new Outcome[]{Outcome.fail(TransportException.Kind.CLOSED)}, "OFFLINE"),
                Arguments.of("half the Data-Out sent, then reset", new Outcome[]{Outcome.partlySentThenLost()}, "TRANSPORT"),
                Arguments.of("NOT READY 04/0B standby", new Outcome[]{Outcome.check(Sense.NOT_READY_STANDBY)}, "IOERR"),
                Arguments.of("NOT READY 04/03", new Outcome[]{Outcome.check(Sense.NOT_READY_MANUAL_INTERVENTION)}, "IOERR"),
                Arguments.of("ILLEGAL REQUEST 25/00", new Outcome[]{Outcome.check(Sense.LOGICAL_UNIT_NOT_SUPPORTED)}, "IOERR"),
                Arguments.of("NO SENSE", new Outcome[]{Outcome.check(Sense.of(Sense.NO_SENSE, 0, 0))}, "IOERR"),
                Arguments.of("CHECK CONDITION without sense", new Outcome[]{Outcome.status(ScsiResponse.CHECK_CONDITION)}, "IOERR"),
                Arguments.of("unit attention 6 times", Collections.nCopies(6, Outcome.check(Sense.POWER_ON_RESET))
                        .toArray(Outcome[]::new), "IOERR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathErrors")
    void aPathErrorFailsThePathAndTheWriteLandsThroughTheOther(String name, Outcome[] outcomes, String status)
            throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.port("p0").then(outcomes);
            ByteBuf data = pattern(4, 1);
            ByteBuf expected = data.copy();
            CompletableFuture<Void> w = h.await(h.dev.write(8, data, false));

            assertThat(w).isCompleted();
            w.get();
            assertThat(h.port("p0").received()).hasSize(outcomes.length).containsOnly("WRITE lba 8 blocks 4");
            assertThat(h.port("p1").received()).containsExactly("WRITE lba 8 blocks 4");
            assertThat(h.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 p0 F 1 p1 A 0 ");
            assertThat(h.log).containsExactly("device-mapper: multipath: 253:0: Failing path p0.");
            assertThat(h.events).anySatisfy(e -> assertThat(e).startsWith("failed p0 (I/O error " + status));
            assertThat(h.diskHolds(8, expected)).as("the whole write is on the disk").isTrue();
            assertThat(data.refCnt()).as("the client's buffer, released once at the end").isZero();
            assertThat(h.lun.liveDataOut()).isZero();
        }
    }

    static Stream<Arguments> targetErrors() {
        return Stream.of(
                Arguments.of(Outcome.check(Sense.UNRECOVERED_READ_ERROR), "MEDIUM", Sense.UNRECOVERED_READ_ERROR),
                Arguments.of(Outcome.check(Sense.WRITE_ERROR), "MEDIUM", Sense.WRITE_ERROR),
                Arguments.of(Outcome.check(Sense.LBA_OUT_OF_RANGE), "TARGET", Sense.LBA_OUT_OF_RANGE),
                Arguments.of(Outcome.check(Sense.INVALID_FIELD_IN_CDB), "TARGET", Sense.INVALID_FIELD_IN_CDB),
                Arguments.of(Outcome.check(Sense.WRITE_PROTECTED), "TARGET", Sense.WRITE_PROTECTED),
                Arguments.of(Outcome.check(Sense.SPACE_ALLOCATION_FAILED), "NOSPC", Sense.SPACE_ALLOCATION_FAILED),
                Arguments.of(Outcome.check(Sense.INTERNAL_TARGET_FAILURE), "TARGET", Sense.INTERNAL_TARGET_FAILURE),
                Arguments.of(Outcome.check(Sense.MISCOMPARE_DURING_VERIFY), "TARGET", Sense.MISCOMPARE_DURING_VERIFY),
                Arguments.of(Outcome.check(Sense.of(Sense.ABORTED_COMMAND, 0x10, 0x01)), "PROTECTION",
                        Sense.of(Sense.ABORTED_COMMAND, 0x10, 0x01)),
                Arguments.of(Outcome.status(ScsiResponse.RESERVATION_CONFLICT), "RESV_CONFLICT", null));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("targetErrors")
    void aTargetErrorGoesBackUnchangedAndThePathStaysActive(Outcome outcome, String status, Sense sense)
            throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.port("p0").then(outcome);
            ByteBuf data = pattern(2, 2);
            CompletableFuture<Void> w = h.await(h.dev.write(16, data, true));

            Throwable e = catchThrowable(w::get);
            assertThat(e).isInstanceOf(ExecutionException.class).cause().isInstanceOf(BlockDeviceException.class)
                    .hasMessageContaining(status);
            BlockDeviceException bde = (BlockDeviceException) e.getCause();
            assertThat(bde.status()).as("SCSI status").isEqualTo(sense == null ? ScsiResponse.RESERVATION_CONFLICT
                    : ScsiResponse.CHECK_CONDITION);
            if (sense == null) assertThat(bde.sense()).isNull();
            else assertThat(bde.sense().matches(sense)).as(bde.sense().toString()).isTrue();
            assertThat(h.port("p0").received()).containsExactly("WRITE lba 16 blocks 2 fua");
            assertThat(h.port("p1").received()).isEmpty();
            assertThat(h.status()).isEqualTo(ALL_ACTIVE);
            assertThat(h.log).isEmpty();
            assertThat(h.events).noneMatch(ev -> ev.startsWith("failed"));
            assertThat(data.refCnt()).isZero();
            assertThat(h.lun.liveDataOut()).isZero();
        }
    }

    static Stream<Arguments> retriedOnTheSamePath() {
        return Stream.of(
                Arguments.of("unit attention once", new Outcome[]{Outcome.check(Sense.POWER_ON_RESET)}, 0L),
                Arguments.of("unit attention 5 times", Collections.nCopies(5, Outcome.check(Sense.POWER_ON_RESET))
                        .toArray(Outcome[]::new), 0L),
                Arguments.of("aborted command", new Outcome[]{Outcome.check(Sense.of(Sense.ABORTED_COMMAND, 0x47, 0))}, 0L),
                Arguments.of("ALUA transitioning 3 times", Collections.nCopies(3,
                        Outcome.check(Sense.NOT_READY_TRANSITIONING)).toArray(Outcome[]::new), 3000L),
                Arguments.of("becoming ready", new Outcome[]{Outcome.check(Sense.NOT_READY_BECOMING_READY)}, 1000L),
                Arguments.of("BUSY twice", new Outcome[]{Outcome.status(ScsiResponse.BUSY),
                        Outcome.status(ScsiResponse.TASK_SET_FULL)}, 0L),
                Arguments.of("recovered error", new Outcome[]{Outcome.executeWithSense(Sense.of(Sense.RECOVERED_ERROR, 0x17, 0x01))}, -1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retriedOnTheSamePath")
    void retriesStayOnThePathAndSucceed(String name, Outcome[] outcomes, long atLeastMillis) throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.port("p0").then(outcomes);
            long start = h.thread.nanoTime();
            CompletableFuture<ByteBuf> r = h.await(h.dev.read(0, 8));

            ByteBuf got = r.get();
            assertThat(got.readableBytes()).isEqualTo(8 * 512);
            got.release();
            int commands = atLeastMillis < 0 ? 1 : outcomes.length + 1;     // a recovered error is not retried
            assertThat(h.port("p0").received()).hasSize(commands).containsOnly("READ lba 0 blocks 8");
            assertThat(h.port("p1").received()).isEmpty();
            assertThat(h.status()).isEqualTo(ALL_ACTIVE);
            assertThat((h.thread.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(atLeastMillis);
        }
    }

    @Test
    void transitioningLongerThanTheRetryTimeFailsThePath() throws Exception {
        ScsiPathIo.Settings shortRetry = new ScsiPathIo.Settings(5, java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(3));
        try (BlockHarness h = new BlockHarness(RR, b -> b, shortRetry, 16)) {
            h.port("p0").then(Collections.nCopies(10, Outcome.check(Sense.NOT_READY_TRANSITIONING)).toArray(Outcome[]::new));
            CompletableFuture<ByteBuf> r = h.await(h.dev.read(0, 1));
            r.get().release();
            assertThat(h.port("p0").received()).hasSize(6);
            assertThat(h.port("p1").received()).hasSize(1);
            assertThat(h.events).anySatisfy(e -> assertThat(e)
                    .startsWith("failed p0 (I/O error IOERR: asymmetric access state transition NOT READY 04/0a, retries spent"));
        }
    }

    @Test
    void aFullTransportQueueRequeuesWithoutFailingThePath() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.port("p0").then(Outcome.reject());
            CompletableFuture<Void> w = h.await(h.dev.write(0, pattern(1, 3), false));
            w.get();
            assertThat(h.port("p0").received().size() + h.port("p1").received().size()).isEqualTo(2);
            assertThat(h.status()).isEqualTo(ALL_ACTIVE);
            assertThat(h.lun.liveDataOut()).isZero();
        }
    }

    @Test
    void theHandlersCheckSenseComesFirst() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.pathIo.hooks(new PathHandlerHooks() {
                @Override
                public SenseDisposition checkSense(Path path, Sense sense) {
                    if (sense.matches(Sense.NOT_READY_MANUAL_INTERVENTION)) return SenseDisposition.SUCCESS;   // emc
                    if (sense.matches(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED)) return SenseDisposition.NEEDS_RETRY;
                    if (sense.matches(Sense.LBA_OUT_OF_RANGE)) return SenseDisposition.ADD_TO_MLQUEUE;
                    return SenseDisposition.NOT_HANDLED;
                }
            });
            h.port("p0").then(Outcome.check(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED), Outcome.check(Sense.LBA_OUT_OF_RANGE));
            h.await(h.dev.read(0, 1)).get().release();
            assertThat(h.port("p0").received()).hasSize(3);
            assertThat(h.status()).isEqualTo(ALL_ACTIVE);

            h.port("p1").then(Outcome.check(Sense.NOT_READY_MANUAL_INTERVENTION));
            h.await(h.dev.read(0, 1)).get().release();
            assertThat(h.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 p0 A 0 p1 F 1 ");
            assertThat(h.events).anySatisfy(e -> assertThat(e).startsWith(
                    "failed p1 (I/O error IOERR: handler check_sense fails the I/O: NOT READY 04/03"));
        }
    }

    @Test
    void aPathTheHandlerRefusesIsFailedWithoutSendingAnything() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.pathIo.hooks(new PathHandlerHooks() {
                @Override
                public boolean admits(Path path) {
                    return !path.name().equals("p0");
                }
            });
            h.await(h.dev.write(0, pattern(1, 4), false)).get();
            assertThat(h.port("p0").received()).isEmpty();
            assertThat(h.port("p1").received()).containsExactly("WRITE lba 0 blocks 1");
            assertThat(h.events).anySatisfy(e -> assertThat(e).contains("p0 (prep_fn)"));
        }
    }

    @Test
    void anUnboundPathIsAPathError() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.pathIo.unbind("p0");
            h.await(h.dev.write(0, pattern(1, 5), false)).get();
            assertThat(h.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 p0 F 1 p1 A 0 ");
            assertThat(h.events).anySatisfy(e -> assertThat(e).contains("no transport bound to path p0"));
        }
    }

    @Test
    void everyOperationBecomesItsCommand() throws Exception {
        try (BlockHarness h = new BlockHarness("0 0 1 1 round-robin 0 1 1 p0 1")) {
            ByteBuf data = pattern(3, 6);
            ByteBuf expected = data.copy();
            h.await(h.dev.write(100, data, false)).get();
            ByteBuf back = h.await(h.dev.read(100, 3)).get();
            assertEquals(expected, back);
            back.release();
            expected.release();
            h.await(h.dev.flush()).get();
            h.await(h.dev.writeSame(200, 4, pattern(1, 7), false)).get();
            h.await(h.dev.writeSame(300, 4, null, true)).get();
            h.await(h.dev.unmap(100, 3)).get();
            ByteBuf zeroes = h.await(h.dev.read(100, 3)).get();
            assertThat(zeroes.forEachByte(b -> b == 0)).isEqualTo(-1);
            zeroes.release();
            assertThat(h.port("p0").received()).containsExactly("WRITE lba 100 blocks 3", "READ lba 100 blocks 3",
                    "SYNCHRONIZE CACHE", "WRITE SAME lba 200 blocks 4", "WRITE SAME lba 300 blocks 4 unmap ndob",
                    "UNMAP", "READ lba 100 blocks 3");
            assertThat(h.lun.liveDataOut()).isZero();
        }
    }

    @Test
    void requestsOutsideTheDeviceAreRefusedWithoutAPath() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            ByteBuf data = pattern(2, 8);
            CompletableFuture<Void> w = h.dev.write(BlockHarness.BLOCKS - 1, data, false);
            assertThat(w).isCompletedExceptionally();
            BlockDeviceException e = (BlockDeviceException) catchThrowable(w::get).getCause();
            assertThat(e.sense()).isEqualTo(Sense.LBA_OUT_OF_RANGE);
            assertThat(data.refCnt()).isZero();
            ByteBuf odd = io.netty.buffer.Unpooled.buffer(100).writeZero(100);
            assertThat(catchThrowable(() -> h.dev.write(0, odd, false).get()).getCause())
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(odd.refCnt()).isZero();
            assertThat(h.port("p0").received()).isEmpty();
            assertThat(h.dev.outstanding()).isZero();
        }
    }

    @Test
    void eventsNameEveryStateChange() throws Exception {
        try (BlockHarness h = new BlockHarness("0 1 alua 2 1 round-robin 0 1 1 p0 1 round-robin 0 1 1 p1 1")) {
            h.port("p0").then(Outcome.fail(TransportException.Kind.CONNECTION_LOST));
            h.await(h.dev.read(0, 1)).get().release();
            assertThat(h.events).containsExactly(
                    "switched - -> 1",
                    "pg_init p0 0",
                    "failed p0 (I/O error TRANSPORT: CONNECTION_LOST: scripted on p0) valid 1",
                    "switched 1 -> 2",
                    "pg_init p1 0");
            h.events.clear();
            h.message("reinstate_path p0");
            h.message("switch_group 1");
            h.await(h.dev.read(0, 1)).get().release();
            assertThat(h.events).containsExactly("reinstated p0 (message reinstate_path) valid 2",
                    "switched - -> 1", "pg_init p0 0");
            assertThat(h.status()).isEqualTo("2 0 1 0 2 1 A 0 1 0 p0 A 1 E 0 1 0 p1 A 0 ");
        }
    }

    @Test
    void aBrokenHandlerHookNeverLeavesARequestPending() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.pathIo.hooks(new PathHandlerHooks() {
                @Override
                public boolean admits(Path path) {
                    if (path.name().equals("p1")) throw new IllegalStateException("broken prep_fn");
                    return true;
                }

                @Override
                public SenseDisposition checkSense(Path path, Sense sense) {
                    throw new IllegalStateException("broken check_sense");
                }
            });
            h.port("p0").then(Outcome.check(Sense.LBA_OUT_OF_RANGE));
            CompletableFuture<ByteBuf> r = h.await(h.dev.read(0, 1));
            assertThat(catchThrowable(r::get).getCause()).isInstanceOf(BlockDeviceException.class);
            CompletableFuture<ByteBuf> next = h.await(h.dev.read(0, 1));
            next.get().release();
            assertThat(h.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 p0 A 0 p1 F 1 ");
        }
    }

    /**
     * The array answers RESERVATION CONFLICT (another initiator reserved the LU): the map hands the status on in its
     * BlockDeviceException, and our iSCSI target's SBC LU exporting the map answers its own client with 0x18, no
     * sense, as the array did; the path stays active (not a path error).
     */
    @Test
    void aReservationConflictReachesTheExportsClientAsItself() throws Exception {
        try (BlockHarness h = new BlockHarness(RR)) {
            h.port("p0").then(Outcome.status(ScsiResponse.RESERVATION_CONFLICT));
            SbcLogicalUnit lu = SbcLogicalUnit.builder(h.dev).serial("MAP").build();
            byte[] read10 = {0x28, 0, 0, 0, 0, 8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
            CompletableFuture<Reply> f = h.await(lu.submit(new ScsiTask(new Nexus("iqn.2026-01.test:client",
                    0x23d000000001L, 1, 1), 0, read10, null, 512, true, false)));

            ScsiResponse r = f.get().response();
            assertThat(ScsiResponse.statusName(r.status())).isEqualTo("RESERVATION CONFLICT");
            assertThat(r.sense()).isNull();
            r.release();
            assertThat(h.status()).isEqualTo(ALL_ACTIVE);
        }
    }
}
