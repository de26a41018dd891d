package io.mpathgw.gateway.check;

import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.iscsi.sim.SenseInjection;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static io.mpathgw.gateway.check.SimPaths.TIMEOUT;
import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emc_clariion checker: against the simulated CLARiiON (PNR mode: SP A owns LUN 0), where the owner is up after
 * its read, the passive SP up too (never ghost), a read failing with 05/25/01 on the owner marks the map as an
 * inactive snapshot and fails the passive path of the same map; and the page 0xC0 corner cases with a scripted
 * transport — NDU in progress (shaky), unbound LUN, failover mode, format, a changed LUN WWN.
 */
class EmcClariionCheckerTest {

    static final String PREFIX = "emc_clariion checker";

    /** One map over LUN 0 as multipathd holds it: a checker per path, sharing the map's context. */
    static final class OneMap {
        final CheckerMapContext map = new CheckerMapContext();
        final ScsiTransport owner;
        final ScsiTransport passive;
        private final PathChecker ownerChecker = Checkers.create("emc_clariion", map);
        private final PathChecker passiveChecker = Checkers.create("emc_clariion", map);

        /** Paths through portal 0 (SP A, which owns LUN 0) and portal 2 (SP B). */
        OneMap(SimPaths f) throws Exception {
            owner = f.path(0);
            passive = f.path(2);
        }

        CheckResult checkOwner() throws Exception {
            return await(ownerChecker.check(owner, TIMEOUT));
        }

        CheckResult checkPassive() throws Exception {
            return await(passiveChecker.check(passive, TIMEOUT));
        }
    }

    @Test
    void bothSpsAreUpAndStayUpAcrossATrespass() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.EMC))) {
            OneMap m = new OneMap(f);
            long before = f.sim.lun(0).commands();
            assertThat(m.checkOwner()).isEqualTo(new CheckResult(PathState.UP, PREFIX + ": Active path is healthy"));
            assertThat(f.sim.lun(0).commands() - before).as("INQUIRY, READ CAPACITY, READ").isEqualTo(3);
            before = f.sim.lun(0).commands();
            assertThat(m.checkPassive().state()).isEqualTo(PathState.UP);
            assertThat(f.sim.lun(0).commands() - before).as("the passive SP is not read").isEqualTo(1);
            f.sim.failover(1);
            assertThat(m.checkOwner().state()).isEqualTo(PathState.UP);
            assertThat(m.checkPassive().state()).isEqualTo(PathState.UP);
        }
    }

    @Test
    void anInactiveSnapshotFailsThePassivePathsOfItsMapUntilTheOwnerReadsAgain() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.EMC))) {
            OneMap m = new OneMap(f);
            PathChecker other = Checkers.create("emc_clariion");      // a checker of another map
            assertThat(m.checkOwner().state()).isEqualTo(PathState.UP);
            f.sim.lun(0).inject(SenseInjection.of(EmcClariionChecker.INACTIVE_SNAPSHOT, 1).onOpcode(Cdb.READ_10));
            assertThat(m.checkOwner().state()).isEqualTo(PathState.DOWN);
            assertThat(m.map.inactiveSnapshot()).isTrue();
            assertThat(m.checkPassive().state()).isEqualTo(PathState.DOWN);
            assertThat(await(other.check(m.passive, TIMEOUT)).state()).isEqualTo(PathState.UP);
            assertThat(m.checkOwner().state()).isEqualTo(PathState.UP);
            assertThat(m.map.inactiveSnapshot()).isFalse();
            assertThat(m.checkPassive().state()).isEqualTo(PathState.UP);
            // any other read error fails only the owner's path
            f.sim.lun(0).inject(SenseInjection.of(Sense.UNRECOVERED_READ_ERROR, 1).onOpcode(Cdb.READ_10));
            assertThat(m.checkOwner()).isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": Read error"));
            assertThat(m.map.inactiveSnapshot()).isFalse();
        }
    }

    @Test
    void aKilledPortalAndALostLunAreDown() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.EMC))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            f.kill(0);
            assertThat(SimPaths.check("emc_clariion", a))
                    .isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": sending query command failed"));
            f.sim.lun(0).pdl(true);
            assertThat(SimPaths.check("emc_clariion", b).state()).isEqualTo(PathState.DOWN);
        }
    }

    /** A valid page 0xC0 of a passive SP as a CLARiiON in failover mode 4 sends it. */
    static byte[] page(Consumer<byte[]> change) {
        byte[] b = new byte[EmcClariionChecker.LENGTH];
        b[1] = (byte) 0xC0;
        b[4] = 1;
        for (int i = 0; i < 16; i++) b[10 + i] = (byte) (0x60 + i);
        b[27] = 3;
        b[28] = 4;
        b[30] = 0x04;
        change.accept(b);
        return b;
    }

    static CheckResult canned(PathChecker c, byte[] page) throws Exception {
        CannedTransport t = new CannedTransport().good(page);
        CheckResult r = await(c.check(t, TIMEOUT));
        assertThat(t.allReleased()).isTrue();
        return r;
    }

    @Test
    void pageC0CornerCases() throws Exception {
        assertThat(canned(Checkers.create("emc_clariion"), page(b -> { })).state()).isEqualTo(PathState.UP);
        assertThat(canned(Checkers.create("emc_clariion"), page(b -> b[48] = 1)))
                .isEqualTo(new CheckResult(PathState.SHAKY, PREFIX + ": Path not available for normal operations"));
        assertThat(canned(Checkers.create("emc_clariion"), page(b -> b[4] = 0)))
                .isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": Logical Unit is unbound or LUNZ"));
        assertThat(canned(Checkers.create("emc_clariion"), page(b -> b[28] = 6)).state()).isEqualTo(PathState.UP);
        for (Consumer<byte[]> bad : java.util.List.<Consumer<byte[]>>of(b -> b[28] = 1, b -> b[27] = 2, b -> b[30] = 0))
            assertThat(canned(Checkers.create("emc_clariion"), page(bad)))
                    .isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": Path not correctly configured for failover"));
        assertThat(canned(Checkers.create("emc_clariion"), page(b -> b[9] = 1)))
                .isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": Path unit report page in unknown format"));
        assertThat(canned(Checkers.create("emc_clariion"), page(b -> b[1] = (byte) 0xC1)).state()).isEqualTo(PathState.DOWN);
        // a short page reads as zeroes: wrong format, down — not an exception
        assertThat(canned(Checkers.create("emc_clariion"), new byte[] {0, (byte) 0xC0, 0, 0}).message())
                .isEqualTo(PREFIX + ": Path not correctly configured for failover");
    }

    @Test
    void theLunWwnOfTheFirstCheckIsRemembered() throws Exception {
        PathChecker c = Checkers.create("emc_clariion");
        assertThat(canned(c, page(b -> { })).state()).isEqualTo(PathState.UP);
        assertThat(canned(c, page(b -> b[25] ^= 1)))
                .isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": Logical Unit WWN has changed"));
        assertThat(canned(c, page(b -> { })).state()).isEqualTo(PathState.UP);
        // an NDU page is shaky before the WWN is looked at
        assertThat(canned(c, page(b -> { b[25] ^= 1; b[48] = 2; })).state()).isEqualTo(PathState.SHAKY);
    }

    @Test
    void senseOnTheInquiry() throws Exception {
        CannedTransport t = new CannedTransport().check(Sense.INVALID_FIELD_IN_CDB);
        assertThat(await(Checkers.create("emc_clariion").check(t, TIMEOUT)).state()).isEqualTo(PathState.WILD);
        t = new CannedTransport().check(Sense.NOT_READY_MANUAL_INTERVENTION);
        assertThat(await(Checkers.create("emc_clariion").check(t, TIMEOUT)))
                .isEqualTo(new CheckResult(PathState.DOWN, PREFIX + ": query command indicates error"));
    }
}
