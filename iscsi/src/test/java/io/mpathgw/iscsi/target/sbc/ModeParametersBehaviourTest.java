package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.scsi.MemoryBlockDevice;
import org.junit.jupiter.api.Test;

import static io.mpathgw.iscsi.target.sbc.TestLu.A;
import static org.assertj.core.api.Assertions.assertThat;

/** What the changeable mode bits do: SWP (libiscsi ModeSense6.Control-SWP), D_SENSE (Control-D_SENSE), WCE. */
class ModeParametersBehaviourTest {

    private static final String CONTROL_SWP = "00 00 00 00 0a 0a 00 10 08 00 00 00 ff ff 00 00";
    private static final String CONTROL_D_SENSE = "00 00 00 00 0a 0a 04 10 00 00 00 00 ff ff 00 00";
    private static final String CONTROL_DEFAULT = "00 00 00 00 0a 0a 00 10 00 00 00 00 ff ff 00 00";

    @Test
    void softwareWriteProtectRefusesWritesButNotReads() {
        try (TestLu t = new TestLu(b -> b)) {
            t.run(A, "15 10 00 00 10 00", TestLu.cdb(CONTROL_SWP)).expect(Expect.GOOD);
            assertThat(t.run(A, "1a 08 0a 00 ff 00").expect(Expect.GOOD).hex())
                    .isEqualTo("0f009000" + "0a0a001008000000ffff0000");          // WP in the header, SWP
            t.run(A, TestLu.read10(0, 1)).expect(Expect.GOOD);
            t.run(A, TestLu.write10(0, 1), new byte[512]).expect(Expect.SOFTWARE_WRITE_PROTECTED);
            t.run(A, "41 00 00 00 00 00 00 00 01 00", new byte[512]).expect(Expect.SOFTWARE_WRITE_PROTECTED);
            t.run(A, "42 00 00 00 00 00 00 00 18 00", TestLu.cdb("00 16 00 10 00*4 00*8 00 00 00 01 00*4"))
                    .expect(Expect.SOFTWARE_WRITE_PROTECTED);
            t.run(A, TestLu.compareAndWrite(0, 1), new byte[1024]).expect(Expect.SOFTWARE_WRITE_PROTECTED);
            t.run(A, "15 10 00 00 10 00", TestLu.cdb(CONTROL_DEFAULT)).expect(Expect.GOOD);
            t.run(A, TestLu.write10(0, 1), new byte[512]).expect(Expect.GOOD);
        }
    }

    @Test
    void dSenseSwitchesEverySenseToDescriptorFormatFieldPointerIncluded() {
        try (TestLu t = new TestLu(b -> b)) {
            t.run(A, "15 10 00 00 10 00", TestLu.cdb(CONTROL_D_SENSE)).expect(Expect.GOOD);
            TestLu.Result oob = t.run(A, "88 00 ff ff ff ff ff ff ff ff 00 00 02 00 00 00")
                    .expect(Expect.LBA_OUT_OF_RANGE);
            assertThat(oob.reply().senseBytes()).containsExactly(TestLu.cdb("72 05 21 00 00 00 00 00"));
            TestLu.Result bad = t.run(A, "28 04 00 00 00 00 00 00 01 00")
                    .expect(Expect.INVALID_FIELD_IN_CDB.at(1, 2));
            // header, then the sense-key specific descriptor: SKSV C/D BPV bit 2, field pointer 0001
            assertThat(bad.reply().senseBytes()).containsExactly(TestLu.cdb("72 05 24 00 00 00 00 08"
                    + " 02 06 00 00 ca 00 01 00"));
            TestLu.Result miscompare = t.run(A, "2f 02 00 00 00 00 00 00 01 00", TestLu.cdb("00*9 01 00*502"))
                    .expect(Expect.MISCOMPARE.info(9));
            assertThat(miscompare.reply().senseBytes()).containsExactly(TestLu.cdb("72 0e 1d 00 00 00 00 0c"
                    + " 00 0a 80 00 00 00 00 00 00 00 00 09"));
        }
    }

    @Test
    void fixedFormatFieldPointerBytes() {
        try (TestLu t = new TestLu(b -> b)) {
            TestLu.Result bad = t.run(A, "28 00 00 00 00 00 20 00 01 00").expect(Expect.INVALID_FIELD_IN_CDB.at(6, 5));
            assertThat(bad.reply().senseBytes()).containsExactly(TestLu.cdb(
                    "70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 cd 00 06"));
            TestLu.Result param = t.run(A, "15 10 00 00 10 00",
                    TestLu.cdb("00 00 00 00 0a 0a 00 00 00 00 00 00 ff ff 00 00"))
                    .expect(Expect.INVALID_FIELD_IN_PARAMETER_LIST.atParameter(7, 4));
            assertThat(param.reply().senseBytes()).containsExactly(TestLu.cdb(
                    "70 00 05 00 00 00 00 0a 00 00 00 00 26 00 00 8c 00 07"));
        }
    }

    @Test
    void withTheWriteCacheOffEveryWriteIsForcedUnitAccess() {
        MemoryBlockDevice store = new MemoryBlockDevice(512, 64);
        SlowBlockDevice device = new SlowBlockDevice(store, 0);
        SbcLogicalUnit lu = SbcLogicalUnit.builder(device).serial("FUA").build();
        run(lu, TestLu.write10(0, 1));
        run(lu, "2a 08 00 00 00 00 00 00 01 00");                      // FUA
        run(lu, "2a 00 00 00 00 00 00 00 01 00");
        assertThat(device.fua).containsExactly(false, true, false);
        device.fua.clear();
        TestLu.Result r = new TestLu.Result(lu.submit(task("15 10 00 00 18 00",
                TestLu.cdb("00 00 00 00 08 12 00 00*17"))).join(), new byte[0]);
        r.expect(Expect.GOOD);
        run(lu, TestLu.write10(0, 1));
        run(lu, "8a 00 00*8 00 00 00 01 00 00");
        assertThat(device.fua).containsExactly(true, true);
        store.close();
    }

    private static void run(SbcLogicalUnit lu, String cdb) {
        Expect.GOOD.check(lu.submit(task(cdb, new byte[512])).join());
    }

    private static io.mpathgw.iscsi.target.ScsiTask task(String cdb, byte[] data) {
        return new io.mpathgw.iscsi.target.ScsiTask(A, 0, TestLu.pad16(TestLu.cdb(cdb)),
                io.netty.buffer.Unpooled.wrappedBuffer(data), data.length, false, true);
    }
}
