package io.mpathgw.iscsi.text;

import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The key=value pairs of a Login or Text PDU data segment (RFC 7143 §6.1), in order, duplicates kept: a
 * SendTargets answer repeats TargetName and TargetAddress. The key is everything before the first '=', the value
 * everything after it, so values may contain '='. Encoded as UTF-8, each pair followed by one NUL.
 *
 * <p>Not thread-safe; a login or text exchange owns one at a time.
 */
public final class TextParameters implements Iterable<TextParameters.Entry> {

    /** RFC 7143 §6.1: a key name is at most 63 bytes. */
    public static final int MAX_KEY_LENGTH = 63;
    /**
     * Cap for any value: a large-binary-value of 1024 bytes is 2050 bytes as hex; unknown and extension keys get
     * this cap, standard keys their own ({@link TextKey#maxValueLength()}).
     */
    public static final int MAX_VALUE_LENGTH = 8192;

    /** One key=value pair. */
    public record Entry(String key, String value) {
        public Entry {
            checkKey(key);
            checkValue(key, value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public TextParameters() {
    }

    /** Pairs given as alternating keys and values: {@code of("HeaderDigest", "None", "DataDigest", "None")}. */
    public static TextParameters of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0)
            throw new IllegalArgumentException("keysAndValues: " + keysAndValues.length + " strings (expected: pairs)");
        TextParameters p = new TextParameters();
        for (int i = 0; i < keysAndValues.length; i += 2) p.add(keysAndValues[i], keysAndValues[i + 1]);
        return p;
    }

    public TextParameters add(String key, String value) {
        entries.add(new Entry(key, value));
        return this;
    }

    public TextParameters add(TextKey key, String value) {
        return add(key.wireName(), value);
    }

    public TextParameters addAll(TextParameters other) {
        entries.addAll(other.entries);
        return this;
    }

    public Optional<String> first(String key) {
        for (Entry e : entries)
            if (e.key.equals(key)) return Optional.of(e.value);
        return Optional.empty();
    }

    public Optional<String> first(TextKey key) {
        return first(key.wireName());
    }

    public List<String> all(String key) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries)
            if (e.key.equals(key)) out.add(e.value);
        return out;
    }

    public boolean contains(String key) {
        return first(key).isPresent();
    }

    /** Distinct keys in order of first appearance. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Entry e : entries) keys.add(e.key);
        return Collections.unmodifiableSet(keys);
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    @Override
    public Iterator<Entry> iterator() {
        return entries().iterator();
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Bytes {@link #encodeTo} writes. */
    public int encodedLength() {
        int n = 0;
        for (Entry e : entries) n += utf8Length(e.key) + 1 + utf8Length(e.value) + 1;
        return n;
    }

    /** Writes {@code key=value\0} for each pair. The caller owns {@code out}. */
    public void encodeTo(ByteBuf out) {
        for (Entry e : entries) {
            out.writeCharSequence(e.key, StandardCharsets.UTF_8);
            out.writeByte('=');
            out.writeCharSequence(e.value, StandardCharsets.UTF_8);
            out.writeByte(0);
        }
    }

    public byte[] encode() {
        byte[] out = new byte[encodedLength()];
        int at = 0;
        for (Entry e : entries) {
            byte[] pair = (e.key + "=" + e.value).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(pair, 0, out, at, pair.length);
            at += pair.length + 1;
        }
        return out;
    }

    /**
     * Decodes a whole logical text data segment (all PDUs of a C-bit sequence), consuming the readable bytes of
     * {@code in}; the caller keeps ownership of it. Empty pairs (extra NULs) are skipped.
     *
     * @throws IscsiProtocolException on a pair without '=', an empty or over-long key, an over-long value, a
     *                                last pair without its NUL, or bytes that are not UTF-8
     */
    public static TextParameters decode(ByteBuf in) {
        byte[] data = new byte[in.readableBytes()];
        in.readBytes(data);
        return decode(data);
    }

    public static TextParameters decode(byte[] data) {
        TextParameters p = new TextParameters();
        int start = 0;
        while (start < data.length) {
            int nul = indexOf(data, (byte) 0, start, data.length);
            if (nul < 0) throw notTerminated(data, start);
            if (nul > start) p.entries.add(decodePair(data, start, nul));
            start = nul + 1;
        }
        return p;
    }

    private static Entry decodePair(byte[] data, int from, int to) {
        int eq = indexOf(data, (byte) '=', from, to);
        if (eq < 0)
            throw new IscsiProtocolException(String.format("text key: '%s' has no '=' (expected: key=value, %s); at byte %d",
                    shorten(utf8(data, from, to, from)), "RFC 7143 §6.1", from));
        String key = utf8(data, from, eq, from);
        if (eq == from || eq - from > MAX_KEY_LENGTH)
            throw new IscsiProtocolException(String.format("text key: '%s' is %d bytes (expected: 1..%d, RFC 7143 §6.1); at byte %d",
                    shorten(key), eq - from, MAX_KEY_LENGTH, from));
        int max = TextKey.byName(key).map(TextKey::maxValueLength).orElse(MAX_VALUE_LENGTH);
        if (to - eq - 1 > max)
            throw new IscsiProtocolException(String.format("text value of %s: %d bytes (expected: at most %d, RFC 7143 §6.1); at byte %d",
                    key, to - eq - 1, max, eq + 1));
        return new Entry(key, utf8(data, eq + 1, to, eq + 1));
    }

    private static IscsiProtocolException notTerminated(byte[] data, int from) {
        return new IscsiProtocolException(String.format(
                "text data: '%s' at byte %d has no NUL (expected: every key=value followed by a NUL, RFC 7143 §6.1)",
                shorten(new String(data, from, data.length - from, StandardCharsets.UTF_8)), from));
    }

    private static String utf8(byte[] data, int from, int to, int reportAt) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new IscsiProtocolException(String.format(
                    "text data: bytes %d..%d are not UTF-8 (expected: UTF-8, RFC 7143 §6.1)", reportAt, to));
        }
    }

    private static int indexOf(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++)
            if (data[i] == b) return i;
        return -1;
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        int n = utf8Length(key);
        if (n == 0 || n > MAX_KEY_LENGTH || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0)
            throw new IllegalArgumentException(String.format(
                    "text key: '%s' (expected: 1..%d bytes without '=' or NUL, RFC 7143 §6.1)", shorten(key), MAX_KEY_LENGTH));
    }

    private static void checkValue(String key, String value) {
        Objects.requireNonNull(value, "value of " + key);
        if (value.indexOf('\0') >= 0 || utf8Length(value) > MAX_VALUE_LENGTH)
            throw new IllegalArgumentException(String.format(
                    "text value of %s: '%s' (expected: at most %d bytes without NUL, RFC 7143 §6.1)",
                    key, shorten(value), MAX_VALUE_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextParameters t && t.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** The pairs separated by spaces, as a log line shows them. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) sb.append(sb.length() == 0 ? "" : " ").append(e);
        return sb.toString();
    }
}
