package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ParameterList;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;
import io.mpathgw.scsi.Vpd83;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.mpathgw.iscsi.sim.SimFixture.data;
import static io.mpathgw.iscsi.sim.SimFixture.expectCheck;
import static io.mpathgw.iscsi.sim.SimFixture.expectGood;
import static io.mpathgw.iscsi.sim.SimFixture.read;
import static io.mpathgw.iscsi.sim.SimFixture.rtpg;
import static io.mpathgw.iscsi.sim.SimFixture.tur;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alua personality through our initiator (spec §6.1, SPC-4 §5.16): RTPG byte images with and without the
 * extended header, STPG through a transition, the unit attentions it raises, and what each state refuses.
 * Two controllers of two portals: portals 0, 1 are controller A (group 1), portals 2, 3 controller B (group 2).
 */
class AluaPersonalityTest {

    static final HexFormat HEX = HexFormat.of();
    /** STPG asking active/optimized for group 2 (B), as scsi_dh_alua sends it; a fresh buffer each time. */
    static ScsiCommand stpgB() {
        return SimFixture.writeData(Cdb.setTargetPortGroups(8), ParameterList.stpg(2, AluaState.ACTIVE_OPTIMIZED));
    }

    static SimFixture alua(Duration transition, AluaState demoted) throws InterruptedException {
        return new SimFixture(b -> b.personality(Personality.ALUA).transitionTime(transition)
                .implicitTransitionTime(7).demotedState(demoted));
    }

    @Test
    void rtpgWithAndWithoutTheExtendedHeaderAreByteExact() throws Exception {
        try (SimFixture f = alua(Duration.ofMillis(100), AluaState.ACTIVE_NON_OPTIMIZED)) {
            Session a = f.login(0);
            String groups = "80cf000100000002" + "0000000100000002" + "01cf000200000002" + "0000000300000004";
            assertThat(HEX.formatHex(data(a, 0, rtpg(true)))).isEqualTo("00000024" + "10070000" + groups);
            assertThat(HEX.formatHex(data(a, 0, rtpg(false)))).isEqualTo("00000020" + groups);
            // the same answer through controller B's port: the report is per LU, not per port
            Session b = f.login(3);
            assertThat(HEX.formatHex(data(b, 0, rtpg(false)))).isEqualTo("00000020" + groups);
        }
    }

    @Test
    void inquiryAndVpd83NameTheGroupAndPortOfThePath() throws Exception {
        try (SimFixture f = alua(Duration.ZERO, AluaState.STANDBY)) {
            Session b = f.login(3);
            assertThat(InquiryData.parse(data(b, 0, SimFixture.inquiry(96))).tpgs()).isEqualTo(InquiryData.TPGS_BOTH);
            Vpd83 page = Vpd83.parse(data(b, 0, SimFixture.vpd(0x83, 255)));
            assertThat(page.targetPortGroup()).hasValue(2);
            assertThat(page.relativeTargetPort()).hasValue(4);
            assertThat(io.mpathgw.scsi.Wwid.of(page).orElseThrow().value()).isEqualTo(f.sim.lun(0).wwid());
        }
    }

    /**
     * STPG through B asks group 2 for active/optimized: both groups transition (04/0A to media access, UA 2A/06 to
     * the other nexuses but not the sender), the STPG completes once they settle, and RTPG shows the new states
     * with status "altered by SET TARGET PORT GROUPS".
     */
    @Test
    void stpgMovesTheLunThroughATransition() throws Exception {
        try (SimFixture f = alua(Duration.ofMillis(400), AluaState.ACTIVE_NON_OPTIMIZED)) {
            Session a = f.login(0);
            Session b = f.login(2);
            long t0 = System.nanoTime();
            CompletableFuture<ScsiResponse> stpg = b.lun(0).submit(stpgB());
            Thread.sleep(100);
            assertThat(stpg).isNotDone();
            assertThat(f.sim.lun(0).aluaState(0)).isEqualTo(AluaState.TRANSITIONING);
            expectCheck(a, 0, tur(), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectCheck(a, 0, read(0, 1), Sense.NOT_READY_TRANSITIONING);
            expectCheck(b, 0, read(0, 1), Sense.NOT_READY_TRANSITIONING);    // no UA: B sent the STPG
            byte[] during = data(a, 0, rtpg(true));
            assertThat(TargetPortGroups.parse(during).groups()).allMatch(g -> g.stateCode() == 0x0F);

            ScsiResponse r = stpg.get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
            r.release();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(380);
            expectCheck(a, 0, tur(), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);     // settled: a second UA
            expectGood(a, 0, read(0, 1));                                          // A/NO still serves I/O
            expectGood(b, 0, read(0, 1));
            String groups = HEX.formatHex(data(a, 0, rtpg(false)));
            assertThat(groups).isEqualTo("00000020" + "81cf000100010002" + "0000000100000002"
                    + "00cf000200010002" + "0000000300000004");
            TargetPortGroups tpg = TargetPortGroups.parse(HEX.parseHex(groups));
            assertThat(tpg.group(1).orElseThrow().state()).hasValue(AluaState.ACTIVE_NON_OPTIMIZED);
            assertThat(tpg.group(1).orElseThrow().preferred()).isTrue();
            assertThat(tpg.group(2).orElseThrow().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
            assertThat(tpg.groups()).allMatch(g -> g.statusCode() == TargetPortGroups.PortGroup.STATUS_ALTERED_BY_STPG);
            assertThat(f.sim.lun(0).owner()).isEqualTo(1);
        }
    }

    @Test
    void standbyRefusesMediaAccessButAnswersDiscovery() throws Exception {
        try (SimFixture f = alua(Duration.ZERO, AluaState.STANDBY)) {
            Session b = f.login(2);
            expectCheck(b, 0, tur(), Sense.NOT_READY_STANDBY);
            expectCheck(b, 0, read(0, 8), Sense.NOT_READY_STANDBY);
            expectCheck(b, 0, ScsiCommand.read(Cdb.readCapacity10(), 8), Sense.NOT_READY_STANDBY);
            expectGood(b, 0, SimFixture.inquiry(36));
            expectGood(b, 0, SimFixture.vpd(0x83, 255));
            expectGood(b, 0, ScsiCommand.read(Cdb.modeSense10(true, Cdb.PageControl.CURRENT, 0x08, 0, 64), 64));
            expectGood(b, 0, ScsiCommand.read(Cdb.reportLuns(64), 64));
            assertThat(TargetPortGroups.parse(data(b, 0, rtpg(true))).group(2).orElseThrow().state())
                    .hasValue(AluaState.STANDBY);
            // STPG is allowed in standby; with no transition time it completes at once
            expectGood(b, 0, stpgB());
            expectGood(b, 0, read(0, 8));
            Session a = f.login(0);
            expectCheck(a, 0, read(0, 8), Sense.NOT_READY_STANDBY);
        }
    }

    @Test
    void eachStateAnswersWithItsOwnNotReady() throws Exception {
        try (SimFixture f = alua(Duration.ZERO, AluaState.ACTIVE_NON_OPTIMIZED)) {
            Session b = f.login(2);
            SimLun lun = f.sim.lun(0);
            lun.aluaState(1, AluaState.UNAVAILABLE, Duration.ZERO);
            expectCheck(b, 0, tur(), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectCheck(b, 0, tur(), Sense.NOT_READY_UNAVAILABLE);
            expectCheck(b, 0, ScsiCommand.read(Cdb.modeSense10(true, Cdb.PageControl.CURRENT, 0x08, 0, 64), 64),
                    Sense.NOT_READY_UNAVAILABLE);
            lun.aluaState(1, AluaState.OFFLINE, Duration.ZERO);
            expectCheck(b, 0, read(0, 1), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectCheck(b, 0, read(0, 1), Sense.of(Sense.NOT_READY, 0x04, 0x12));
            assertThat(TargetPortGroups.parse(data(b, 0, rtpg(true))).group(2).orElseThrow().stateCode())
                    .isEqualTo(0x0E);
            lun.aluaState(1, AluaState.TRANSITIONING, Duration.ZERO);     // stuck until the next change
            expectCheck(b, 0, tur(), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectCheck(b, 0, tur(), Sense.NOT_READY_TRANSITIONING);
            expectCheck(b, 0, stpgB(), Sense.NOT_READY_TRANSITIONING);
            lun.aluaState(1, AluaState.ACTIVE_NON_OPTIMIZED, Duration.ZERO);
            expectCheck(b, 0, tur(), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            expectGood(b, 0, tur());
        }
    }

    @Test
    void anArrayWithoutTheExtendedHeaderRefusesIt() throws Exception {
        try (SimFixture f = new SimFixture(b -> b.rtpgExtendedHeader(false))) {
            Session a = f.login(0);
            expectCheck(a, 0, rtpg(true), Sense.INVALID_FIELD_IN_CDB);
            assertThat(TargetPortGroups.parse(data(a, 0, rtpg(false))).extendedHeader()).isFalse();
        }
    }

    @Test
    void implicitOnlyArraysRefuseStpg() throws Exception {
        try (SimFixture f = new SimFixture(b -> b.tpgs(InquiryData.TPGS_IMPLICIT))) {
            Session b = f.login(2);
            assertThat(InquiryData.parse(data(b, 0, SimFixture.inquiry(36))).tpgs()).isEqualTo(InquiryData.TPGS_IMPLICIT);
            expectCheck(b, 0, stpgB(), Sense.INVALID_FIELD_IN_CDB);
            assertThat(f.sim.lun(0).owner()).isZero();
        }
    }

    @Test
    void stpgOfAnUnknownGroupOrStateIsAnInvalidParameter() throws Exception {
        try (SimFixture f = alua(Duration.ZERO, AluaState.STANDBY)) {
            Session a = f.login(0);
            expectCheck(a, 0, SimFixture.writeData(Cdb.setTargetPortGroups(8),
                    ParameterList.stpg(9, AluaState.ACTIVE_OPTIMIZED)), Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            expectCheck(a, 0, SimFixture.writeData(Cdb.setTargetPortGroups(8),
                    ParameterList.stpg(2, AluaState.OFFLINE)), Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            expectCheck(a, 0, SimFixture.writeData(Cdb.setTargetPortGroups(6), new byte[6]),
                    Sense.PARAMETER_LIST_LENGTH_ERROR);
        }
    }

    /** The array fails the LUN over by itself: both groups transition, then B is A/O, status "implicit". */
    @Test
    void implicitFailoverTransitionsThenSettles() throws Exception {
        try (SimFixture f = alua(Duration.ofMillis(300), AluaState.ACTIVE_NON_OPTIMIZED)) {
            Session a = f.login(1);
            f.sim.failover(1);
            expectCheck(a, 0, read(0, 1), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            assertThat(TargetPortGroups.parse(data(a, 0, rtpg(true))).groups()).allMatch(g -> g.stateCode() == 0x0F);
            expectCheck(a, 0, read(0, 1), Sense.NOT_READY_TRANSITIONING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (f.sim.lun(0).aluaState(1) != AluaState.ACTIVE_OPTIMIZED && System.nanoTime() < deadline)
                Thread.sleep(20);
            expectCheck(a, 0, tur(), Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);
            TargetPortGroups tpg = TargetPortGroups.parse(data(a, 0, rtpg(true)));
            assertThat(tpg.group(1).orElseThrow().state()).hasValue(AluaState.ACTIVE_NON_OPTIMIZED);
            assertThat(tpg.group(2).orElseThrow().state()).hasValue(AluaState.ACTIVE_OPTIMIZED);
            assertThat(tpg.groups()).allMatch(g -> g.statusCode() == TargetPortGroups.PortGroup.STATUS_ALTERED_IMPLICITLY);
        }
    }
}
