package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.VpdPage;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mpathgw.iscsi.target.sbc.TestLu.A;
import static io.mpathgw.iscsi.target.sbc.TestLu.B;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@link Interceptor} a personality plugs in, vendor VPD pages, and the REPORT LUNS inventory. */
class PersonalityHookTest {

    private static final String TUR = "00 00 00 00 00 00";
    private static final String RTPG = "a3 0a 00 00 00 00 00 00 10 00 00 00";

    /** A standby port group 2: NOT READY 04/0B for medium access, its own RTPG; everything else to the disk. */
    private static CompletableFuture<ScsiResponse> standbyGroup2(ScsiTask task, SbcLogicalUnit lu) {
        int op = task.cdb()[0] & 0xFF;
        if (op == 0xA3 && (task.cdb()[1] & 0x1F) == 0x0A)
            return CompletableFuture.completedFuture(ScsiResponse.good(Unpooled.wrappedBuffer(
                    TestLu.cdb("00 00 00 10 00 01 00 01 00 00 00 01 00 00 00 01 02 04 00 02 00 00 00 01 00 00 00 03"))));
        if (task.nexus().targetPortGroup() == 2 && (op == 0x28 || op == 0x2A || op == 0x00)) {
            if (task.dataOut() != null) task.dataOut().release();
            return CompletableFuture.completedFuture(new ScsiResponse(ScsiResponse.CHECK_CONDITION,
                    Sense.NOT_READY_STANDBY, Unpooled.EMPTY_BUFFER, 0, false, false));
        }
        return null;
    }

    @Test
    void aPersonalityAnswersWhatItChangesAndPassesTheRest() {
        try (TestLu t = new TestLu(b -> b.tpgs(InquiryData.TPGS_IMPLICIT)
                .interceptor(PersonalityHookTest::standbyGroup2))) {
            t.run(A, TUR).expect(Expect.GOOD);
            t.run(B, TUR).expect(Expect.check("NOT READY STANDBY", Sense.NOT_READY_STANDBY));
            t.run(B, TestLu.write10(0, 1), new byte[512])
                    .expect(Expect.check("NOT READY STANDBY", Sense.NOT_READY_STANDBY));
            assertThat(t.run(B, RTPG).expect(Expect.GOOD).hex()).startsWith("000000100001");
            t.run(B, "12 00 00 00 60 00").expect(Expect.GOOD);
            t.run(A, TestLu.write10(0, 1), new byte[512]).expect(Expect.GOOD);
        }
    }

    @Test
    void unitAttentionsComeBeforeThePersonality() {
        AtomicInteger seen = new AtomicInteger();
        try (TestLu t = new TestLu(b -> b.interceptor((task, lu) -> {
            seen.incrementAndGet();
            return null;
        }))) {
            t.lu.nexusAdded(B);
            t.run(B, TUR).expect(Expect.POWER_ON_RESET);
            assertThat(seen).hasValue(0);
            t.run(B, TUR).expect(Expect.GOOD);
            assertThat(seen).hasValue(1);
        }
    }

    @Test
    void aPersonalityMayAnswerOpcodesTheDiskDoesNotKnow() {
        try (TestLu t = new TestLu(b -> b.interceptor((task, lu) -> (task.cdb()[0] & 0xFF) == 0xC9
                ? CompletableFuture.completedFuture(ScsiResponse.good(Unpooled.wrappedBuffer(new byte[] {1, 2})))
                : null))) {
            assertThat(t.run(A, "c9 00 00 00 00 00").expect(Expect.GOOD).hex()).isEqualTo("0102");
            t.run(A, "c8 00 00 00 00 00").expect(Expect.INVALID_OPERATION_CODE);
        }
    }

    @Test
    void aThrowingPersonalityIsAnInternalTargetFailureAndTheDataIsStillReleased() {
        try (TestLu t = new TestLu(b -> b.interceptor((task, lu) -> {
            throw new IllegalStateException("personality bug");
        }))) {
            t.run(A, TestLu.write10(0, 1), new byte[512]).expect(Expect.INTERNAL_TARGET_FAILURE);
        }
    }

    @Test
    void vendorVpdPagesAreListedAndServed() {
        byte[] c0 = VpdPage.encode(0, 0xC0, new byte[] {0x11, 0x22});
        try (TestLu t = new TestLu(b -> b.vpdPage(0xC0, n -> c0))) {
            assertThat(t.run(A, "12 01 00 00 ff 00").expect(Expect.GOOD).hex()).isEqualTo("00000007008083b0b1b2c0");
            assertThat(t.run(A, "12 01 c0 00 ff 00").expect(Expect.GOOD).data()).isEqualTo(c0);
        }
    }

    @Test
    void reportLunsAnswersTheInventoryOfTheNexus() {
        try (TestLu t = new TestLu(b -> b.luns(n -> n.equals(A)
                ? List.of(io.mpathgw.scsi.Lun.of(0), io.mpathgw.scsi.Lun.of(300)) : List.of(io.mpathgw.scsi.Lun.of(0))))) {
            assertThat(t.run(A, "a0 00 00 00 00 00 00 00 01 00 00 00").expect(Expect.GOOD).hex())
                    .isEqualTo("00000010" + "00000000" + "0000000000000000" + "412c000000000000");
            assertThat(t.run(B, "a0 00 02 00 00 00 00 00 01 00 00 00").expect(Expect.GOOD).hex())
                    .isEqualTo("00000008" + "00000000" + "0000000000000000");
        }
    }
}
