package io.mpathgw.iscsi.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpathgw.iscsi.pdu.IscsiProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class TextParametersTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/text/decode.cases", delimiter = '|')
    void decodesOrNamesTheFault(String input, String expected) {
        byte[] data = (input == null ? "" : input).replace("\\0", "\0").getBytes(StandardCharsets.UTF_8);
        if (expected != null && expected.startsWith("ERR:")) {
            assertThatThrownBy(() -> TextParameters.decode(data))
                    .isInstanceOf(IscsiProtocolException.class).hasMessage(expected.substring(4));
        } else {
            TextParameters p = TextParameters.decode(data);
            assertThat(p.toString()).isEqualTo(expected == null ? "" : expected);
            assertThat(TextParameters.decode(p.encode())).isEqualTo(p);          // round trip
        }
    }

    @Test
    void keyIsUpToTheFirstEqualsSign() {
        TextParameters p = TextParameters.decode("X-a.b=k=v\0".getBytes(StandardCharsets.UTF_8));
        assertThat(p.first("X-a.b")).contains("k=v");
        assertThat(p.keys()).containsExactly("X-a.b");
    }

    @Test
    void keepsDuplicatesInOrder() {
        TextParameters p = TextParameters.of("TargetName", "iqn.a", "TargetAddress", "1.1.1.1:3260,1",
                "TargetName", "iqn.b", "TargetAddress", "2.2.2.2:3260,2", "TargetAddress", "[::1]:3261,3");
        assertThat(p.all("TargetAddress")).containsExactly("1.1.1.1:3260,1", "2.2.2.2:3260,2", "[::1]:3261,3");
        assertThat(p.first("TargetName")).contains("iqn.a");
        assertThat(p.first(TextKey.TARGET_NAME)).contains("iqn.a");
        assertThat(p.keys()).containsExactly("TargetName", "TargetAddress");
        assertThat(p.size()).isEqualTo(5);
        assertThat(p.contains("TargetAlias")).isFalse();
        assertThat(p.first("TargetAlias")).isEmpty();
        assertThat(p.entries().get(2)).isEqualTo(new TextParameters.Entry("TargetName", "iqn.b"));
    }

    @Test
    void encodesUtf8PairsEachWithOneNul() {
        TextParameters p = new TextParameters().add(TextKey.INITIATOR_ALIAS, "Büro 1").add("X-a", "x=y");
        ByteBuf buf = Unpooled.buffer();
        try {
            p.encodeTo(buf);
            assertThat(buf.readableBytes()).isEqualTo(p.encodedLength()).isEqualTo(p.encode().length);
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("InitiatorAlias=Büro 1\0X-a=x=y\0");
            TextParameters back = TextParameters.decode(buf);
            assertThat(buf.readableBytes()).isZero();
            assertThat(back).isEqualTo(p);
        } finally {
            assertThat(buf.release()).isTrue();
        }
    }

    @Test
    void keyOf63BytesPassesAnd64Fails() {
        String k63 = "K".repeat(63);
        assertThat(TextParameters.decode((k63 + "=1\0").getBytes(StandardCharsets.US_ASCII)).first(k63)).contains("1");
        assertThatThrownBy(() -> TextParameters.decode(("K".repeat(64) + "=1\0").getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IscsiProtocolException.class)
                .hasMessage("text key: '" + "K".repeat(40) + "…' is 64 bytes (expected: 1..63, RFC 7143 §6.1); at byte 0");
    }

    @Test
    void standardKeysTake255ByteValuesOthers8192() {
        String v255 = "a".repeat(255);
        assertThat(TextParameters.decode(("TargetAlias=" + v255 + "\0").getBytes(StandardCharsets.US_ASCII))
                .first("TargetAlias")).contains(v255);
        assertThatThrownBy(() -> TextParameters.decode(("TargetAlias=" + v255 + "a\0").getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IscsiProtocolException.class)
                .hasMessage("text value of TargetAlias: 256 bytes (expected: at most 255, RFC 7143 §6.1); at byte 12");
        String chapC = "CHAP_C=0x" + "ab".repeat(1024) + "\0";
        assertThat(TextParameters.decode(chapC.getBytes(StandardCharsets.US_ASCII)).first("CHAP_C")).isPresent();
        assertThat(TextParameters.decode(("X-big=" + "v".repeat(8192) + "\0").getBytes(StandardCharsets.US_ASCII))
                .first("X-big")).hasValueSatisfying(v -> assertThat(v).hasSize(8192));
        assertThatThrownBy(() -> TextParameters.decode(("X-big=" + "v".repeat(8193) + "\0").getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IscsiProtocolException.class)
                .hasMessage("text value of X-big: 8193 bytes (expected: at most 8192, RFC 7143 §6.1); at byte 6");
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        byte[] bad = {'A', '=', (byte) 0xc3, (byte) 0x28, 0};
        assertThatThrownBy(() -> TextParameters.decode(bad))
                .isInstanceOf(IscsiProtocolException.class)
                .hasMessage("text data: bytes 2..4 are not UTF-8 (expected: UTF-8, RFC 7143 §6.1)");
    }

    @Test
    void addRefusesWhatCouldNotBeDecoded() {
        TextParameters p = new TextParameters();
        assertThatThrownBy(() -> p.add("A=B", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text key: 'A=B' (expected: 1..63 bytes without '=' or NUL, RFC 7143 §6.1)");
        assertThatThrownBy(() -> p.add("", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.add("A", "x\0y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text value of A: 'x\0y' (expected: at most 8192 bytes without NUL, RFC 7143 §6.1)");
        assertThatThrownBy(() -> TextParameters.of("A")).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.isEmpty()).isTrue();
    }
}
