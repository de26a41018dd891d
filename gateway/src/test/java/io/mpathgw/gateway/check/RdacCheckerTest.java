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
        return await(Checkers.create("rdac").check(p, TIMEOUT));
    }

    @Test
    void theOwnerIsUpTheOtherControllerAGhostUntilAFailoverSwapsThem() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.RDAC))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            assertThat(check(a)).isEqualTo(new CheckResult(PathState.UP, "rdac checker reports path is up"));
            assertThat(check(b)).isEqualTo(new CheckResult(PathState.GHOST, "rdac checker reports path is ghost"));
            f.sim.failover(1);
            assertThat(check(a).state()).isEqualTo(PathState.GHOST);
            assertThat(check(b).state()).isEqualTo(PathState.UP);
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
