package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The digests a connection negotiated (RFC 7143 §13.1: HeaderDigest, DataDigest), and CRC32C over
 * {@link ByteBuf}s without copying. Sent little-endian, as RFC 3720 Appendix B.4's vectors show.
 * Mutable, but touched only on the connection's event loop: switched on when login completes.
 */
public final class Digests {

    private boolean header;
    private boolean data;

    public static Digests none() {
        return new Digests();
    }

    public void enable(boolean headerDigest, boolean dataDigest) {
        this.header = headerDigest;
        this.data = dataDigest;
    }

    /** Bytes the header digest adds after BHS+AHS: 0 or 4. */
    public int header() {
        return header ? 4 : 0;
    }

    /** Bytes the data digest adds after a data segment of {@code dsl} bytes: 0 for an empty segment. */
    public int data(int dsl) {
        return data && dsl > 0 ? 4 : 0;
    }

    public boolean headerEnabled() {
        return header;
    }

    public boolean dataEnabled() {
        return data;
    }

    /** CRC32C of {@code length} bytes at {@code index}; indexes untouched, no copy for direct or heap buffers. */
    public static int crc32c(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, index, length);
        return (int) crc.getValue();
    }

    static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (length == 0) return;
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.internalNioBuffer(index, length).duplicate());
        } else {
            for (ByteBuffer b : buf.nioBuffers(index, length)) crc.update(b);
        }
    }

    /** CRC32C of a data segment followed by {@code pad} zero bytes (RFC 7143 §11.2.3: padding is covered). */
    public static int crc32cPadded(ByteBuf data, int index, int length, int pad) {
        CRC32C crc = new CRC32C();
        update(crc, data, index, length);
        for (int i = 0; i < pad; i++) crc.update(0);
        return (int) crc.getValue();
    }
}
