package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mpathgw.dm.engine.BlockHarness.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MapStats} and {@link PathStats} against the I/O a test did, on a virtual map thread where each scripted
 * path answers in exactly {@value ScriptedPathIo#SERVICE_MS} ms, so latencies and queueing times are exact. That the
 * counters cost no allocation per I/O is {@link EngineAllocationTest}'s (it runs them).
 */
class MapStatsTest {

    static final long MS = 1_000_000L;
    static final String TWO_GROUPS = "1 queue_if_no_path 0 2 1 round-robin 0 2 1 p0 1 p1 1 round-robin 0 1 1 p2 1";

    final VirtualMapThread thread = new VirtualMapThread();
    final ScriptedPathIo paths = new ScriptedPathIo(thread);
    MultipathDevice map;

    MultipathDevice load(String params) throws Exception {
        return load(MultipathDevice.builder("m", 2097152, MultipathTable.parse(params)));
    }

    MultipathDevice load(MultipathDevice.Builder b) throws Exception {
        map = b.thread(thread).pathIo(paths).log(l -> { }).build();
        return map;
    }

    /** A request of {@code op} and {@code nrBytes} that remembers how it ended. */
    static final class Rq implements MapRequest {
        final ReqOp op;
        final long nrBytes;
        BlkStatus status;

        Rq(ReqOp op, long nrBytes) {
            this.op = op;
            this.nrBytes = nrBytes;
        }

        @Override
        public long nrBytes() {
            return nrBytes;
        }

        @Override
        public ReqOp op() {
            return op;
        }

        @Override
        public void complete(BlkStatus s) {
            if (status != null) throw new AssertionError("completed twice");
            status = s;
        }
    }

    List<Rq> run(List<Rq> rqs) {
        for (Rq r : rqs) map.submit(r);
        thread.runUntil(() -> rqs.stream().allMatch(r -> r.status != null), 60_000);
        assertThat(rqs).allMatch(r -> r.status != null);
        return rqs;
    }

    Rq one(ReqOp op, long bytes) {
        return run(List.of(new Rq(op, bytes))).get(0);
    }

    Path path(String name) {
        return map.groups().stream().flatMap(g -> g.paths().stream()).filter(p -> p.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void countsBytesAndLatenciesMatchTheIoDone() throws Exception {
        load("0 0 1 1 round-robin 0 2 1 p0 1 p1 1");
        List<Rq> rqs = new ArrayList<>();
        for (int i = 0; i < 10; i++) rqs.add(new Rq(ReqOp.READ, 4096));
        for (int i = 0; i < 6; i++) rqs.add(new Rq(ReqOp.WRITE, 8192));
        rqs.add(new Rq(ReqOp.WRITE_SAME, 1 << 20));
        rqs.add(new Rq(ReqOp.FLUSH, 0));
        rqs.add(new Rq(ReqOp.DISCARD, 65536));
        run(rqs);
        long lastDispatch = thread.nanoTime() - ScriptedPathIo.SERVICE_MS * MS;

        assertThat(map.stats()).isEqualTo(new MapStats(10, 7, 2, 40960, 6 * 8192 + (1 << 20), 0, 0, 0, 0, 0, 1, 0));
        PathStats.Snapshot p0 = path("p0").stats().snapshot();
        PathStats.Snapshot p1 = path("p1").stats().snapshot();
        assertThat(p0.completed() + p1.completed()).isEqualTo(19);
        assertThat(p0.completed()).as("round-robin alternates").isEqualTo(10);
        assertThat(p0.bytes() + p1.bytes()).isEqualTo(40960 + 6 * 8192 + (1 << 20) + 65536);
        assertThat(p0.latencyNanos()).isEqualTo(10 * ScriptedPathIo.SERVICE_MS * MS);
        assertThat(p1.meanLatencyNanos()).isEqualTo(ScriptedPathIo.SERVICE_MS * MS);
        assertThat(Math.max(p0.lastChosenNanos(), p1.lastChosenNanos())).isEqualTo(lastDispatch);
        assertThat(p0.pathErrors() + p0.deviceErrors() + p1.pathErrors() + p1.deviceErrors()).isZero();
    }

    @Test
    void pathErrorsCountOnThePathDeviceErrorsAlsoOnTheMap() throws Exception {
        load("0 0 1 1 round-robin 0 2 1 p0 1 p1 1");
        paths.failNext(BlkStatus.TRANSPORT);
        Rq requeued = one(ReqOp.READ, 4096);        // fails p0, then succeeds on p1
        assertThat(requeued.status).isEqualTo(BlkStatus.OK);
        paths.failNext(BlkStatus.MEDIUM);
        Rq medium = one(ReqOp.READ, 4096);          // the LU's error: back to the client, p1 stays
        assertThat(medium.status).isEqualTo(BlkStatus.MEDIUM);

        assertThat(path("p0").stats().snapshot()).isEqualTo(new PathStats.Snapshot(1, 0, 1, 1, 0, MS, path("p0")
                .stats().lastChosenNanos()));
        PathStats p1 = path("p1").stats();
        assertThat(p1.completed()).isEqualTo(2);
        assertThat(p1.bytes()).isEqualTo(4096);
        assertThat(p1.deviceErrors()).isEqualTo(1);
        assertThat(p1.pathErrors()).isZero();
        paths.failNext(BlkStatus.IOERR);            // a CHECK CONDITION the kernel counts as a path error
        assertThat(one(ReqOp.READ, 4096).status).as("no path left, no queue_if_no_path").isEqualTo(BlkStatus.IOERR);
        assertThat(p1.pathErrors()).isEqualTo(1);
        assertThat(p1.transportErrors()).isZero();
        MapStats s = map.stats();
        assertThat(s.reads()).isEqualTo(1);
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.pathFaults()).isEqualTo(2);
    }

    @Test
    void queueingTimeIsTheTimeIoWasHeldWithoutAPath() throws Exception {
        load(TWO_GROUPS);
        for (String p : List.of("p0", "p1", "p2")) map.message(0, "fail_path " + p);
        Rq held = new Rq(ReqOp.WRITE, 512);
        map.submit(held);
        thread.advance(700);
        assertThat(map.stats().queueingNanos()).as("counted while it lasts").isEqualTo(700 * MS);
        map.message(0, "reinstate_path p2");
        thread.runUntil(() -> held.status != null, 1000);
        assertThat(held.status).isEqualTo(BlkStatus.OK);
        thread.advance(300);
        MapStats s = map.stats();
        assertThat(s.queueingNanos()).isEqualTo(700 * MS);
        assertThat(s.pathFaults()).isEqualTo(3);
        assertThat(s.writes()).isEqualTo(1);
    }

    @Test
    void noPathRetryAndKernelTimeoutsAreCounted() throws Exception {
        load(MultipathDevice.builder("m", 2097152, MultipathTable.parse(TWO_GROUPS))
                .noPathRetry(NoPathRetry.checks(2), Duration.ofSeconds(1)));
        for (String p : List.of("p0", "p1", "p2")) map.message(0, "fail_path " + p);
        Rq held = new Rq(ReqOp.READ, 4096);
        map.submit(held);
        thread.runUntil(() -> held.status != null, 5000);       // 2 checks x 1 s + one tick
        assertThat(held.status).isEqualTo(BlkStatus.IOERR);
        assertThat(map.stats().queueingTimeouts()).isEqualTo(1);
        assertThat(map.stats().errors()).isEqualTo(1);

        load(MultipathDevice.builder("m", 2097152, MultipathTable.parse(TWO_GROUPS))
                .noPathTimeout(Duration.ofMillis(500)));
        for (String p : List.of("p0", "p1", "p2")) map.message(0, "fail_path " + p);
        thread.advance(600);
        assertThat(map.stats().queueingTimeouts()).isEqualTo(1);
        assertThat(map.queueIfNoPath()).isFalse();
    }

    @Test
    void groupSwitchesCountMovesBetweenGroupsAndAReloadKeepsTheCounters() throws Exception {
        load(TWO_GROUPS);
        one(ReqOp.READ, 4096);                           // PG 1: the first choice is no switch
        map.message(0, "fail_path p0");
        map.message(0, "fail_path p1");
        one(ReqOp.READ, 4096);                           // PG 2
        map.message(0, "reinstate_path p0");
        map.message(0, "switch_group 1");
        one(ReqOp.READ, 4096);                           // PG 1 again
        assertThat(map.stats().groupSwitches()).isEqualTo(2);
        PathStats p2Before = path("p2").stats();
        assertThat(p2Before.completed()).isEqualTo(1);

        CompletableFuture<Void> reload = map.reload(MultipathTable.parse(
                "0 0 1 1 round-robin 0 2 1 p2 1 p9 1")).toCompletableFuture();
        thread.runUntil(reload::isDone, 1000);
        assertThat(reload).isCompleted();
        assertThat(path("p2").stats()).as("a kept device keeps its counters").isSameAs(p2Before);
        assertThat(path("p9").stats().completed()).isZero();
        one(ReqOp.READ, 4096);
        one(ReqOp.READ, 4096);
        MapStats s = map.stats();
        assertThat(s.mapLoads()).isEqualTo(2);
        assertThat(s.groupSwitches()).as("the new PG 1 is a different group, but a reload is no switch")
                .isEqualTo(2);
        assertThat(s.reads()).isEqualTo(5);
        assertThat(s.pathFaults()).isEqualTo(2);
        assertThat(path("p2").stats().completed() + path("p9").stats().completed()).isEqualTo(3);
    }

    @Test
    void aBlockDeviceNamesItsOperations() throws Exception {
        try (BlockHarness h = new BlockHarness("0 0 1 1 round-robin 0 1 1 p0 1")) {
            ByteBuf data = pattern(4, 7);
            h.await(h.dev.write(8, data, false)).get();
            ByteBuf read = h.await(h.dev.read(8, 2)).get();
            read.release();
            h.await(h.dev.flush()).get();
            MapStats s = h.map.stats();
            assertThat(s.writes()).isEqualTo(1);
            assertThat(s.writeBytes()).isEqualTo(4 * BlockHarness.BLOCK);
            assertThat(s.reads()).isEqualTo(1);
            assertThat(s.readBytes()).isEqualTo(2 * BlockHarness.BLOCK);
            assertThat(s.others()).isEqualTo(1);
        }
    }
}
