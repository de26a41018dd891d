package io.mpathgw.gateway.check;

import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.RdacMode;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.mpathgw.gateway.check.SimPaths.TIMEOUT;
import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rdac checker: against the simulated RDAC array (VPD 0xC9 through the owning and the other controller, a
 * failover, I/O shipping, PDL, a dead controller), and the byte-level decoding of page 0xC9's target port group
 * fields that the simulator does not produce.
 */
class RdacCheckerTest {

    static CheckResult check(ScsiTransport p) throws Exception {
        return SimPaths.check("rdac", p);
    }

    @Test
    void theOwnerIsUpTheOtherControllerAGhostUntilAFailoverSwapsThem() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            f.assertFailoverSwapsUpAndGhost("rdac", 0, 2);
        }
    }

    @Test
    void inIoShippingModeEveryPathIsUp() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC).rdacMode(RdacMode.IOSHIP))) {
            assertThat(check(f.path(2)).state()).isEqualTo(PathState.UP);
        }
    }

    @Test
    void lossOfTheLunOrOfTheControllerIsDownWithItsReason() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            f.sim.controller(0).kill();
            f.awaitDown(0);
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.DOWN, "rdac checker reports path is down: inquiry failed"));
            assertThat(check(b).state()).isEqualTo(PathState.UP);        // B took the LUN over
            f.sim.lun(0).pdl(true);
            assertThat(check(b)).isEqualTo(new CheckResult(PathState.DOWN,
                    "rdac checker reports path is down: lun not connected"));
        }
    }

    @Test
    void aDeviceWithoutPageC9IsWildAndABlackholedPortalTimesOut() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            ScsiTransport a = f.path(0);
            f.sim.lun(0).inject(SenseInjection.of(Sense.INVALID_FIELD_IN_CDB, 1).onOpcode(Cdb.INQUIRY));
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.WILD, "rdac checker doesn't support this device"));
            f.sim.lun(0).inject(SenseInjection.of(Sense.INTERNAL_TARGET_FAILURE, 1).onOpcode(Cdb.INQUIRY));
            assertThat(check(a).message()).isEqualTo("rdac checker reports path is down: inquiry failed");
            f.sim.portal(0).blackhole(true);
            assertThat(check(a).state()).isEqualTo(PathState.TIMEOUT);
        }
    }

    /** The first check tries to set TAS; our target keeps no saved pages and refuses SP=1, and the check goes on. */
    @Test
    void theFirstCheckTriesToSetTasOnce() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            ScsiTransport a = f.path(0);
            RdacChecker c = (RdacChecker) Checkers.create("rdac");
            long before = f.sim.lun(0).commands();
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
            assertThat(f.sim.lun(0).commands() - before).as("MODE SENSE current, changeable, MODE SELECT, INQUIRY")
                    .isEqualTo(4);
            assertThat(c.tasSet()).isFalse();
            before = f.sim.lun(0).commands();
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
            assertThat(f.sim.lun(0).commands() - before).isEqualTo(1);
        }
    }

    static byte[] controlPage(int tasByte) {
        byte[] b = new byte[TasBit.LENGTH];
        b[1] = 18;                              // MODE DATA LENGTH
        b[8] = (byte) 0x8A;                     // PS, Control
        b[9] = 0x0A;
        b[TasBit.TAS_BYTE] = (byte) tasByte;
        return b;
    }

    static byte[] c9Owned() {
        byte[] c9 = new byte[RdacChecker.LENGTH];
        c9[1] = (byte) 0xC9;
        c9[8] = 0x01;
        return c9;
    }

    @Test
    void tasIsSetOnlyWhenClearAndChangeable() throws Exception {
        CannedTransport already = new CannedTransport().good(controlPage(0x40)).good(c9Owned());
        RdacChecker c = (RdacChecker) Checkers.create("rdac");
        assertThat(await(c.check(already, TIMEOUT)).state()).isEqualTo(PathState.UP);
        assertThat(already.opcodes()).containsExactly(Cdb.MODE_SENSE_10, Cdb.INQUIRY);
        assertThat(c.tasSet()).isTrue();

        CannedTransport fixed = new CannedTransport().good(controlPage(0)).good(controlPage(0)).good(c9Owned());
        c = (RdacChecker) Checkers.create("rdac");
        assertThat(await(c.check(fixed, TIMEOUT)).state()).isEqualTo(PathState.UP);
        assertThat(fixed.opcodes()).containsExactly(Cdb.MODE_SENSE_10, Cdb.MODE_SENSE_10, Cdb.INQUIRY);
        assertThat(fixed.commands.get(1).cdb()[2]).as("PC changeable, page 0Ah").isEqualTo((byte) 0x4A);
        assertThat(c.tasSet()).isFalse();

        CannedTransport settable = new CannedTransport().good(controlPage(0x02)).good(controlPage(0x40))
                .status(io.mpathgw.scsi.ScsiResponse.GOOD).good(c9Owned());
        c = (RdacChecker) Checkers.create("rdac");
        assertThat(await(c.check(settable, TIMEOUT)).state()).isEqualTo(PathState.UP);
        assertThat(settable.opcodes()).containsExactly(Cdb.MODE_SENSE_10, Cdb.MODE_SENSE_10, Cdb.MODE_SELECT_10,
                Cdb.INQUIRY);
        io.mpathgw.scsi.ScsiCommand select = settable.commands.get(2);
        assertThat(select.cdb()[1]).as("SP").isEqualTo((byte) 0x01);
        byte[] list = io.netty.buffer.ByteBufUtil.getBytes(select.dataOut());
        select.dataOut().release();
        assertThat(list).hasSize(TasBit.LENGTH);
        assertThat(list[1]).as("MODE DATA LENGTH reserved").isZero();
        assertThat(list[8]).as("PS cleared").isEqualTo((byte) 0x0A);
        assertThat(list[TasBit.TAS_BYTE]).as("TAS set, other bits kept").isEqualTo((byte) 0x42);
        assertThat(c.tasSet()).isTrue();
        assertThat(already.allReleased() && fixed.allReleased() && settable.allReleased()).isTrue();
    }

    /** Page 0xC9 bytes 0, 8, 10, 11, 12 as rdac.c reads them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "owner                       |00|01|00|00|00|UP|rdac checker reports path is up",
        "not owner                   |00|00|00|00|00|GHOST|rdac checker reports path is ghost",
        "ioship                      |00|20|00|00|00|UP|rdac checker reports path is up",
        "qualifier 1                 |20|01|00|00|00|DOWN|rdac checker reports path is down: lun not connected",
        "no LU (7F)                  |7F|01|00|00|00|DOWN|rdac checker reports path is down: lun not connected",
        "unavailable, non-responsive |00|11|03|02|00|DOWN|rdac checker reports path is down: non-responsive to queries",
        "unavailable, held in reset  |00|11|03|03|00|DOWN|rdac checker reports path is down: ctlr held in reset",
        "unavailable, firmware dl 1  |00|11|03|04|00|DOWN|rdac checker reports path is down: ctlr firmware downloading",
        "unavailable, firmware dl 2  |00|11|03|05|00|DOWN|rdac checker reports path is down: ctlr firmware downloading",
        "unavailable, quiesced       |00|11|03|06|00|DOWN|rdac checker reports path is down: ctlr quiesced by admin request",
        "unavailable, service mode   |00|11|03|07|00|DOWN|rdac checker reports path is down: ctlr is in service mode",
        "unavailable, other reason   |00|11|03|09|00|DOWN|rdac checker reports path is down: ctlr is unavailable",
        "unavailable without TPGDE   |00|01|03|02|00|UP|rdac checker reports path is up",
        "booting: only this one T    |00|11|0F|00|00|DOWN|rdac checker reports path is down: ctlr is in startup sequence",
        "both transitioning          |00|11|0F|00|0F|UP|rdac checker reports path is up",
        "standby, not owner          |00|10|02|00|00|GHOST|rdac checker reports path is ghost",
    })
    void pageC9IsDecodedAsRdacCDoes(String name, String pq, String avtcvp, String aasCur, String vsCur, String aasAlt,
                                    PathState state, String message) {
        byte[] c9 = new byte[RdacChecker.LENGTH];
        c9[0] = (byte) Integer.parseInt(pq, 16);
        c9[1] = (byte) 0xC9;
        c9[8] = (byte) Integer.parseInt(avtcvp, 16);
        c9[10] = (byte) Integer.parseInt(aasCur, 16);
        c9[11] = (byte) Integer.parseInt(vsCur, 16);
        c9[12] = (byte) Integer.parseInt(aasAlt, 16);
        assertThat(new RdacChecker().decode(c9)).isEqualTo(new CheckResult(state, message));
    }
}
