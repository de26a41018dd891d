package io.mpathgw.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.TaskManagement;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Data transfer through our target with our initiator: writes by every route, reads split into Data-In, window. */
class TargetIoTest {

    /**
     * A pattern of mixed sizes written and read back. The target's small MaxBurstLength and MaxOutstandingR2T &gt; 1
     * force several R2Ts per write; the initiator's small MaxRecvDataSegmentLength forces many Data-In per read.
     */
    @ParameterizedTest(name = "immediateData={0} initialR2T={1} digests={2}")
    @CsvSource({"true,false,false", "false,true,false", "true,true,true", "false,false,true"})
    void patternWriteReadByEveryRoute(boolean immediateData, boolean initialR2T, boolean digests) throws Exception {
        try (TargetFixture f = new TargetFixture(s -> s.maxBurstLength(65536).firstBurstLength(16384)
                .maxOutstandingR2T(3).maxRecvDataSegmentLength(8192), n -> { })) {
            Session s = f.login(f.config().immediateData(immediateData).initialR2T(initialR2T)
                    .headerDigest(digests).dataDigest(digests).maxRecvDataSegmentLength(4096).build());
            int[] sizes = {1, 7, 8, 16, 33, 64, 128, 129, 255, 512, 1024, 2048};     // blocks, up to 1 MiB
            Random rnd = new Random(42);
            long lba = 0;
            List<long[]> written = new ArrayList<>();
            for (int blocks : sizes) {
                byte[] pattern = new byte[blocks * TargetFixture.BLOCK];
                rnd.nextBytes(pattern);
                ScsiResponse w = TargetFixture.run(s, ScsiCommand.write(Cdb.write16(lba, blocks, false), Unpooled.wrappedBuffer(pattern)));
                assertThat(w.status()).as("write %d blocks at %d: %s", blocks, lba, w).isEqualTo(ScsiResponse.GOOD);
                w.release();
                written.add(new long[] {lba, blocks, java.util.Arrays.hashCode(pattern)});
                lba += blocks;
            }
            for (long[] x : written) {
                ScsiResponse r = TargetFixture.run(s, ScsiCommand.read(Cdb.read16(x[0], x[1]), (int) x[1] * TargetFixture.BLOCK));
                byte[] got = new byte[r.data().readableBytes()];
                r.data().readBytes(got);
                r.release();
                assertThat(got.length).isEqualTo((int) x[1] * TargetFixture.BLOCK);
                assertThat(java.util.Arrays.hashCode(got)).as("read back %d blocks at %d", x[1], x[0]).isEqualTo((int) x[2]);
            }
        }
    }

    @Test
    void severalMibInParallel() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> s.maxBurstLength(262144).maxOutstandingR2T(2), n -> { })) {
            Session s = f.login(f.config().build());
            int chunk = 1 << 20;
            List<CompletableFuture<ScsiResponse>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ByteBuf b = Unpooled.buffer(chunk);
                for (int j = 0; j < chunk; j += 4) b.writeInt(i * chunk + j);
                writes.add(s.lun(0).submit(ScsiCommand.write(Cdb.write16((long) i * chunk / 512, chunk / 512, false), b)));
            }
            for (CompletableFuture<ScsiResponse> w : writes) assertThat(w.get(10, TimeUnit.SECONDS).status()).isZero();
            ScsiResponse r = TargetFixture.run(s, ScsiCommand.read(Cdb.read16(0, 8 * chunk / 512), 8 * chunk));
            byte[] all = new byte[8 * chunk];
            r.data().getBytes(r.data().readerIndex(), all);
            r.release();
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(all);
            for (int j = 0; j < all.length; j += 4) if (bb.getInt(j) != j) throw new AssertionError("at " + j);
        }
    }

    /** Queue depth 2 on the target: 32 commands at once still all complete, two at a time in the target. */
    @Test
    void smallCmdSnWindowWithManyConcurrentCommands() throws Exception {
        try (TargetFixture f = new TargetFixture(s -> s.queueDepth(2), n -> { })) {
            Session s = f.login(f.config().build());
            List<CompletableFuture<ScsiResponse>> all = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                all.add(i % 2 == 0 ? s.lun(0).submit(ScsiCommand.read(Cdb.read16(i, 8), 4096))
                        : s.lun(0).submit(ScsiCommand.write(Cdb.write16(100 + i, 1, false), Unpooled.buffer(512).writeZero(512))));
            }
            for (CompletableFuture<ScsiResponse> c : all) {
                ScsiResponse r = c.get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isZero();
                r.release();
            }
            assertThat(f.disk.executed.get()).isEqualTo(32);
        }
    }

    @Test
    void residualsAndSenseThroughTheTarget() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().build());
            // asks for 4 blocks with an allocation of 3: overflow 512, 1536 bytes delivered
            ScsiResponse over = TargetFixture.run(s, ScsiCommand.read(Cdb.read16(0, 4), 1536));
            assertThat(over.overflow()).isTrue();
            assertThat(over.residual()).isEqualTo(512);
            assertThat(over.data().readableBytes()).isEqualTo(1536);
            over.release();
            ScsiResponse eol = TargetFixture.run(s, ScsiCommand.read(Cdb.read16(TargetFixture.BLOCKS, 1), 512));
            assertThat(eol.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(eol.sense().matches(Sense.LBA_OUT_OF_RANGE)).isTrue();
            ScsiResponse noLun = s.lun(7).submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS);
            assertThat(noLun.sense().matches(Sense.LOGICAL_UNIT_NOT_SUPPORTED)).isTrue();
            ScsiResponse luns = TargetFixture.run(s, ScsiCommand.read(Cdb.reportLuns(64), 64));
            assertThat(luns.data().getInt(0)).isEqualTo(8);
            luns.release();
        }
    }

    /** Write residuals come from the LU (only it knows the CDB's transfer length); the target passes them on. */
    @Test
    void writeResidualsFromTheLogicalUnit() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().build());
            for (int i = 0; i < 50; i++) {
                ScsiResponse under = TargetFixture.run(s, ScsiCommand.write(Cdb.write10(0, 1, false), Unpooled.buffer(10000).writeZero(10000)));
                assertThat(under.underflow()).isTrue();
                assertThat(under.residual()).isEqualTo(10000 - 512);
                ScsiResponse over = TargetFixture.run(s, ScsiCommand.write(Cdb.write10(0, 2, false), Unpooled.buffer(200).writeZero(200)));
                assertThat(over.overflow()).isTrue();
                assertThat(over.residual()).isEqualTo(1024 - 200);
            }
            System.gc();
            Thread.sleep(100);
            TargetFixture.run(s, ScsiCommand.read(Cdb.read16(0, 8), 4096)).release();
        }
    }

    @Test
    void logicalUnitResetAbortsWhatTheLuHolds() throws Exception {
        try (TargetFixture f = new TargetFixture()) {
            Session s = f.login(f.config().commandTimeout(java.time.Duration.ofSeconds(30)).build());
            f.disk.close();
            CompletableFuture<ScsiResponse> stuck = s.lun(0).submit(ScsiCommand.read(Cdb.read16(0, 1), 512));
            while (f.disk.executed.get() < 1) Thread.sleep(5);
            int response = s.taskManagement(TaskManagement.LOGICAL_UNIT_RESET, 0).get(5, TimeUnit.SECONDS);
            assertThat(response).isEqualTo(TaskManagement.FUNCTION_COMPLETE);
            assertThat(f.disk.resets.get()).isEqualTo(1);
            f.disk.open();
            assertThat(f.target.sessions().get(0).outstandingTasks().get(5, TimeUnit.SECONDS)).isZero();
            assertThat(s.taskManagement(TaskManagement.LOGICAL_UNIT_RESET, 9).get(5, TimeUnit.SECONDS))
                    .isEqualTo(TaskManagement.LUN_DOES_NOT_EXIST);
            ScsiResponse after = TargetFixture.run(s, ScsiCommand.none(Cdb.testUnitReady()));
            assertThat(after.status()).isZero();
            // the target never answers a task the reset aborted (RFC 7143 §4.2.3.3); the initiator ends it itself
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stuck.get(1, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(io.mpathgw.scsi.TransportException.class).hasMessageContaining("ABORTED");
        }
    }
}
