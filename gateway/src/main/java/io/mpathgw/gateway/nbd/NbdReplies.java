package io.mpathgw.gateway.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes transmission-phase replies (proto.md "Simple reply message", "Structured reply chunk message"). Data is
 * never copied: a read's buffer becomes the second component of a composite behind a freshly written header.
 */
final class NbdReplies {

    static final int SIMPLE_HEADER = 16;
    static final int CHUNK_HEADER = 20;
    /** The 16-bit message length of an error chunk bounds it; proto.md's string limit is lower. */
    static final int MAX_MESSAGE = Nbd.MAX_STRING;

    private NbdReplies() {
    }

    /** A simple reply: success ({@code error} 0) or an error, without data. */
    static ByteBuf simple(ByteBufAllocator alloc, long handle, int error) {
        return alloc.buffer(SIMPLE_HEADER).writeInt(Nbd.NBD_SIMPLE_REPLY_MAGIC).writeInt(error).writeLong(handle);
    }

    /** A simple reply carrying a read's {@code data}; takes ownership of {@code data}. */
    static ByteBuf simpleRead(ByteBufAllocator alloc, long handle, ByteBuf data) {
        return alloc.compositeDirectBuffer(2).addComponents(true, simple(alloc, handle, 0), data);
    }

    /** One NBD_REPLY_TYPE_OFFSET_DATA chunk with NBD_REPLY_FLAG_DONE; takes ownership of {@code data}. */
    static ByteBuf offsetData(ByteBufAllocator alloc, long handle, long offset, ByteBuf data) {
        ByteBuf header = chunk(alloc, handle, Nbd.NBD_REPLY_FLAG_DONE, Nbd.NBD_REPLY_TYPE_OFFSET_DATA,
                8 + data.readableBytes()).writeLong(offset);
        return alloc.compositeDirectBuffer(2).addComponents(true, header, data);
    }

    /** NBD_REPLY_TYPE_ERROR with NBD_REPLY_FLAG_DONE: the error and a message for a human. */
    static ByteBuf errorChunk(ByteBufAllocator alloc, long handle, int error, String message) {
        byte[] m = utf8(message);
        return chunk(alloc, handle, Nbd.NBD_REPLY_FLAG_DONE, Nbd.NBD_REPLY_TYPE_ERROR, 6 + m.length)
                .writeInt(error).writeShort(m.length).writeBytes(m);
    }

    /** NBD_REPLY_TYPE_BLOCK_STATUS with one extent of {@code length} bytes in {@code status}, and DONE. */
    static ByteBuf blockStatus(ByteBufAllocator alloc, long handle, int contextId, long length, int status) {
        return chunk(alloc, handle, Nbd.NBD_REPLY_FLAG_DONE, Nbd.NBD_REPLY_TYPE_BLOCK_STATUS, 12)
                .writeInt(contextId).writeInt((int) length).writeInt(status);
    }

    private static ByteBuf chunk(ByteBufAllocator alloc, long handle, int flags, int type, int length) {
        return alloc.buffer(CHUNK_HEADER + Math.min(length, 256)).writeInt(Nbd.NBD_STRUCTURED_REPLY_MAGIC)
                .writeShort(flags).writeShort(type).writeLong(handle).writeInt(length);
    }

    /** The message cut to {@link #MAX_MESSAGE} bytes at a character boundary. */
    private static byte[] utf8(String message) {
        String m = message;
        while (ByteBufUtil.utf8Bytes(m) > MAX_MESSAGE) m = m.substring(0, m.length() * 3 / 4);
        return m.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
