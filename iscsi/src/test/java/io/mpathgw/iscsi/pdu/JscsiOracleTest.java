package io.mpathgw.iscsi.pdu;

import io.mpathgw.iscsi.pdu.PduSamples.Sample;
import io.netty.buffer.Unpooled;
import org.jscsi.parser.ProtocolDataUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jSCSI 2.6.0 as a second, independent BHS codec (jscsi.cases): it parses what we encode, and we decode what it
 * serialises, field by field. Always without digests: jSCSI's CRC32C is wrong in both directions (it throws
 * BufferOverflowException when serialising with HeaderDigest=CRC32C, rejects correct digests, and omits the final
 * XOR: spec/jscsi-eval.md §1 defect 1); our digests are checked against RFC 3720 B.4 in DigestsTest instead.
 * Opcodes jSCSI cannot handle are skipped with the reason from the table, never counted as passes.
 */
@ExtendWith(NoLeaks.class)
class JscsiOracleTest {

    /** One row of jscsi.cases. */
    record Row(Opcode opcode, String skip, Map<BhsField, Long> overrides, Map<String, Long> parsedAs,
               Map<String, Long> serializedAs, String noSerialize, List<String> random, int maxData) {

        Sample sample() {
            return PduSamples.of(opcode).with(overrides);
        }

        @Override
        public String toString() {
            return opcode.name();
        }
    }

    static final List<Row> ROWS = PduSamples.table("jscsi.cases").stream().map(JscsiOracleTest::row).toList();

    static Stream<Arguments> rows() {
        return ROWS.stream().map(r -> Arguments.of(r.opcode(), r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void jscsiParsesWhatWeEncode(Opcode op, Row row) throws Exception {
        assumeTrue(row.skip() == null, row.skip());
        Sample s = row.sample();
        byte[] data = dataFor(row);
        byte[] wire = PduWire.encodeAndRelease(s.build(Unpooled.wrappedBuffer(data)), Digests.none());
        ProtocolDataUnit parsed = JscsiBhs.parse(wire);

        assertThat(parsed.getBasicHeaderSegment().getOpCode().value()).isEqualTo((byte) op.code);
        assertThat(readWithJscsi(op, parsed, s)).as("fields as jSCSI parses our %s", op)
                .isEqualTo(expectedFromJscsi(row.parsedAs(), s, data.length));
        // jSCSI hands back the data segment with its padding: the first DataSegmentLength bytes are the data
        byte[] jscsiData = bytes(parsed.getDataSegment());
        assertThat(Arrays.copyOf(jscsiData, data.length)).isEqualTo(data);
        assertThat(Arrays.copyOfRange(jscsiData, data.length, jscsiData.length)).isEqualTo(new byte[-data.length & 3]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void weDecodeWhatJscsiSerializes(Opcode op, Row row) throws Exception {
        assumeTrue(row.skip() == null, row.skip());
        assumeTrue(row.noSerialize() == null, row.noSerialize());
        Sample s = row.sample();
        byte[] data = dataFor(row);
        byte[] wire = JscsiBhs.serialize(op, names(s.fields()), data);

        List<Pdu> out = PduWire.decodeAll(wire, wire.length, Digests.none(), op.fromTarget());
        assertThat(out).hasSize(1);
        Pdu pdu = out.get(0);
        Sample expected = s.with(PduSamples.parseFields(format(row.serializedAs())));
        expected.assertMatches(pdu.bhs(), "our decoding of jSCSI's " + op);
        assertThat(PduSamples.bytes(pdu.data())).isEqualTo(data);
        assertThat(pdu.release()).isTrue();
    }

    @Test
    void everyOpcodeHasExactlyOneRow() {
        assertThat(ROWS.stream().map(Row::opcode)).containsExactlyInAnyOrder(Opcode.values());
    }

    /** The reason the ASYNC_MESSAGE row is skipped, checked: when a jSCSI release can parse it, enable the row. */
    @Test
    void jscsiStillCannotParseAsyncMessage() {
        Pdu async = PduSamples.of(Opcode.ASYNC_MESSAGE).build(Unpooled.EMPTY_BUFFER);
        byte[] wire = PduWire.encodeAndRelease(async, Digests.none());
        assertThatThrownBy(() -> JscsiBhs.parse(wire)).isInstanceOf(NoSuchElementException.class);
    }

    /** What jSCSI's getters return for every field of the sample; fails if a field has no jSCSI getter. */
    static Map<String, String> readWithJscsi(Opcode op, ProtocolDataUnit parsed, Sample s) {
        Map<String, ToLongFunction<ProtocolDataUnit>> getters = JscsiBhs.of(op).getters();
        Map<String, String> m = new LinkedHashMap<>();
        for (BhsField f : s.fields().keySet()) {
            ToLongFunction<ProtocolDataUnit> g = getters.get(f.name());
            assertThat(g).as("jSCSI getter for %s %s", op, f.name()).isNotNull();
            m.put(f.name(), PduSamples.hex(g.applyAsLong(parsed)));
        }
        m.put("dataSegmentLength", PduSamples.hex(getters.get("dataSegmentLength").applyAsLong(parsed)));
        return m;
    }

    /** The sample's values as jSCSI should report them: with its known misreadings, and the data length. */
    static Map<String, String> expectedFromJscsi(Map<String, Long> misread, Sample s, int dsl) {
        Map<String, String> m = new LinkedHashMap<>(s.expected());
        misread.forEach((k, v) -> m.put(k, PduSamples.hex(v)));
        m.put("dataSegmentLength", PduSamples.hex(dsl));
        return m;
    }

    static byte[] dataFor(Row row) {
        return PduSamples.bytes(PduSamples.data(row.maxData()));
    }

    static byte[] bytes(ByteBuffer b) {
        if (b == null) return new byte[0];
        ByteBuffer d = b.duplicate();
        d.rewind();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }

    static Map<String, Long> names(Map<BhsField, Long> fields) {
        Map<String, Long> m = new LinkedHashMap<>();
        fields.forEach((f, v) -> m.put(f.name(), v));
        return m;
    }

    private static String format(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(PduSamples.hex(v)).append(' '));
        return b.toString();
    }

    private static Row row(String[] c) {
        String[] head = c[0].trim().split("\\s+", 2);
        Opcode op = Opcode.valueOf(head[0]);
        String skip = head.length > 1 ? head[1] : null;
        String serialize = c[3].trim();
        String noSerialize = serialize.startsWith("NOSERIALIZE:") ? serialize : null;
        return new Row(op, skip, PduSamples.parseFields(c[1]), names(PduSamples.parseFields(c[2])),
                noSerialize != null ? Map.of() : names(PduSamples.parseFields(serialize)), noSerialize,
                Arrays.stream(c[4].trim().split("\\s+")).filter(w -> !w.isEmpty()).toList(),
                c[5].isBlank() ? 0 : Integer.parseInt(c[5].trim()));
    }
}
