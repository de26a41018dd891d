package io.mpathgw.iscsi.text;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Splits one encoded key set over the data segments of several Login or Text PDUs, each at most
 * {@code maxSegmentLength} bytes (the peer's MaxRecvDataSegmentLength; 8192 during login). A key=value pair may be
 * cut anywhere: every segment but the last goes out with the C bit set (RFC 7143 §6.1, §11.10.2, §11.12.2), and the
 * peer answers each such PDU with an empty one.
 *
 * <p>An empty key set still yields one empty segment with C=0: the request is sent anyway.
 */
public final class TextSegmenter {

    /**
     * One data segment; {@code continues} is the C bit. The caller owns {@code data} (an unpooled wrap of the
     * segmenter's own copy; releasing it is harmless).
     */
    public record Segment(ByteBuf data, boolean continues) {
    }

    private final byte[] encoded;
    private final int maxSegmentLength;
    private int offset;
    private boolean emitted;

    public TextSegmenter(TextParameters keys, int maxSegmentLength) {
        if (maxSegmentLength < 1)
            throw new IllegalArgumentException("maxSegmentLength: " + maxSegmentLength + " (expected: >= 1)");
        this.encoded = keys.encode();
        this.maxSegmentLength = maxSegmentLength;
    }

    /** All segments at once. */
    public static List<Segment> split(TextParameters keys, int maxSegmentLength) {
        TextSegmenter s = new TextSegmenter(keys, maxSegmentLength);
        List<Segment> out = new ArrayList<>();
        while (s.hasNext()) out.add(s.next());
        return out;
    }

    public boolean hasNext() {
        return !emitted || offset < encoded.length;
    }

    public Segment next() {
        if (!hasNext()) throw new NoSuchElementException("text segmenter: all " + encoded.length + " bytes sent");
        int n = Math.min(maxSegmentLength, encoded.length - offset);
        ByteBuf data = Unpooled.wrappedBuffer(encoded, offset, n);
        offset += n;
        emitted = true;
        return new Segment(data, offset < encoded.length);
    }
}
