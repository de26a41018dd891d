package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadCapacityTest {

    /** image | last LBA | block length | count */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        00 1f ff ff 00 00 02 00 | 2097151    | 512  | 2097152
        00 03 ff ff 00 00 10 00 | 262143     | 4096 | 262144
        ff ff ff ff 00 00 02 00 | 4294967295 | 512  | 4294967296
        """)
    void parses10(String image, long last, long blockLength, long count) {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes(image));
        ReadCapacity rc = ReadCapacity.parse10(buf);
        assertThat(rc.lastLba()).isEqualTo(last);
        assertThat(rc.blockLength()).isEqualTo(blockLength);
        assertThat(rc.blockCount()).isEqualTo(count);
        assertThat(rc.needs16()).isEqualTo(last == 0xFFFF_FFFFL);
        assertThat(buf.readerIndex()).isZero();
    }

    @Test
    void parses16WithProvisioningAndProtection() {
        // 8 TiB in 512-byte blocks on 4 KiB physical ones (exponent 3), thin (LBPME), zeroing (LBPRZ), type 2
        // protection, lowest aligned LBA 7
        ReadCapacity rc = ReadCapacity.parse16(Hex.bytes("00 00 00 03 ff ff ff ff 00 00 02 00 03 03 c0 07 00*16"));
        assertThat(rc).isEqualTo(new ReadCapacity(0x3_FFFF_FFFFL, 512, 2, 3, true, true, 7));
        assertThat(rc.sizeBytes()).isEqualTo(0x4_0000_0000L * 512);
    }

    @Test
    void parses16OfAnSbc2DeviceThatSentTwelveBytes() {
        ReadCapacity rc = ReadCapacity.parse16(Hex.bytes("00 00 00 00 00 0f ff ff 00 00 10 00"));
        assertThat(rc).isEqualTo(new ReadCapacity(0xFFFFF, 4096, 0, 0, false, false, 0));
    }

    @Test
    void encodes() {
        ReadCapacity rc = new ReadCapacity(0x1_2345_6789L, 4096, 1, 0, true, false, 0x123);
        assertThat(Hex.of(rc.toBytes16()))
                .isEqualTo("00 00 00 01 23 45 67 89 00 00 10 00 01 00 81 23 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
        // SBC-3: READ CAPACITY(10) saturates, telling the initiator to use READ CAPACITY(16)
        assertThat(Hex.of(rc.toBytes10())).isEqualTo("ff ff ff ff 00 00 10 00");
        assertThat(Hex.of(ReadCapacity.of(2048, 512).toBytes10())).isEqualTo("00 00 07 ff 00 00 02 00");
    }

    @Property
    void roundTrips16(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long last,
                      @ForAll @IntRange(min = 1) int blockLength, @ForAll @IntRange(max = 3) int protection,
                      @ForAll @IntRange(max = 15) int exponent, @ForAll boolean lbpme, @ForAll boolean lbprz,
                      @ForAll @IntRange(max = 0x3FFF) int aligned) {
        ReadCapacity rc = new ReadCapacity(last, blockLength, protection, exponent, lbpme, lbprz, aligned);
        assertThat(ReadCapacity.parse16(rc.toBytes16())).isEqualTo(rc);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        10 | 00 00 00 ff 00 00                    | READ CAPACITY(10) parameter data: 6 bytes (expected: >= 8)
        10 | 00 00 00 ff 00 00 00 00              | READ CAPACITY logical block length: 0 (expected: > 0)
        16 | 00 00 00 00 00 00 00 ff 00 00 02     | READ CAPACITY(16) parameter data: 11 bytes (expected: >= 12)
        16 | ff 00 00 00 00 00 00 00 00 00 02 00  | READ CAPACITY(16) returned logical block address: 18374686479671623680 (expected: < 2^63)
        """)
    void rejects(int version, String image, String message) {
        byte[] b = Hex.bytes(image);
        assertThatThrownBy(() -> {
            if (version == 10) ReadCapacity.parse10(b);
            else ReadCapacity.parse16(b);
        }).isInstanceOf(ScsiDataException.class).hasMessage(message);
    }
}
