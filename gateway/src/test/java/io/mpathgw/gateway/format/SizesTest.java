package io.mpathgw.gateway.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SizesTest {

    @Test
    void oneDecimalBelowTenNoneFromTen() {
        assertThat(Sizes.ofSectors(10 * Fixtures.GIB)).isEqualTo("10G");
        assertThat(Sizes.ofSectors(100 * Fixtures.GIB)).isEqualTo("100G");
        assertThat(Sizes.ofSectors(5 * Fixtures.GIB)).isEqualTo("5.0G");
        assertThat(Sizes.ofSectors(6 * 1024 * Fixtures.GIB)).isEqualTo("6.0T");
        assertThat(Sizes.ofSectors(2048)).isEqualTo("1.0M");
        assertThat(Sizes.ofSectors(2046)).isEqualTo("1023K");          // below 1024 K stays in K
    }

    @Test
    void roundsTheFloatAsPrintfDoes() {
        assertThat(Sizes.ofSectors(2 * 1280)).isEqualTo("1.2M");       // 1.25 exactly: ties to even, not 1.3
        assertThat(Sizes.ofSectors(2 * 1536)).isEqualTo("1.5M");
        assertThat(Sizes.ofSectors(2 * 10239)).isEqualTo("10.0M");     // 9.999: precision chosen before rounding
        assertThat(Sizes.ofSectors(2 * 1331)).isEqualTo("1.3M");       // 1.2998
        assertThat(Sizes.ofSectors(0)).isEqualTo("0.0K");
        assertThat(Sizes.ofSectors(1)).isEqualTo("0.0K");              // half a KiB is dropped (size >> 1)
    }

    @Test
    void stopsAtPetabytes() {
        assertThat(Sizes.ofSectors(2L << 50)).isEqualTo("1024P");
    }
}
