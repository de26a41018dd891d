package io.mpathgw.scsi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockLimitsTest {

    /** LIO with emulate_tpu: WSNZ, CAW 1, granularity 8, max 8192, optimal 2048, unmap limits, UGAVALID. */
    static final String LIO = "00 b0 00 3c 01 01 00 08 00 00 20 00 00 00 08 00 00 00 00 00 00 40 00 00"
            + " 00 00 00 10 00 00 00 08 80 00 00 02 00 00 00 00 00 01 00 00 00*20";

    @Test
    void parsesTheFullPage() {
        BlockLimits b = BlockLimits.parse(Hex.bytes(LIO));
        assertThat(b).isEqualTo(new BlockLimits(true, 1, 8, 8192, 2048, 0, 0x400000, 16, 8, true, 2, 0x10000));
    }

    @Test
    void roundTrips() {
        BlockLimits b = BlockLimits.parse(Hex.bytes(LIO));
        assertThat(Hex.of(b.toBytes(0))).isEqualTo(Hex.of(Hex.bytes(LIO)));
    }

    @Test
    void tgtWithoutThinProvisioning() {
        // tgt: CAW 128, everything else 0 (update_vpd_b0)
        BlockLimits b = BlockLimits.parse(Hex.bytes("00 b0 00 3c 00 80 00*58"));
        assertThat(b.maximumCompareAndWriteLength()).isEqualTo(128);
        assertThat(b.maximumTransferLength()).isZero();
        assertThat(b.maximumUnmapLbaCount()).isZero();
    }

    @Test
    void unmapCountsAreUnsigned() {
        byte[] page = Hex.bytes(LIO);
        for (int i = 20; i < 28; i++) page[i] = (byte) 0xFF;
        BlockLimits b = BlockLimits.parse(page);
        assertThat(b.maximumUnmapLbaCount()).isEqualTo(0xFFFF_FFFFL);
        assertThat(b.maximumUnmapBlockDescriptorCount()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void shortSbc2PageLeavesTheRestZero() {
        BlockLimits b = BlockLimits.parse(Hex.bytes("00 b0 00 0c 00 00 00 04 00 00 04 00 00 00 01 00"));
        assertThat(b).isEqualTo(new BlockLimits(false, 0, 4, 1024, 256, 0, 0, 0, 0, false, 0, 0));
    }

    @Test
    void rejectsAnotherPage() {
        assertThatThrownBy(() -> BlockLimits.parse(Hex.bytes("00 b2 00 04 00 00 00 00")))
                .isInstanceOf(ScsiDataException.class).hasMessage("VPD page code: 0xb2 (expected: 0xb0)");
    }
}
