package io.mpathgw.gateway.failover;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The read-back verdicts on blocks of a made-up history: the checker must catch every kind of bad block. */
class StampCheckTest {

    final OpLog log = new OpLog();

    StampCheckTest() {
        log.issued(1, 7, 1);          // gen 1 -> block 7
        log.issued(2, 9, 2);          // gen 2 -> block 9
        log.issued(3, 7, 3);          // gen 3 -> block 7
        log.issued(4, 7, 4);          // gen 4 -> block 7 (never answered)
    }

    @Test
    void acceptsTheLastAcknowledgedOrALaterUnacknowledgedGeneration() {
        assertThat(StampCheck.verify(log, 7, StampStream.stamp(7, 3), 3)).isNull();
        assertThat(StampCheck.verify(log, 7, StampStream.stamp(7, 4), 3)).isNull();
        assertThat(StampCheck.verify(log, 5, new byte[StampStream.BLOCK], 0)).isNull();
    }

    @Test
    void catchesLostStaleTornAndMisplacedWrites() {
        assertThat(StampCheck.verify(log, 7, StampStream.stamp(7, 1), 3))
                .isEqualTo("block 7: holds generation 1 but 3 was acknowledged later (lost or stale write)");
        assertThat(StampCheck.verify(log, 7, new byte[StampStream.BLOCK], 3))
                .isEqualTo("block 7: zeroes, but generation 3 was acknowledged");
        assertThat(StampCheck.verify(log, 7, StampStream.stamp(9, 2), 3))
                .isEqualTo("block 7: holds block 9's data (gen 2)");
        assertThat(StampCheck.verify(log, 9, StampStream.stamp(9, 3), 2))
                .isEqualTo("block 9: generation 3 was never sent to it");
        byte[] torn = StampStream.stamp(7, 3);
        torn[4000] ^= 1;
        assertThat(StampCheck.verify(log, 7, torn, 3)).isEqualTo("block 7: generation 3 torn or corrupted");
    }
}
