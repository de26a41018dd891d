package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** Small shared pieces of the byte layouts in this package: bounds checks, text fields, argument checks. */
final class Wire {

    private Wire() {
    }

    static ByteBuf wrap(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Fails unless {@code buf} has at least {@code length} readable bytes. */
    static void need(ByteBuf buf, int length, String what) {
        if (buf.readableBytes() < length)
            throw new ScsiDataException(what + ": " + buf.readableBytes() + " bytes (expected: >= " + length + ")");
    }

    /**
     * An ASCII field (SPC-4 ASCII data fields) with leading and trailing spaces and NULs removed: INQUIRY pads with
     * spaces, LIO terminates its strings with NUL.
     */
    static String ascii(ByteBuf buf, int index, int length) {
        int from = index;
        int to = index + length;
        while (to > from && isPad(buf.getByte(to - 1))) to--;
        while (from < to && isPad(buf.getByte(from))) from++;
        return buf.toString(from, to - from, StandardCharsets.US_ASCII);
    }

    private static boolean isPad(byte b) {
        return b == ' ' || b == 0;
    }

    static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    static byte[] bytes(ByteBuf buf, int index, int length) {
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        return out;
    }

    /** Argument check with the project's error shape: {@code field: value (expected: min..max)}. */
    static void range(String field, long value, long min, long max) {
        if (value < min || value > max)
            throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + ".." + max + ")");
    }

    static void range(String field, long value, long min, long max, String where) {
        if (value < min || value > max)
            throw new IllegalArgumentException(
                    field + ": " + value + " (expected: " + min + ".." + max + " for " + where + ")");
    }

    static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, v >>> 32);
        putInt(b, at + 4, v);
    }
}
