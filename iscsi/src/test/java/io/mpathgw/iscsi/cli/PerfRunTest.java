package io.mpathgw.iscsi.cli;

import io.mpathgw.scsi.DataDirection;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The perf loop against a transport that answers on its own event loop, as the initiator does. */
class PerfRunTest {

    static final int BLOCK = 512;
    static final long BLOCKS = 1000;              // not a multiple of the I/O size: the tail must never be read

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Completes each command on the loop, one task later; remembers what it saw; owns and releases Data-Out. */
    final class FakeLu implements ScsiTransport {
        final List<Long> lbas = new ArrayList<>();
        final List<ByteBuf> dataOuts = new ArrayList<>();
        final List<Long> dataOutAddresses = new ArrayList<>();
        final List<ByteBuf> dataIns = new ArrayList<>();
        int outstanding;
        int maxOutstanding;
        LongFunction<ScsiResponse> answer = lba -> null;

        @Override
        public CompletableFuture<ScsiResponse> submit(ScsiCommand c) {
            assertThat(loop.inEventLoop()).isTrue();
            ByteBuffer cdb = ByteBuffer.wrap(c.cdb());
            long lba = cdb.getLong(2);
            int blocks = cdb.getInt(10);
            assertThat(blocks * BLOCK).isEqualTo(c.expectedLength());
            assertThat(lba + blocks).isLessThanOrEqualTo(BLOCKS);
            lbas.add(lba);
            maxOutstanding = Math.max(maxOutstanding, ++outstanding);
            CompletableFuture<ScsiResponse> f = new CompletableFuture<>();
            loop.execute(() -> {
                outstanding--;
                if (c.direction() == DataDirection.WRITE) {
                    assertThat(c.dataOut().readableBytes()).isEqualTo(c.expectedLength());
                    dataOuts.add(c.dataOut());
                    dataOutAddresses.add(c.dataOut().memoryAddress() + c.dataOut().readerIndex());
                    c.dataOut().release();                  // the transport owns Data-Out
                }
                ScsiResponse r = answer.apply(lba);
                if (r != null) {
                    f.complete(r);
                    return;
                }
                ByteBuf in = c.direction() == DataDirection.READ
                        ? PooledByteBufAllocator.DEFAULT.directBuffer(c.expectedLength()).writeZero(c.expectedLength())
                        : PooledByteBufAllocator.DEFAULT.buffer(0);
                dataIns.add(in);
                f.complete(ScsiResponse.good(in));
            });
            return f;
        }

        @Override
        public String describe() {
            return "fake lun 1";
        }
    }

    PerfResult run(FakeLu lu, boolean write, boolean random, int bs, int qd, double seconds) throws Exception {
        PerfOptions o = new PerfOptions(write, random, bs, qd, Duration.ofMillis((long) (seconds * 1000)), Duration.ZERO, 42);
        try {
            return new PerfRun(lu, loop, o, BLOCK, BLOCKS, PooledByteBufAllocator.DEFAULT).start().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void sequentialReadsKeepTheQueueFullAndWrapBeforeTheEnd() throws Exception {
        FakeLu lu = new FakeLu();
        PerfResult r = run(lu, false, false, 64 * BLOCK, 7, 0.2);
        assertThat(lu.maxOutstanding).isEqualTo(7);
        // 1000 blocks hold 15 I/Os of 64 blocks: 0, 64, … 896, then 0 again
        for (int i = 0; i < Math.min(40, lu.lbas.size()); i++) assertThat(lu.lbas.get(i)).isEqualTo(i % 15 * 64L);
        assertThat(r.ios()).isPositive().isLessThanOrEqualTo(lu.lbas.size());
        assertThat(r.latency().count()).isEqualTo(r.ios());
        assertThat(lu.dataIns).allSatisfy(b -> assertThat(b.refCnt()).as("Data-In released").isZero());
    }

    @Test
    void randomWritesAreAlignedShareOnePatternAndReleaseIt() throws Exception {
        FakeLu lu = new FakeLu();
        run(lu, true, true, 8 * BLOCK, 32, 0.2);
        assertThat(lu.maxOutstanding).isEqualTo(32);
        assertThat(lu.lbas).allSatisfy(lba -> assertThat(lba % 8).isZero());
        assertThat(lu.lbas.stream().distinct().count()).as("random offsets").isGreaterThan(50);
        assertThat(lu.dataOutAddresses.stream().distinct().toList()).as("every write sends the one pattern buffer")
                .hasSize(1);
        assertThat(lu.dataOuts).allSatisfy(b -> assertThat(b.refCnt()).as("pattern released").isZero());
        assertThat(lu.dataIns).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void busyIsRetriedAndCheckConditionEndsTheRunNamingTheCommand() throws Exception {
        FakeLu busy = new FakeLu();
        int[] n = {0};
        busy.answer = lba -> n[0]++ % 3 == 0 ? new ScsiResponse(ScsiResponse.BUSY, null, PooledByteBufAllocator.DEFAULT.buffer(0), 0, false, false) : null;
        PerfResult r = run(busy, false, false, BLOCK, 4, 0.1);
        assertThat(r.retries()).isPositive();

        FakeLu failing = new FakeLu();
        failing.answer = lba -> lba == 3 ? new ScsiResponse(ScsiResponse.CHECK_CONDITION,
                Sense.of(Sense.MEDIUM_ERROR, 0x11, 0x00), PooledByteBufAllocator.DEFAULT.buffer(0), 0, false, false) : null;
        assertThatThrownBy(() -> run(failing, false, false, BLOCK, 4, 5))
                .isInstanceOf(CliFailure.class)
                .hasMessage("READ(16) lba 3 blocks 1 on fake lun 1: CHECK CONDITION MEDIUM ERROR 11/00");
    }
}
