package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.mpathgw.iscsi.target.sbc.TestLu.A;
import static io.mpathgw.iscsi.target.sbc.TestLu.B;
import static org.assertj.core.api.Assertions.assertThat;

/** Unit attention conditions per I_T nexus (SPC-4 §5.14, SAM-5 §5.14 and §6.3.3). */
class UnitAttentionTest {

    private static final String TUR = "00 00 00 00 00 00";
    private static final String INQUIRY = "12 00 00 00 60 00";
    private static final String REPORT_LUNS = "a0 00 00 00 00 00 00 00 00 10 00 00";
    private static final String REQUEST_SENSE = "03 00 00 00 12 00";

    private final TestLu t = new TestLu(b -> b.tpgs(InquiryData.TPGS_IMPLICIT));

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aNewNexusSeesPowerOnOnceThenGood() {
        t.lu.nexusAdded(A);
        t.run(A, TUR).expect(Expect.POWER_ON_RESET);
        t.run(A, TUR).expect(Expect.GOOD);
    }

    @Test
    void aNexusNeverAddedStartsWithoutUnitAttention() {
        t.run(B, TUR).expect(Expect.GOOD);
        assertThat(t.lu.nexuses()).containsExactly(B);
    }

    @Test
    void inquiryAndReportLunsNeitherBlockNorConsume() {
        t.lu.nexusAdded(A);
        t.run(A, INQUIRY).expect(Expect.GOOD);
        t.run(A, REPORT_LUNS).expect(Expect.GOOD);
        t.run(A, "12 01 83 00 ff 00").expect(Expect.GOOD);
        t.run(A, "28 00 00 00 00 00 00 00 01 00").expect(Expect.POWER_ON_RESET);
        t.run(A, "28 00 00 00 00 00 00 00 01 00").expect(Expect.GOOD);
    }

    @Test
    void requestSenseReturnsTheConditionAsDataAndClearsIt() {
        t.lu.nexusAdded(A);
        TestLu.Result r = t.run(A, REQUEST_SENSE).expect(Expect.GOOD);
        assertThat(r.hex()).isEqualTo("700006000000000a00000000290000000000");
        assertThat(t.run(A, "03 01 00 00 12 00").expect(Expect.GOOD).hex()).isEqualTo("7200000000000000");
        t.run(A, TUR).expect(Expect.GOOD);
    }

    @Test
    void anUnknownOpcodeStillReportsTheUnitAttentionFirst() {
        t.lu.nexusAdded(A);
        t.run(A, "02 00 00 00 00 00").expect(Expect.POWER_ON_RESET);
        t.run(A, "02 00 00 00 00 00").expect(Expect.INVALID_OPERATION_CODE);
    }

    @Test
    void capacityInquiryAndAluaChangesReachEveryNexusInOrder() {
        t.run(A, TUR);
        t.run(B, TUR);
        t.lu.capacityChanged();
        t.lu.inquiryDataChanged();
        t.lu.asymmetricAccessStateChanged(null);
        t.lu.capacityChanged();                                   // already pending: not queued twice
        for (Nexus n : new Nexus[] {A, B}) {
            t.run(n, TUR).expect(Expect.CAPACITY_DATA_CHANGED);
            t.run(n, TUR).expect(Expect.INQUIRY_DATA_CHANGED);
            t.run(n, TUR).expect(Expect.ASYMMETRIC_ACCESS_STATE_CHANGED);
            t.run(n, TUR).expect(Expect.GOOD);
        }
    }

    @Test
    void anExplicitTransitionSparesTheNexusThatAskedForIt() {
        t.run(A, TUR);
        t.run(B, TUR);
        t.lu.asymmetricAccessStateChanged(A);
        t.run(A, TUR).expect(Expect.GOOD);
        t.run(B, TUR).expect(Expect.ASYMMETRIC_ACCESS_STATE_CHANGED);
    }

    @Test
    void logicalUnitResetReachesEveryNexusTheIssuerIncludedAheadOfOthers() {
        t.run(A, TUR);
        t.run(B, TUR);
        t.lu.capacityChanged();
        t.lu.reset(A);
        for (Nexus n : new Nexus[] {A, B}) {
            t.run(n, TUR).expect(Expect.BUS_DEVICE_RESET);
            t.run(n, TUR).expect(Expect.CAPACITY_DATA_CHANGED);
            t.run(n, TUR).expect(Expect.GOOD);
        }
    }

    @Test
    void logicalUnitResetReleasesReserve6AndRestoresModePages() {
        t.run(B, TUR).expect(Expect.GOOD);
        t.run(A, "16 00 00 00 00 00").expect(Expect.GOOD);
        t.run(B, TUR).expect(Expect.RESERVATION_CONFLICT);
        t.run(A, "15 10 00 00 10 00", TestLu.cdb("00 00 00 00 0a 0a 00 10 08 00 00 00 ff ff 00 00"))
                .expect(Expect.GOOD);
        t.run(A, "2a 00 00 00 00 00 00 00 01 00", new byte[512]).expect(Expect.SOFTWARE_WRITE_PROTECTED);
        t.lu.reset(B);
        t.run(B, TUR).expect(Expect.BUS_DEVICE_RESET);
        t.run(B, TUR).expect(Expect.MODE_PARAMETERS_CHANGED);      // still pending from A's MODE SELECT
        t.run(B, "16 00 00 00 00 00").expect(Expect.GOOD);          // A's reservation is gone
        t.run(B, "17 00 00 00 00 00").expect(Expect.GOOD);
        t.run(A, TUR).expect(Expect.BUS_DEVICE_RESET);
        t.run(A, "2a 00 00 00 00 00 00 00 01 00", new byte[512]).expect(Expect.GOOD);   // SWP back to 0
    }

    @Test
    void modeSelectTellsTheOtherNexusesOnly() {
        t.run(A, TUR);
        t.run(B, TUR);
        t.run(A, "15 10 00 00 18 00", TestLu.cdb("00 00 00 00 08 12 00 00*17")).expect(Expect.GOOD);
        t.run(A, TUR).expect(Expect.GOOD);
        t.run(B, TUR).expect(Expect.MODE_PARAMETERS_CHANGED);
        // the same values again change nothing, so nobody is told
        t.run(A, "15 10 00 00 18 00", TestLu.cdb("00 00 00 00 08 12 00 00*17")).expect(Expect.GOOD);
        t.run(B, TUR).expect(Expect.GOOD);
    }

    @Test
    void reportLunsClearsReportedLunsDataChanged() {
        t.run(A, TUR);
        t.lu.reportedLunsDataChanged();
        t.lu.capacityChanged();
        t.run(A, REPORT_LUNS).expect(Expect.GOOD);
        t.run(A, TUR).expect(Expect.CAPACITY_DATA_CHANGED);
        t.run(A, TUR).expect(Expect.GOOD);
    }

    @Test
    void withDSenseTheUnitAttentionComesInDescriptorFormat() {
        t.run(A, "15 10 00 00 10 00", TestLu.cdb("00 00 00 00 0a 0a 04 10 00 00 00 00 ff ff 00 00"))
                .expect(Expect.GOOD);
        t.lu.capacityChanged();
        TestLu.Result r = t.run(A, TUR).expect(Expect.CAPACITY_DATA_CHANGED);
        assertThat(r.reply().senseBytes()).containsExactly(TestLu.cdb("72 06 2a 09 00 00 00 00"));
        assertThat(r.reply().response().sense().isDescriptorFormat()).isTrue();
    }

    @Test
    void aNexusThatLeftForgetsItsConditions() {
        t.lu.nexusAdded(A);
        t.lu.nexusRemoved(A);
        assertThat(t.lu.nexuses()).isEmpty();
        t.run(A, TUR).expect(Expect.GOOD);
    }

    @Test
    void aCustomConditionGoesWhereThePredicateSays() {
        t.run(A, TUR);
        t.run(B, TUR);
        t.lu.unitAttention(Sense.IMPLICIT_TRANSITION_FAILED, n -> n.targetPortGroup() == 2);
        t.run(A, TUR).expect(Expect.GOOD);
        t.run(B, TUR).expect(Expect.check("UA IMPLICIT TRANSITION FAILED", Sense.IMPLICIT_TRANSITION_FAILED));
    }

    @Test
    void resetConditionsStayWhenTheQueueOverflows() {
        ItNexus it = new ItNexus(A);
        it.add(Sense.POWER_ON_RESET);
        for (int i = 0; i < 40; i++) it.add(Sense.of(Sense.UNIT_ATTENTION, 0x2A, i));
        assertThat(it.take()).isEqualTo(Sense.POWER_ON_RESET);
        int n = 0;
        while (it.take() != null) n++;
        assertThat(n).isEqualTo(15);
        assertThat(it.hasPending()).isFalse();
    }
}
