package io.mpathgw.iscsi.text;

import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Joins the data segments of a C-bit sequence of Login or Text PDUs into one logical text data segment and
 * decodes it once the PDU with C=0 arrives (RFC 7143 §6.1). One per connection; not thread-safe.
 */
public final class TextReassembler {

    /** Bound on one logical text data segment, so a peer that never clears the C bit cannot exhaust memory. */
    public static final int DEFAULT_MAX_LENGTH = 65536;

    private final int maxLength;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private int segments;

    public TextReassembler() {
        this(DEFAULT_MAX_LENGTH);
    }

    public TextReassembler(int maxLength) {
        if (maxLength < 1) throw new IllegalArgumentException("maxLength: " + maxLength + " (expected: >= 1)");
        this.maxLength = maxLength;
    }

    /**
     * Adds one PDU's data segment (its readable bytes; neither the reader index nor the reference count of
     * {@code segment} changes, the caller still owns it).
     *
     * @param continues the PDU's C bit
     * @return the decoded key set when {@code continues} is false, else empty
     * @throws IscsiProtocolException if the sequence grows past the bound or its text is malformed
     */
    public Optional<TextParameters> add(ByteBuf segment, boolean continues) {
        int n = segment.readableBytes();
        if (pending.size() + (long) n > maxLength) {
            String message = String.format("text data: %d bytes over %d PDUs with the C bit (expected: at most %d)",
                    pending.size() + (long) n, segments + 1, maxLength);
            reset();
            throw new IscsiProtocolException(message);
        }
        byte[] bytes = new byte[n];
        segment.getBytes(segment.readerIndex(), bytes);
        pending.writeBytes(bytes);
        segments++;
        if (continues) return Optional.empty();
        byte[] all = pending.toByteArray();
        reset();
        return Optional.of(TextParameters.decode(all));
    }

    /** True while a C-bit sequence is incomplete. */
    public boolean pending() {
        return segments > 0;
    }

    public void reset() {
        pending.reset();
        segments = 0;
    }
}
