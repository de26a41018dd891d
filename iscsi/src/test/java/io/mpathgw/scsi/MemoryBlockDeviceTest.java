package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBlockDeviceTest {

    /** 4 KiB blocks, 600 of them: chunks of 256 blocks, the last one cut to 88 blocks. */
    private final MemoryBlockDevice dev = new MemoryBlockDevice(4096, 600);

    @AfterEach
    void close() {
        dev.close();
    }

    private static byte[] patternBytes(int blocks, int blockSize, int seed) {
        byte[] b = new byte[blocks * blockSize];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    /** A direct buffer, as a write arrives from the network; whoever receives it releases it. */
    private static ByteBuf pattern(int blocks, int blockSize, int seed) {
        return Unpooled.directBuffer(blocks * blockSize).writeBytes(patternBytes(blocks, blockSize, seed));
    }

    private byte[] read(long lba, int blocks) {
        ByteBuf b = dev.read(lba, blocks).join();
        try {
            assertThat(b.readableBytes()).isEqualTo(blocks * 4096);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void describesItself() {
        assertThat(dev.blockSize()).isEqualTo(4096);
        assertThat(dev.blockCount()).isEqualTo(600);
        assertThat(dev.unmapSupported()).isTrue();
        assertThat(dev.allocatedBytes()).isZero();
    }

    @Test
    void writesAcrossChunkBoundariesAndReadsBack() {
        ByteBuf data = pattern(20, 4096, 7);
        byte[] expected = patternBytes(20, 4096, 7);
        dev.write(250, data, true).join();
        assertThat(data.refCnt()).as("the device released the buffer it took").isZero();
        assertThat(read(250, 20)).isEqualTo(expected);
        assertThat(dev.allocatedBytes()).isEqualTo(2L * 256 * 4096);
    }

    @Test
    void neverWrittenBlocksReadAsZeroes() {
        assertThat(read(599, 1)).containsOnly(0);
        assertThat(read(0, 0)).isEmpty();
        assertThat(dev.allocatedBytes()).isZero();
    }

    @Test
    void writesFromTheReaderIndex() {
        ByteBuf data = Unpooled.directBuffer().writeZero(5).writeBytes(patternBytes(1, 4096, 3));
        data.readerIndex(5);
        dev.write(3, data, false).join();
        assertThat(read(3, 1)).isEqualTo(patternBytes(1, 4096, 3));
    }

    /** lba | blocks | message */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
        600 | 1  | lba: 600, blocks: 1 (expected: lba + blocks <= 600 blocks)
        590 | 11 | lba: 590, blocks: 11 (expected: lba + blocks <= 600 blocks)
        9223372036854775807 | 1 | lba: 9223372036854775807, blocks: 1 (expected: lba + blocks <= 600 blocks)
        """)
    void refusesRangesPastTheEnd(long lba, int blocks, String message) {
        assertFailure(dev.read(lba, blocks), BlockDeviceException.class, message);
        assertFailure(dev.unmap(lba, blocks), BlockDeviceException.class, message);
        ByteBuf data = pattern(blocks, 4096, 1);
        assertFailure(dev.write(lba, data, false), BlockDeviceException.class, message);
        assertThat(data.refCnt()).as("released on failure too").isZero();
        ByteBuf block = pattern(1, 4096, 2);
        assertFailure(dev.writeSame(lba, blocks, block, false), BlockDeviceException.class, message);
        assertThat(block.refCnt()).isZero();
        Throwable t = dev.read(lba, blocks).handle((v, failure) -> failure).join();
        assertThat(((BlockDeviceException) t).sense()).isEqualTo(Sense.LBA_OUT_OF_RANGE);
    }

    @Test
    void refusesWhatNoCommandCouldExpress() {
        assertFailure(dev.read(-1, 1), IllegalArgumentException.class, "lba: -1, blocks: 1 (expected: >= 0)");
        ByteBuf odd = Unpooled.buffer().writeZero(1000);
        assertFailure(dev.write(0, odd, false), IllegalArgumentException.class,
                "data: 1000 bytes (expected: a multiple of the block size 4096)");
        assertThat(odd.refCnt()).isZero();
        ByteBuf shortBlock = Unpooled.buffer().writeZero(512);
        assertFailure(dev.writeSame(0, 1, shortBlock, false), IllegalArgumentException.class,
                "block: 512 bytes (expected: the block size 4096)");
        assertThat(shortBlock.refCnt()).isZero();
        assertThatThrownBy(() -> new MemoryBlockDevice(1000, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("block size: 1000 (expected: a power of 2, 512..65536)");
        assertThatThrownBy(() -> new MemoryBlockDevice(512, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("block count: 0 (expected: 1..");
    }

    @Test
    void unmapZeroesAndFreesWholeChunks() {
        dev.write(0, pattern(600, 4096, 9), false).join();
        assertThat(dev.allocatedBytes()).isEqualTo(600L * 4096);
        dev.unmap(10, 502).join();          // frees chunk 1 (256..511), zeroes 10..255
        assertThat(dev.allocatedBytes()).isEqualTo((256L + 88) * 4096);
        assertThat(read(10, 502)).containsOnly(0);
        byte[] all = patternBytes(600, 4096, 9);
        assertThat(read(9, 1)).isEqualTo(java.util.Arrays.copyOfRange(all, 9 * 4096, 10 * 4096));
        assertThat(read(512, 1)).isEqualTo(java.util.Arrays.copyOfRange(all, 512 * 4096, 513 * 4096));
        dev.unmap(512, 88).join();          // the cut last chunk, up to the end
        assertThat(dev.allocatedBytes()).isEqualTo(256L * 4096);
    }

    @Test
    void writeSameRepeatsTheBlockOrUnmapsZeroes() {
        ByteBuf block = pattern(1, 4096, 5);
        byte[] one = patternBytes(1, 4096, 5);
        dev.writeSame(100, 3, block, false).join();
        assertThat(block.refCnt()).isZero();
        byte[] three = read(100, 3);
        for (int i = 0; i < 3; i++)
            assertThat(java.util.Arrays.copyOfRange(three, i * 4096, (i + 1) * 4096)).isEqualTo(one);
        dev.writeSame(0, 600, null, true).join();
        assertThat(dev.allocatedBytes()).isZero();
        assertThat(read(100, 3)).containsOnly(0);
    }

    @Test
    void flushCompletes() {
        assertThat(dev.flush()).isCompleted();
    }

    @Test
    void closedDeviceRefusesAndStillReleases() {
        MemoryBlockDevice d = new MemoryBlockDevice(512, 8, UnpooledByteBufAllocator.DEFAULT);
        d.write(0, pattern(8, 512, 1), false).join();
        d.close();
        assertThat(d.allocatedBytes()).isZero();
        ByteBuf data = pattern(1, 512, 1);
        assertFailure(d.write(0, data, false), IllegalStateException.class, "memory block device: closed (expected: open)");
        assertThat(data.refCnt()).isZero();
        assertFailure(d.flush(), IllegalStateException.class, "memory block device: closed (expected: open)");
    }

    private static void assertFailure(CompletableFuture<?> f, Class<? extends Throwable> type, String message) {
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).cause().isInstanceOf(type)
                .hasMessage(message);
    }
}
