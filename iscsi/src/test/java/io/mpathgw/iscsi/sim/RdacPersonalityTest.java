package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ModePage;
import io.mpathgw.scsi.ParameterList;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.VpdPage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static io.mpathgw.iscsi.sim.SimFixture.data;
import static io.mpathgw.iscsi.sim.SimFixture.expectCheck;
import static io.mpathgw.iscsi.sim.SimFixture.expectGood;
import static io.mpathgw.iscsi.sim.SimFixture.read;
import static io.mpathgw.iscsi.sim.SimFixture.tur;
import static io.mpathgw.iscsi.sim.SimFixture.vpd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rdac personality through our initiator (spec §6.2): the vendor pages as scsi_dh_rdac reads them, the
 * ownership MODE SELECT in both sizes (byte images built here as the kernel builds them), MODE SENSE of page 0x2C,
 * and what the non-owner does in each mode. Portal 0 is controller A, portal 1 controller B.
 */
class RdacPersonalityTest {

    static final Sense NOT_OWNER = Sense.of(Sense.ILLEGAL_REQUEST, 0x94, 0x01);

    static SimFixture rdac(Consumer<ArraySimulatorBuilder> more) throws InterruptedException {
        return new SimFixture(b -> {
            b.personality(Personality.RDAC).portalsPerController(1).transitionTime(Duration.ofMillis(150))
                    .lun(LunSpec.of(0, 8 << 20)).lun(LunSpec.of(1, 8 << 20).withPreferred(1));
            more.accept(b);
        });
    }

    /** The page 0x2C common block and LUN table as scsi_dh_rdac fills them: rdac_mode[1] 02h, timeout 20, forced. */
    static byte[] page2c(int lunTable, int reserved, int rdacMode, int... luns) {
        byte[] p = new byte[38 + lunTable + reserved];
        p[33] = (byte) rdacMode;
        p[36] = 20;
        p[37] = 0x02;
        for (int l : luns) p[38 + l] = (byte) 0x81;
        return p;
    }

    /** 110 bytes: MODE SELECT(6), PF 0, as the kernel's legacy form. */
    static ScsiCommand legacyModeSelect(int rdacMode, int... luns) {
        byte[] list = ParameterList.modeSelect6(List.of(ModePage.of(0x2C, page2c(32, 34, rdacMode, luns))));
        assertThat(list).hasSize(110);
        return SimFixture.writeData(Cdb.modeSelect6(false, false, list.length), list);
    }

    /** 308 bytes: MODE SELECT(10), page 0x2C subpage 01h, 256 LUNs. */
    static ScsiCommand expandedModeSelect(int... luns) {
        byte[] list = ParameterList.modeSelect10(List.of(new ModePage(0x2C, 0x01, true, false,
                page2c(256, 2, 0x02, luns))));
        assertThat(list).hasSize(308);
        return SimFixture.writeData(Cdb.modeSelect10(false, false, list.length), list);
    }

    static String ascii(byte[] b, int at, int n) {
        return new String(b, at, n, StandardCharsets.US_ASCII);
    }

    @Test
    void vendorPagesDescribeArrayControllerAndOwnership() throws Exception {
        try (SimFixture f = rdac(b -> { })) {
            Session a = f.login(0);
            Session b = f.login(1);
            assertThat(VpdPage.supportedPages(data(a, 0, vpd(0x00, 64)))).contains(0xC0, 0xC2, 0xC4, 0xC8, 0xC9);
            byte[] c9a = data(a, 0, vpd(0xC9, 48));
            byte[] c9b = data(b, 0, vpd(0xC9, 48));
            assertThat(c9a).hasSize(48);
            assertThat(c9a[1] & 0xFF).isEqualTo(0xC9);
            assertThat(c9a[3]).isEqualTo((byte) 0x2C);
            assertThat(ascii(c9a, 4, 4)).isEqualTo("vace");
            assertThat(new int[] {c9a[8], c9a[9], c9b[8], c9b[9]}).containsExactly(0x01, 0x01, 0x00, 0x00);
            byte[] c9lun1 = data(b, 1, vpd(0xC9, 48));
            assertThat(new int[] {c9lun1[8], c9lun1[9]}).containsExactly(0x00, 0x01);   // preferred B, owned by A
            assertThat(data(a, 0, vpd(0xC4, 32))[29]).isEqualTo((byte) '1');
            assertThat(data(b, 0, vpd(0xC4, 32))[29]).isEqualTo((byte) '2');
            byte[] c8 = data(b, 1, vpd(0xC8, 175));
            assertThat(ascii(c8, 4, 4)).isEqualTo("edid");
            assertThat(c8[174]).isEqualTo((byte) 1);
            assertThat(c8[89]).isEqualTo((byte) 16);
            byte[] c2 = data(a, 0, vpd(0xC2, 255));
            assertThat(ascii(c2, 4, 4)).isEqualTo("swr4");
            assertThat(c2[15]).isEqualTo((byte) 31);
            assertThat(ascii(data(a, 0, vpd(0xC0, 64)), 4, 4)).isEqualTo("hwr4");
        }
    }

    @Test
    void theNonOwnerRefusesMediaAccessWith9401() throws Exception {
        try (SimFixture f = rdac(b -> { })) {
            Session b = f.login(1);
            expectCheck(b, 0, read(0, 8), NOT_OWNER);
            expectCheck(b, 0, SimFixture.write(0, new byte[512]), NOT_OWNER);
            expectGood(b, 0, tur());
            expectGood(b, 0, ScsiCommand.read(Cdb.readCapacity16(32), 32));
            expectGood(f.login(0), 0, read(0, 8));
        }
    }

    /** The 110-byte MODE SELECT through B moves every LUN marked 0x81, after the quiescence time. */
    @Test
    void legacyModeSelectMovesTheMarkedLuns() throws Exception {
        try (SimFixture f = rdac(b -> { })) {
            Session a = f.login(0);
            Session b = f.login(1);
            long t0 = System.nanoTime();
            expectGood(b, 0, legacyModeSelect(0x02, 0, 1));
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(140).toNanos());
            assertThat(f.sim.lun(0).owner()).isEqualTo(1);
            assertThat(f.sim.lun(1).owner()).isEqualTo(1);
            expectGood(b, 1, read(0, 8));
            expectCheck(a, 1, read(0, 8), NOT_OWNER);
            assertThat(data(b, 0, vpd(0xC9, 48))[8]).isEqualTo((byte) 0x01);
            byte[] sense = data(b, 0, ScsiCommand.read(Cdb.modeSense6(true, Cdb.PageControl.CURRENT, 0x2C, 0, 255), 255));
            assertThat(sense).hasSize(4 + 2 + 0x68);
            assertThat(sense[4]).isEqualTo((byte) 0x2C);
            assertThat(sense[4 + 2 + 38]).isEqualTo((byte) 0x81);
            assertThat(sense[4 + 2 + 39]).isEqualTo((byte) 0x81);
            byte[] fromA = data(a, 0, ScsiCommand.read(Cdb.modeSense6(true, Cdb.PageControl.CURRENT, 0x2C, 0, 255), 255));
            assertThat(fromA[4 + 2 + 38]).isZero();
        }
    }

    @Test
    void expandedModeSelectMovesALunBeyond31() throws Exception {
        try (SimFixture f = new SimFixture(b -> b.personality(Personality.RDAC).portalsPerController(1)
                .rdacMaxLunSupported(255).transitionTime(Duration.ZERO).lun(LunSpec.of(40, 1 << 20)))) {
            Session b = f.login(1);
            assertThat(data(b, 40, vpd(0xC2, 255))[15]).isEqualTo((byte) 255);
            expectCheck(b, 40, read(0, 1), NOT_OWNER);
            expectGood(b, 40, expandedModeSelect(40));
            assertThat(f.sim.lun(40).owner()).isEqualTo(1);
            expectGood(b, 40, read(0, 1));
            byte[] sense = data(b, 40, ScsiCommand.read(Cdb.modeSense10(true, Cdb.PageControl.CURRENT, 0x2C, 1, 400), 400));
            assertThat(sense).hasSize(8 + 4 + 0x128);
            assertThat(sense[8 + 4 + 38 + 40]).isEqualTo((byte) 0x81);
        }
    }

    @Test
    void malformedOwnershipPagesAreInvalidParameters() throws Exception {
        try (SimFixture f = rdac(b -> { })) {
            Session b = f.login(1);
            expectCheck(b, 0, legacyModeSelect(0x01, 0), Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            expectCheck(b, 0, legacyModeSelect(0x02, 7), Sense.INVALID_FIELD_IN_PARAMETER_LIST);  // no LUN 7
            byte[] shortPage = ParameterList.modeSelect6(List.of(ModePage.of(0x2C, new byte[40])));
            expectCheck(b, 0, SimFixture.writeData(Cdb.modeSelect6(false, false, shortPage.length), shortPage),
                    Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            byte[] truncated = new byte[8 + 2];                 // page 0x6C cut after its first two bytes
            truncated[8] = 0x6C;
            truncated[9] = 0x01;
            expectCheck(b, 0, SimFixture.writeData(Cdb.modeSelect10(false, false, truncated.length), truncated),
                    Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            assertThat(f.sim.lun(0).owner()).isZero();
        }
    }

    @Test
    void avtMovesTheLunWithTheIoAndIoshipServesIt() throws Exception {
        try (SimFixture f = rdac(b -> b.rdacMode(RdacMode.AVT))) {
            Session b = f.login(1);
            assertThat(data(b, 0, vpd(0xC9, 48))[8]).isEqualTo((byte) 0x80);
            expectGood(b, 0, read(0, 8));
            assertThat(f.sim.lun(0).owner()).isEqualTo(1);
            assertThat(data(b, 0, vpd(0xC9, 48))[8]).isEqualTo((byte) 0x81);
        }
        try (SimFixture f = rdac(b -> b.rdacMode(RdacMode.IOSHIP))) {
            Session b = f.login(1);
            assertThat(data(b, 0, vpd(0xC9, 48))[8]).isEqualTo((byte) 0x20);
            expectGood(b, 0, read(0, 8));
            assertThat(f.sim.lun(0).owner()).isZero();
        }
    }

    @Test
    void killingTheOwnerMovesItsLunsToTheSurvivor() throws Exception {
        try (SimFixture f = rdac(b -> { })) {
            Session b = f.login(1);
            f.sim.controller(0).kill();
            assertThat(f.sim.lun(0).owner()).isEqualTo(1);
            expectGood(b, 0, read(0, 8));
            assertThat(f.sim.controller(0).alive()).isFalse();
        }
    }
}
