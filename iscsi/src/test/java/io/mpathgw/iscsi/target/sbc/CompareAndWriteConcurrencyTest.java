package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiResponse;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * COMPARE AND WRITE is atomic per LBA range (SBC-3 §5.2) even when the device answers later on other threads: the
 * read, the compare and the write of one command never interleave with another's on the same blocks — as libiscsi's
 * MultipathIO.CompareAndWrite(Async) checks through two sessions.
 */
class CompareAndWriteConcurrencyTest {

    private static final int BLOCK = TestLu.BLOCK;

    private static byte[] value(long v) {
        return ByteBuffer.allocate(BLOCK).putLong(v).array();
    }

    private static byte[] caw(long expected, long next) {
        return ByteBuffer.allocate(2 * BLOCK).put(value(expected)).put(value(next)).array();
    }

    /** Eight initiators each increment a counter block 40 times with read + COMPARE AND WRITE, retrying. */
    @Test
    void noIncrementIsLost() throws Exception {
        int threads = 8;
        int increments = 40;
        try (TestLu t = new TestLu(new MemoryBlockDevice(BLOCK, 64), b -> b)) {
            SlowBlockDevice device = new SlowBlockDevice(t.device, 300);
            SbcLogicalUnit lu = SbcLogicalUnit.builder(device).serial("SLOW").build();
            AtomicInteger miscompares = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Nexus n = new Nexus("iqn.2026-01.test:" + i, 0x23d000000000L + i, 1, 1 + i % 2);
                done.add(pool.submit(() -> {
                    for (int k = 0; k < increments; ) {
                        long v = ByteBuffer.wrap(run(lu, n, TestLu.read16(7, 1), null).data()).getLong();
                        TestLu.Result r = run(lu, n, TestLu.compareAndWrite(7, 1), caw(v, v + 1));
                        if (r.reply().response().isGood()) k++;
                        else {
                            // the offset is that of the first differing byte of the big-endian counter
                            var sense = r.reply().response().sense();
                            assertThat(sense.matches(io.mpathgw.scsi.Sense.MISCOMPARE_DURING_VERIFY)).isTrue();
                            assertThat(sense.information()).isBetween(0L, 7L);
                            miscompares.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(20, TimeUnit.SECONDS);
            pool.shutdown();
            long end = ByteBuffer.wrap(run(lu, TestLu.A, TestLu.read16(7, 1), null).data()).getLong();
            assertThat(end).isEqualTo((long) threads * increments);
            assertThat(miscompares.get()).as("the threads did race").isPositive();
        }
    }

    /**
     * libiscsi MultipathIO.CompareAndWriteAsync: two nexuses queue COMPARE AND WRITEs 0→1 and 1→0 at once; each
     * success flips the block, so the number of successes decides the final value, and every failure is a
     * miscompare.
     */
    @Test
    void queuedCompareAndWritesFromTwoNexusesSerialize() {
        try (TestLu t = new TestLu(new MemoryBlockDevice(BLOCK, 64), b -> b)) {
            SbcLogicalUnit lu = SbcLogicalUnit.builder(new SlowBlockDevice(t.device, 200)).serial("SLOW").build();
            List<CompletableFuture<Reply>> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                all.add(submit(lu, TestLu.A, caw(0, 1)));
                all.add(submit(lu, TestLu.B, caw(1, 0)));
            }
            int successes = 0;
            for (CompletableFuture<Reply> f : all) {
                Reply r = f.join();
                r.response().release();
                if (r.response().isGood()) successes++;
                else Expect.MISCOMPARE.info(7).check(r);
            }
            long end = ByteBuffer.wrap(run(lu, TestLu.A, TestLu.read16(0, 1), null).data()).getLong();
            assertThat(end).isEqualTo(successes % 2);
            assertThat(successes).isPositive();
        }
    }

    @Test
    void writesWaitForAnOverlappingCompareAndWriteAndOthersDoNot() {
        LbaRangeLock locks = new LbaRangeLock();
        LbaRangeLock.Hold caw = locks.acquire(10, 4, true).join();
        CompletableFuture<LbaRangeLock.Hold> overlapping = locks.acquire(12, 8, false);
        CompletableFuture<LbaRangeLock.Hold> elsewhere = locks.acquire(14, 2, false);
        CompletableFuture<LbaRangeLock.Hold> disjoint = locks.acquire(0, 10, false);
        assertThat(overlapping).isNotDone();
        assertThat(elsewhere).isDone();                    // the CAW ends before 14; shared holds never conflict
        assertThat(disjoint).isDone();
        caw.release();
        assertThat(overlapping).isDone();
        // a second exclusive hold waits for the shared ones before it, and a later write waits for it (FIFO)
        CompletableFuture<LbaRangeLock.Hold> second = locks.acquire(0, 100, true);
        CompletableFuture<LbaRangeLock.Hold> late = locks.acquire(50, 1, false);
        assertThat(second).isNotDone();
        assertThat(late).isNotDone();
        overlapping.join().release();
        elsewhere.join().release();
        disjoint.join().release();
        disjoint.join().release();                         // a second release is ignored
        assertThat(second).isDone();
        assertThat(late).isNotDone();
        second.join().release();
        assertThat(late).isDone();
        late.join().release();
        assertThat(locks.size()).isZero();
    }

    private static CompletableFuture<Reply> submit(SbcLogicalUnit lu, Nexus n, byte[] data) {
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.directBuffer(data.length).writeBytes(data);
        return lu.submit(new io.mpathgw.iscsi.target.ScsiTask(n, 0, TestLu.pad16(TestLu.cdb(
                TestLu.compareAndWrite(0, 1))), out, data.length, false, true));
    }

    private static TestLu.Result run(SbcLogicalUnit lu, Nexus n, String cdb, byte[] data) {
        io.netty.buffer.ByteBuf out = data == null ? null
                : io.netty.buffer.Unpooled.directBuffer(data.length).writeBytes(data);
        Reply r = lu.submit(new io.mpathgw.iscsi.target.ScsiTask(n, 0, TestLu.pad16(TestLu.cdb(cdb)), out,
                data == null ? 0 : data.length, data == null, data != null)).join();
        ScsiResponse response = r.response();
        try {
            return new TestLu.Result(r, io.netty.buffer.ByteBufUtil.getBytes(response.data()));
        } finally {
            response.release();
        }
    }
}
