package io.mpathgw.iscsi.target.sbc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte comparison behind VERIFY, WRITE AND VERIFY and COMPARE AND WRITE, across chunk and component edges. */
class FirstDifferenceTest {

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** {@code bytes} split into Data-Out-like components of 8 KiB, read from offset 5 (a non-zero reader index). */
    static ByteBuf composite(byte[] bytes) {
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponent(true, Unpooled.wrappedBuffer(new byte[5]));
        for (int at = 0; at < bytes.length; at += 8192)
            c.addComponent(true, Unpooled.wrappedBuffer(bytes, at, Math.min(8192, bytes.length - at)));
        c.readerIndex(5);
        return c;
    }

    @Test
    void findsTheFirstDifferenceAnywhere() {
        int n = 200_000;                                         // more than three 64 KiB chunks
        byte[] a = random(n);
        for (int at : new int[] {0, 7, 8, 8191, 8192, 65535, 65536, 65539, 131072, n - 1}) {
            byte[] b = a.clone();
            b[at] ^= 0x40;
            if (at + 10 < n) b[at + 10] ^= 0x01;                 // a later difference must not be reported
            ByteBuf x = Unpooled.wrappedBuffer(a), y = composite(b);
            assertThat(MediumAccess.firstDifference(x, y, n)).as("difference at " + at).isEqualTo(at);
            assertThat(MediumAccess.firstDifference(x, y, at)).as("only the bytes before " + at).isEqualTo(-1);
            y.release();
        }
    }

    @Test
    void equalBuffersAndEmptyLength() {
        byte[] a = random(70_000);
        ByteBuf x = composite(a), y = Unpooled.wrappedBuffer(a.clone());
        assertThat(MediumAccess.firstDifference(x, y, a.length)).isEqualTo(-1);
        assertThat(MediumAccess.firstDifference(x, y, 0)).isEqualTo(-1);
        x.release();
    }
}
