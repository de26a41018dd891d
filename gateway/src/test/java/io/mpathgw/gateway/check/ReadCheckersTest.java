package io.mpathgw.gateway.check;

import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.mpathgw.gateway.check.SimPaths.TIMEOUT;
import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkers that read — readsector0 and directio — against the simulated ALUA array with a standby group: the
 * owner's path reads, the standby path does not; the block size is read once; readsector0 reads 4 KiB worth of
 * blocks and retries unit attentions, directio one block.
 */
class ReadCheckersTest {

    @ParameterizedTest
    @ValueSource(strings = {"readsector0", "directio"})
    void theOwnerReadsTheStandbyPathDoesNot(String name) throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA).demotedState(AluaState.STANDBY))) {
            ScsiTransport a = f.path(0);
            ScsiTransport b = f.path(2);
            PathChecker c = Checkers.create(name);
            long before = f.sim.lun(0).commands();
            assertThat(await(c.check(a, TIMEOUT))).isEqualTo(new CheckResult(PathState.UP, name + " checker reports path is up"));
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
            assertThat(f.sim.lun(0).commands() - before).as("READ CAPACITY once, then a READ per check").isEqualTo(3);
            assertThat(await(Checkers.create(name).check(b, TIMEOUT)))
                    .isEqualTo(new CheckResult(PathState.DOWN, name + " checker reports path is down"));
            f.sim.portal(0).blackhole(true);
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.TIMEOUT);
        }
    }

    @Test
    void readsector0RetriesUnitAttentionsThreeTriesInAll() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA))) {
            ScsiTransport a = f.path(0);
            PathChecker c = Checkers.create("readsector0");
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
            f.sim.lun(0).injectSense(Sense.POWER_ON_RESET, 2);
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
            f.sim.lun(0).injectSense(Sense.POWER_ON_RESET, 3);
            assertThat(await(c.check(a, TIMEOUT)).state()).isEqualTo(PathState.DOWN);
            f.sim.lun(0).injectSense(Sense.POWER_ON_RESET, 1);
            assertThat(await(Checkers.create("directio").check(a, TIMEOUT)).state()).as("directio does not retry")
                    .isEqualTo(PathState.DOWN);
        }
    }

    @Test
    void readLengthsFollowTheBlockSize() throws Exception {
        try (SimPaths f = new SimPaths(b -> b.personality(Personality.ALUA).lun(LunSpec.of(0, 16L << 20)
                .withBlockSize(4096)))) {
            ScsiTransport a = f.path(0);
            assertThat(await(Checkers.create("readsector0").check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
            assertThat(await(Checkers.create("directio").check(a, TIMEOUT)).state()).isEqualTo(PathState.UP);
        }
        // 512-byte blocks: readsector0 asks 8 blocks = 4096 bytes, directio one block
        byte[] rc512 = {0, 0, 0x0F, (byte) 0xFF, 0, 0, 0x02, 0};
        CannedTransport t = new CannedTransport().good(rc512).good(new byte[4096]);
        assertThat(await(Checkers.create("readsector0").check(t, TIMEOUT)).state()).isEqualTo(PathState.UP);
        assertThat(t.opcodes()).containsExactly(Cdb.READ_CAPACITY_10, Cdb.READ_10);
        assertThat(t.commands.get(1).cdb()[8]).isEqualTo((byte) 8);
        assertThat(t.commands.get(1).expectedLength()).isEqualTo(4096);
        CannedTransport d = new CannedTransport().good(rc512).good(new byte[512]).good(new byte[100]);
        PathChecker directio = Checkers.create("directio");
        assertThat(await(directio.check(d, TIMEOUT)).state()).isEqualTo(PathState.UP);
        assertThat(d.commands.get(1).cdb()[8]).isEqualTo((byte) 1);
        assertThat(await(directio.check(d, TIMEOUT)).state()).as("a short read").isEqualTo(PathState.DOWN);
        assertThat(d.allReleased() && t.allReleased()).isTrue();
    }
}
