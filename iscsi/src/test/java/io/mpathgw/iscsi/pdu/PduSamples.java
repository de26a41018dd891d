package io.mpathgw.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test tables under {@code src/test/resources/pdu/}: {@code samples.cases} (one PDU per opcode, every
 * field distinctive) and hex files. A {@link Sample} builds its PDU with {@link Pdu#create} and the Bhs setters,
 * and checks a decoded header field by field.
 */
final class PduSamples {

    /** Test digest settings, spelled as in the tables: none, header, data, both. */
    enum DigestMode {
        NONE(false, false), HEADER(true, false), DATA(false, true), BOTH(true, true);

        final boolean header, data;

        DigestMode(boolean header, boolean data) {
            this.header = header;
            this.data = data;
        }

        Digests digests() {
            Digests d = Digests.none();
            d.enable(header, data);
            return d;
        }
    }

    /** One opcode's field values, in table order. */
    record Sample(Opcode opcode, Map<BhsField, Long> fields) {

        Pdu build(ByteBuf data) {
            return build(ByteBufAllocator.DEFAULT, data, null);
        }

        /** A new PDU (owned by the caller) with these fields, {@code data} (ownership passes) and optional AHS. */
        Pdu build(ByteBufAllocator alloc, ByteBuf data, byte[] ahs) {
            Pdu pdu = ahs == null ? Pdu.create(alloc, opcode, data) : Pdu.create(alloc, opcode, data, ahs);
            fill(pdu.bhs());
            return pdu;
        }

        void fill(Bhs bhs) {
            fields.forEach((f, v) -> f.set(bhs, v));
        }

        /** Asserts the opcode and every field; the message lists all fields, so one run shows every mismatch. */
        void assertMatches(Bhs bhs, String context) {
            assertThat(bhs.opcode()).as("%s: opcode", context).isEqualTo(opcode);
            assertThat(read(bhs)).as("%s: %s fields", context, opcode).isEqualTo(expected());
        }

        Map<String, String> read(Bhs bhs) {
            Map<String, String> m = new LinkedHashMap<>();
            fields.keySet().forEach(f -> m.put(f.name(), hex(f.get(bhs))));
            return m;
        }

        Map<String, String> expected() {
            Map<String, String> m = new LinkedHashMap<>();
            fields.forEach((f, v) -> m.put(f.name(), hex(v)));
            return m;
        }

        /** A copy with some fields replaced (or added); used for the jSCSI-compatible variants. */
        Sample with(Map<BhsField, Long> overrides) {
            Map<BhsField, Long> m = new LinkedHashMap<>(fields);
            m.putAll(overrides);
            return new Sample(opcode, Collections.unmodifiableMap(m));
        }
    }

    private static final Map<Opcode, Sample> SAMPLES = load();

    private PduSamples() {
    }

    static Sample of(Opcode op) {
        return SAMPLES.get(op);
    }

    static List<Sample> all() {
        return List.copyOf(SAMPLES.values());
    }

    /** Parses {@code name=value name=value…} into fields, in order. */
    static Map<BhsField, Long> parseFields(String text) {
        Map<BhsField, Long> m = new LinkedHashMap<>();
        for (String kv : text.trim().split("\\s+")) {
            if (kv.isEmpty()) continue;
            int eq = kv.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("field: '" + kv + "' (expected: name=value)");
            m.put(BhsField.of(kv.substring(0, eq)), parseUnsigned(kv.substring(eq + 1)));
        }
        return m;
    }

    static long parseUnsigned(String v) {
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseUnsignedLong(v);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The lines of a table resource without comments and blank lines, split at '|'. */
    static List<String[]> table(String resource) {
        List<String[]> rows = new ArrayList<>();
        for (String line : resource(resource).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            rows.add(line.split("\\|", -1));
        }
        return rows;
    }

    static String resource(String name) {
        try (InputStream in = PduSamples.class.getResourceAsStream("/pdu/" + name)) {
            if (in == null) throw new IllegalArgumentException("test resource missing: /pdu/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of a hex resource: pairs of hex digits; whitespace, '#' comments and a leading "NN:" offset ignored. */
    static byte[] hexResource(String name) {
        return hexBytes(resource(name));
    }

    static byte[] hexBytes(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            int colon = line.indexOf(':');
            if (colon >= 0) line = line.substring(colon + 1);
            digits.append(line.replaceAll("\\s+", ""));
        }
        return ByteBufUtil.decodeHexDump(digits);
    }

    /** {@code length} bytes of a pattern that differs per length and has no long runs (heap, unpooled). */
    static ByteBuf data(int length) {
        ByteBuf b = Unpooled.buffer(length);
        for (int i = 0; i < length; i++) b.writeByte(i * 31 + length + 7);
        return b;
    }

    /** A 32-byte CDB for the Extended CDB AHS case (RFC 7143 §11.2.2.3): VARIABLE LENGTH, then 0x41..0x5f. */
    static byte[] cdb32() {
        byte[] cdb = new byte[32];
        for (int i = 0; i < 32; i++) cdb[i] = (byte) (0x40 + i);
        cdb[0] = 0x7f;                                         // VARIABLE LENGTH CDB
        return cdb;
    }

    /**
     * The Extended CDB AHS for CDB bytes 16.. (RFC 7143 §11.2.2.3): AHSLength = CDB length - 15 (the reserved byte
     * counts), AHSType 1, a reserved byte, the spill-over, zero padding to a multiple of 4.
     */
    static byte[] extendedCdbAhs(byte[] cdb) {
        int spill = cdb.length - 16;
        byte[] ahs = new byte[(4 + spill + 3) & ~3];
        ahs[0] = (byte) ((spill + 1) >> 8);
        ahs[1] = (byte) (spill + 1);
        ahs[2] = 0x01;
        System.arraycopy(cdb, 16, ahs, 4, spill);
        return ahs;
    }

    static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    private static Map<Opcode, Sample> load() {
        Map<Opcode, Sample> m = new EnumMap<>(Opcode.class);
        for (String[] row : table("samples.cases")) {
            Opcode op = Opcode.valueOf(row[0].trim());
            if (m.put(op, new Sample(op, Collections.unmodifiableMap(parseFields(row[1])))) != null)
                throw new IllegalStateException("samples.cases: duplicate opcode " + op);
        }
        for (Opcode op : Opcode.values())
            if (!m.containsKey(op)) throw new IllegalStateException("samples.cases: no sample for " + op);
        return m;
    }
}
