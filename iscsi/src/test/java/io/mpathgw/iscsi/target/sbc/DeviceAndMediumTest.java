package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.scsi.BlockDevice;
import io.mpathgw.scsi.BlockDeviceException;
import io.mpathgw.scsi.MemoryBlockDevice;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static io.mpathgw.iscsi.target.sbc.TestLu.A;
import static org.assertj.core.api.Assertions.assertThat;

/** Failures of the block device, capacity changes, and a removable medium. */
class DeviceAndMediumTest {

    /** A device whose every request fails with {@code error}; a write still releases its buffer. */
    private static BlockDevice failing(Throwable error) {
        return new BlockDevice() {
            @Override public int blockSize() { return 512; }
            @Override public long blockCount() { return 100; }
            @Override public CompletableFuture<ByteBuf> read(long lba, int blocks) {
                return CompletableFuture.failedFuture(error);
            }
            @Override public CompletableFuture<Void> write(long lba, ByteBuf data, boolean fua) {
                data.release();
                return CompletableFuture.failedFuture(error);
            }
            @Override public CompletableFuture<Void> flush() { return CompletableFuture.failedFuture(error); }
            @Override public CompletableFuture<Void> unmap(long lba, long blocks) {
                return CompletableFuture.failedFuture(error);
            }
            @Override public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf block, boolean u) {
                if (block != null) block.release();
                return CompletableFuture.failedFuture(error);
            }
        };
    }

    private static Reply run(SbcLogicalUnit lu, String cdb, byte[] data) {
        ByteBuf out = data == null ? null : Unpooled.directBuffer().writeBytes(data);
        Reply r = lu.submit(new ScsiTask(A, 0, TestLu.pad16(TestLu.cdb(cdb)), out, data == null ? 0 : data.length,
                data == null, data != null)).join();
        if (out != null) assertThat(out.refCnt()).isZero();
        r.response().release();
        return r;
    }

    @Test
    void aRefusalOfTheDeviceIsReportedWithItsSense() {
        SbcLogicalUnit lu = SbcLogicalUnit.builder(failing(new BlockDeviceException(Sense.UNRECOVERED_READ_ERROR,
                "lba 3"))).serial("F").build();
        Expect.check("UNRECOVERED READ ERROR", Sense.UNRECOVERED_READ_ERROR).check(run(lu, TestLu.read10(3, 1), null));
        Expect.check("UNRECOVERED READ ERROR", Sense.UNRECOVERED_READ_ERROR)
                .check(run(lu, TestLu.compareAndWrite(0, 1), new byte[1024]));
    }

    /** A map passes on RESERVATION CONFLICT (another initiator's reservation on the array) without sense. */
    @Test
    void aStatusOfTheDeviceWithoutSenseIsAnsweredAsItIs() {
        for (int status : new int[] {ScsiResponse.RESERVATION_CONFLICT, ScsiResponse.BUSY}) {
            SbcLogicalUnit lu = SbcLogicalUnit.builder(failing(new BlockDeviceException(status, null, "lba 3")))
                    .serial("F").build();
            Expect e = new Expect(ScsiResponse.statusName(status), status, -1, 0, 0, -1, -1);
            e.check(run(lu, TestLu.read10(3, 1), null));
            e.check(run(lu, TestLu.write10(3, 1), new byte[512]));
        }
        SbcLogicalUnit bare = SbcLogicalUnit.builder(failing(new BlockDeviceException(ScsiResponse.CHECK_CONDITION,
                null, "CHECK CONDITION without sense data"))).serial("F").build();
        Expect.INTERNAL_TARGET_FAILURE.check(run(bare, TestLu.read10(3, 1), null));
    }

    @Test
    void aMapWithoutPathsIsAnInternalTargetFailureNeverAnException() {
        SbcLogicalUnit lu = SbcLogicalUnit.builder(failing(new TransportException(TransportException.Kind.CLOSED, "no usable path")))
                .serial("F").build();
        for (String cdb : new String[] {TestLu.read10(0, 1), "35 00 00 00 00 00 00 00 00 00",
            "2f 00 00 00 00 00 00 00 01 00"})
            Expect.INTERNAL_TARGET_FAILURE.check(run(lu, cdb, null));
        Expect.INTERNAL_TARGET_FAILURE.check(run(lu, TestLu.write10(0, 1), new byte[512]));
        Expect.INTERNAL_TARGET_FAILURE.check(run(lu, "2e 02 00 00 00 00 00 00 01 00", new byte[512]));
        Expect.INTERNAL_TARGET_FAILURE.check(run(lu, "8b 00 00*8 00 00 00 01 00 00", new byte[512]));
        Expect.INTERNAL_TARGET_FAILURE.check(run(lu, "41 00 00 00 00 00 00 00 04 00", new byte[512]));
    }

    @Test
    void aFullDeviceQueueIsTaskSetFullNotAnError() {
        SbcLogicalUnit lu = SbcLogicalUnit.builder(failing(new java.util.concurrent.RejectedExecutionException(
                "outstanding: 1024 (expected: < 1024)"))).serial("F").build();
        new Expect("TASK SET FULL", io.mpathgw.scsi.ScsiResponse.TASK_SET_FULL, -1, 0, 0, -1, -1)
                .check(run(lu, TestLu.write10(0, 1), new byte[512]));
        new Expect("TASK SET FULL", io.mpathgw.scsi.ScsiResponse.TASK_SET_FULL, -1, 0, 0, -1, -1)
                .check(run(lu, TestLu.read10(0, 1), null));
    }

    @Test
    void aCapacityChangeIsSeenByReadCapacityAndAnnounced() {
        long[] blocks = {100};
        MemoryBlockDevice store = new MemoryBlockDevice(512, 400);
        BlockDevice growing = new BlockDevice() {
            @Override public int blockSize() { return 512; }
            @Override public long blockCount() { return blocks[0]; }
            @Override public CompletableFuture<ByteBuf> read(long lba, int n) { return store.read(lba, n); }
            @Override public CompletableFuture<Void> write(long lba, ByteBuf d, boolean fua) {
                return store.write(lba, d, fua);
            }
            @Override public CompletableFuture<Void> flush() { return store.flush(); }
            @Override public CompletableFuture<Void> unmap(long lba, long n) { return store.unmap(lba, n); }
            @Override public CompletableFuture<Void> writeSame(long lba, long n, ByteBuf b, boolean u) {
                return store.writeSame(lba, n, b, u);
            }
        };
        SbcLogicalUnit lu = SbcLogicalUnit.builder(growing).serial("G").build();
        lu.nexusAdded(A);
        Expect.POWER_ON_RESET.check(run(lu, "00 00 00 00 00 00", null));
        Expect.LBA_OUT_OF_RANGE.check(run(lu, TestLu.read10(200, 1), null));
        blocks[0] = 300;
        lu.capacityChanged();
        Expect.CAPACITY_DATA_CHANGED.check(run(lu, TestLu.read10(200, 1), null));
        Reply rc = lu.submit(new ScsiTask(A, 0, TestLu.pad16(TestLu.cdb("25 00 00 00 00 00 00 00 00 00")), null, 8,
                true, false)).join();
        assertThat(io.netty.buffer.ByteBufUtil.hexDump(rc.response().data())).isEqualTo("0000012b00000200");
        rc.response().release();
        Expect.GOOD.check(run(lu, TestLu.read10(200, 1), null));
        store.close();
    }

    /** libiscsi NoMedia.NoMediaSBC and StartStopUnit.Simple, which need RMB. */
    @Test
    void aRemovableMediumEjectsAndLoads() {
        try (TestLu t = new TestLu(b -> b.removable(true))) {
            t.run(A, "1b 01 00 00 02 00").expect(Expect.GOOD);                     // eject, IMMED
            for (String cdb : new String[] {"00 00 00 00 00 00", TestLu.read10(0, 1),
                "25 00 00 00 00 00 00 00 00 00", "35 00 00 00 00 00 00 00 00 00", "9e 10 00*8 00 00 00 20 00 00"})
                t.run(A, cdb).expect(Expect.MEDIUM_NOT_PRESENT);
            t.run(A, TestLu.write10(0, 1), new byte[512]).expect(Expect.MEDIUM_NOT_PRESENT);
            t.run(A, "12 00 00 00 60 00").expect(Expect.GOOD);
            t.run(A, "1a 00 3f 00 ff 00").expect(Expect.GOOD);
            assertThat(t.run(A, "03 00 00 00 12 00").expect(Expect.GOOD).hex())
                    .isEqualTo("700002000000000a000000003a0000000000");
            t.run(A, "1b 00 00 00 03 00").expect(Expect.GOOD);                     // load
            t.run(A, "00 00 00 00 00 00").expect(Expect.GOOD);
        }
    }

    @Test
    void preventStopsTheEjectUntilAllowedOrTheNexusIsGone() {
        try (TestLu t = new TestLu(b -> b.removable(true))) {
            t.run(A, "1e 00 00 00 01 00").expect(Expect.GOOD);
            t.run(TestLu.B, "1b 00 00 00 02 00").expect(Expect.REMOVAL_PREVENTED);
            t.run(A, "1e 00 00 00 00 00").expect(Expect.GOOD);
            t.run(TestLu.B, "1b 00 00 00 02 00").expect(Expect.GOOD);
            t.run(TestLu.B, "1b 00 00 00 03 00").expect(Expect.GOOD);
            t.run(TestLu.B, "1b 00 00 00 02 00").expect(Expect.GOOD);
            t.run(A, "1e 00 00 00 01 00").expect(Expect.GOOD);
            t.run(TestLu.B, "1b 00 00 00 03 00").expect(Expect.REMOVAL_PREVENTED);   // loading too
            t.lu.nexusRemoved(A);
            t.run(TestLu.B, "1b 00 00 00 03 00").expect(Expect.GOOD);
            t.run(TestLu.B, "1e 00 00 00 01 00").expect(Expect.GOOD);
            t.lu.reset(TestLu.B);
            t.run(TestLu.B, "00 00 00 00 00 00").expect(Expect.BUS_DEVICE_RESET);
            t.run(TestLu.B, "1b 00 00 00 02 00").expect(Expect.GOOD);               // the reset allowed it
        }
    }

    @Test
    void aFixedDiskIgnoresStopAndEject() {
        try (TestLu t = new TestLu(b -> b)) {
            t.run(A, "1b 00 00 00 02 00").expect(Expect.GOOD);
            t.run(A, "1b 00 00 00 00 00").expect(Expect.GOOD);
            t.run(A, "00 00 00 00 00 00").expect(Expect.GOOD);
            t.run(A, TestLu.read10(0, 1)).expect(Expect.GOOD);
        }
    }

    /** libiscsi 1.19 iSCSIResiduals.Write10Residuals: only what both the CDB and the EDTL cover is written. */
    @Test
    void writesCoverWhatBothTheCdbAndTheDataOutCover() {
        try (TestLu t = new TestLu(b -> b)) {
            t.run(A, TestLu.write10(0, 2), TestLu.fill(1024, 'a')).expect(Expect.GOOD);
            TestLu.Result r = t.run(A, TestLu.write10(0, 2), TestLu.fill(512, 'b')).expect(Expect.GOOD);
            assertThat(r.reply().response().overflow()).isTrue();
            byte[] back = t.run(A, TestLu.read10(0, 2)).expect(Expect.GOOD).data();
            assertThat(java.util.Arrays.copyOfRange(back, 0, 512)).containsOnly('b');
            assertThat(java.util.Arrays.copyOfRange(back, 512, 1024)).containsOnly('a');
            r = t.run(A, TestLu.write10(0, 1), TestLu.fill(1024, 'c')).expect(Expect.GOOD);
            assertThat(r.reply().response().underflow()).isTrue();
            assertThat(r.reply().response().residual()).isEqualTo(512);
            back = t.run(A, TestLu.read10(0, 2)).expect(Expect.GOOD).data();
            assertThat(java.util.Arrays.copyOfRange(back, 0, 512)).containsOnly('c');
            assertThat(java.util.Arrays.copyOfRange(back, 512, 1024)).containsOnly('a');
            t.run(A, TestLu.write10(0, 1), TestLu.fill(200, 'd')).expect(Expect.INVALID_FIELD_IN_INFORMATION_UNIT);
            back = t.run(A, TestLu.read10(0, 1)).expect(Expect.GOOD).data();
            assertThat(back).containsOnly('c');
        }
    }

    @Test
    void aReadFlaggedAsAWriteStillReadsAndTheDataIsReleased() {
        try (TestLu t = new TestLu(b -> b)) {
            t.run(A, TestLu.read10(0, 1), new byte[512]).expect(Expect.GOOD);     // libiscsi Read10.Invalid
        }
    }
}
