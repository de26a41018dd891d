package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ModePage;
import io.mpathgw.scsi.ParameterList;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.mpathgw.iscsi.sim.SimFixture.data;
import static io.mpathgw.iscsi.sim.SimFixture.expectCheck;
import static io.mpathgw.iscsi.sim.SimFixture.expectGood;
import static io.mpathgw.iscsi.sim.SimFixture.read;
import static io.mpathgw.iscsi.sim.SimFixture.tur;
import static io.mpathgw.iscsi.sim.SimFixture.vpd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emc personality through our initiator (spec §6.3): the long CLARiiON INQUIRY, VPD 0xC0 per SP, the long and
 * short trespass (byte images as scsi_dh_emc sends them), NOT READY 04/03 on the passive SP. Portals 0, 1 are SP A,
 * portals 2, 3 SP B.
 */
class EmcPersonalityTest {

    static SimFixture emc(String model) throws InterruptedException {
        return new SimFixture(b -> b.personality(Personality.EMC).emcModel(model)
                .transitionTime(Duration.ofMillis(100)).lun(LunSpec.of(0, 8 << 20).withPreferred(1)));
    }

    /** Long trespass: MODE SELECT(10), byte 1 clear, 19 bytes — header, 22h 09h, code, FFFFh, 6 reserved. */
    static ScsiCommand longTrespass(int code) {
        byte[] list = ParameterList.modeSelect10(List.of(ModePage.of(0x22,
                new byte[] {(byte) code, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0, 0, 0})));
        assertThat(list).hasSize(19);
        return SimFixture.writeData(Cdb.modeSelect10(false, false, list.length), list);
    }

    /** Short trespass: MODE SELECT(6) with PF, 8 bytes — header, 22h 02h, code, FFh. */
    static ScsiCommand shortTrespass(int code) {
        byte[] list = ParameterList.modeSelect6(List.of(ModePage.of(0x22, new byte[] {(byte) code, (byte) 0xFF})));
        assertThat(list).hasSize(8);
        return SimFixture.writeData(Cdb.modeSelect6(true, false, list.length), list);
    }

    @Test
    void longInquiryCarriesTheSpModelAndVpdC0ThePathsView() throws Exception {
        try (SimFixture f = emc("CX4-480")) {
            Session a = f.login(1);
            Session b = f.login(2);
            byte[] inq = data(a, 0, SimFixture.inquiry(255));
            assertThat(new String(inq, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("DGC     ");
            int serial = inq[160];
            assertThat((inq[4] & 0xFF) + 5).isEqualTo(inq.length).isGreaterThan(160);
            assertThat(new String(inq, 161 + serial, inq[99], StandardCharsets.US_ASCII).trim()).isEqualTo("CX4-480");
            byte[] c0a = data(a, 0, vpd(0xC0, 252));
            byte[] c0b = data(b, 0, vpd(0xC0, 252));
            // LUN state, default SP, port, current SP, then the checker's format bytes
            assertThat(new int[] {c0a[4], c0a[5], c0a[7], c0a[8]}).containsExactly(2, 1, 1, 0);
            assertThat(new int[] {c0b[4], c0b[5], c0b[7], c0b[8]}).containsExactly(1, 1, 0, 1);
            assertThat(new int[] {c0a[1] & 0xFF, c0a[9], c0a[27], c0a[28] & 7, c0a[30] & 4, c0a[48]})
                    .containsExactly(0xC0, 0, 3, 4, 4, 0);
            assertThat(Arrays.copyOfRange(c0a, 10, 26)).isEqualTo(f.sim.lun(0).naa());
        }
    }

    @Test
    void thePassiveSpAnswers0403AndALongTrespassMovesTheLun() throws Exception {
        try (SimFixture f = emc("VNX5300")) {
            Session a = f.login(0);
            Session b = f.login(2);
            expectCheck(b, 0, tur(), EmcPersonality.NOT_OWNER);
            expectCheck(b, 0, read(0, 8), EmcPersonality.NOT_OWNER);
            expectGood(b, 0, ScsiCommand.read(Cdb.readCapacity10(), 8));
            expectGood(b, 0, longTrespass(0x81));
            assertThat(f.sim.lun(0).owner()).isEqualTo(1);
            assertThat(((EmcPersonality) f.sim.lun(0).personality()).lastTrespass())
                    .isEqualTo("long trespass to SP B, code 0x81");
            expectGood(b, 0, read(0, 8));
            expectCheck(a, 0, tur(), EmcPersonality.NOT_OWNER);
            assertThat(data(b, 0, vpd(0xC0, 252))[4]).isEqualTo((byte) 2);
        }
    }

    @Test
    void shortTrespassAndBadCodes() throws Exception {
        try (SimFixture f = emc("FC4700")) {
            Session b = f.login(3);
            expectCheck(b, 0, shortTrespass(0x05), Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            expectGood(b, 0, shortTrespass(0x01));
            assertThat(((EmcPersonality) f.sim.lun(0).personality()).lastTrespass())
                    .isEqualTo("short trespass to SP B, code 0x01");
            assertThat(f.sim.lun(0).owner()).isEqualTo(1);
        }
    }

    /** A MODE SELECT of another page is the LU's: the personality leaves its Data-Out alone. */
    @Test
    void otherModePagesPassToTheDisk() throws Exception {
        try (SimFixture f = emc("VNX5300")) {
            Session a = f.login(0);
            byte[] caching = data(a, 0, ScsiCommand.read(Cdb.modeSense10(true, Cdb.PageControl.CURRENT, 0x08, 0, 64), 64));
            byte[] page = Arrays.copyOfRange(caching, 8 + 2, 8 + 2 + 0x12);
            byte[] list = ParameterList.modeSelect10(List.of(ModePage.of(0x08, page)));
            expectGood(a, 0, SimFixture.writeData(Cdb.modeSelect10(true, false, list.length), list));
        }
    }
}
