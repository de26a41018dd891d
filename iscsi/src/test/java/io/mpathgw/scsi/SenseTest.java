package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SenseTest {

    /** image | format | key | asc | ascq | information | deferred */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        fixed, tgt MEDIUM ERROR with INFORMATION (VALID set) | f0 00 03 00 00 12 34 0a 00 00 00 00 11 00 00 00 00 00 | fixed | 3 | 0x11 | 0x00 | 4660 | false
        fixed, ILLEGAL REQUEST 24/00, VALID clear            | 70 00 05 de ad be ef 0a 00 00 00 00 24 00 00 00 00 00 | fixed | 5 | 0x24 | 0x00 | -1   | false
        fixed, NOT READY 04/0a ALUA transitioning            | 70 00 02 00 00 00 00 0a 00 00 00 00 04 0a 00 00 00 00 | fixed | 2 | 0x04 | 0x0a | -1   | false
        fixed, deferred UNIT ATTENTION 2a/06                 | 71 00 06 00 00 00 00 0a 00 00 00 00 2a 06 00 00 00 00 | fixed | 6 | 0x2a | 0x06 | -1   | true
        fixed, truncated after byte 12: ASCQ missing         | 70 00 06 00 00 00 00 0a 00 00 00 00 29               | fixed | 6 | 0x29 | 0x00 | -1   | false
        fixed, only 3 bytes                                  | 70 00 0b                                             | fixed | 11 | 0x00 | 0x00 | -1  | false
        fixed, additional length 4 hides ASC/ASCQ            | 70 00 02 00 00 00 00 04 00 00 00 00 3a 00 00 00 00 00 | fixed | 2 | 0x00 | 0x00 | -1   | false
        fixed, additional length 5 shows ASC only            | 70 00 02 00 00 00 00 05 00 00 00 00 3a 01 00 00 00 00 | fixed | 2 | 0x3a | 0x00 | -1   | false
        descriptor, ABORTED COMMAND 47/03 no descriptors     | 72 0b 47 03 00 00 00 00                              | descriptor | 11 | 0x47 | 0x03 | -1 | false
        descriptor, MEDIUM ERROR with INFORMATION beyond 32 bits | 72 03 11 00 00 00 00 0c 00 0a 80 00 00 00 00 01 23 45 67 89 | descriptor | 3 | 0x11 | 0x00 | 4886718345 | false
        descriptor, INFORMATION after a sense-key-specific descriptor | 72 05 21 00 00 00 00 14 02 06 00 00 c0 00 02 00 00 0a 80 00 00 00 00 00 00 00 10 00 | descriptor | 5 | 0x21 | 0x00 | 4096 | false
        descriptor, INFORMATION without VALID                 | 72 03 11 00 00 00 00 0c 00 0a 00 00 00 00 00 00 00 00 00 07 | descriptor | 3 | 0x11 | 0x00 | -1 | false
        descriptor, INFORMATION cut by additional length      | 72 03 11 00 00 00 00 08 00 0a 80 00 00 00 00 00 00 00 00 07 | descriptor | 3 | 0x11 | 0x00 | -1 | false
        descriptor, deferred HARDWARE ERROR 44/00             | 73 04 44 00 00 00 00 00                              | descriptor | 4 | 0x44 | 0x00 | -1 | true
        descriptor, truncated to 2 bytes                      | 72 06                                                | descriptor | 6 | 0x00 | 0x00 | -1 | false
        """)
    void parses(String name, String image, String format, int key, String asc, String ascq, long information,
                boolean deferred) {
        Sense s = Sense.parse(Hex.bytes(image));
        assertThat(s.isDescriptorFormat()).as("descriptor format").isEqualTo(format.equals("descriptor"));
        assertThat(s.senseKey()).as("sense key").isEqualTo(key);
        assertThat(s.asc()).as("asc").isEqualTo(Integer.decode(asc));
        assertThat(s.ascq()).as("ascq").isEqualTo(Integer.decode(ascq));
        assertThat(s.information()).as("information").isEqualTo(information);
        assertThat(s.isDeferred()).as("deferred").isEqualTo(deferred);
    }

    @Test
    void parsesInsideABufferWithoutMovingIndexes() {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes("ff ff 00 12 70 00 02 00 00 00 00 0a 00 00 00 00 04 0b 00 00 00 00"));
        buf.readerIndex(2);
        Sense s = Sense.parse(buf, 4, 18);
        assertThat(s.matches(Sense.NOT_READY_STANDBY)).isTrue();
        assertThat(buf.readerIndex()).isEqualTo(2);
        assertThat(s).hasToString("NOT READY 04/0b");
        assertThat(s.description()).isEqualTo("logical unit not accessible, target port in standby state");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ''          | sense length: 0 (expected: >= 1)
        00 00 05    | sense response code: 0x00 (expected: 0x70..0x73)
        7f 00 05    | sense response code: 0x7f (expected: 0x70..0x73)
        """)
    void rejectsWhatIsNotSense(String image, String message) {
        assertThatThrownBy(() -> Sense.parse(Hex.bytes(image)))
                .isInstanceOf(ScsiDataException.class).hasMessage(message);
    }

    @Test
    void namedConditionsMatchWhateverTheFormat() {
        Sense fromArray = Sense.parse(Hex.bytes("72 06 2a 06 00 00 00 00"));
        assertThat(fromArray.matches(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED)).isTrue();
        assertThat(fromArray.matches(Sense.IMPLICIT_TRANSITION_FAILED)).isFalse();
        assertThat(fromArray).isNotEqualTo(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);   // the record compares the format
        assertThat(Sense.LBA_OUT_OF_RANGE.is(Sense.ILLEGAL_REQUEST, 0x21, 0x00)).isTrue();
        assertThat(Sense.NOT_READY_TRANSITIONING.is(Sense.NOT_READY, 0x04, 0x0A)).isTrue();
        assertThat(Sense.UNIT_ATTENTION_TRANSITIONING.is(Sense.UNIT_ATTENTION, 0x04, 0x0A)).isTrue();
        assertThat(Sense.UNIT_ATTENTION_TRANSITIONING.description())
                .isEqualTo("logical unit not accessible, asymmetric access state transition");
        assertThat(Sense.of(Sense.NO_SENSE, 0x5D, 0x42).description()).isEmpty();
    }

    /** image a target sends | sense it came from */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        70 00 05 00 00 00 00 0a 00 00 00 00 21 00 00 00 00 00                   | LBA out of range, fixed
        f0 00 03 00 01 00 00 0a 00 00 00 00 11 00 00 00 00 00                   | medium error at 0x10000, fixed
        70 00 03 00 00 00 00 0a 00 00 00 00 11 00 00 00 00 00                   | medium error beyond 32 bits, fixed: VALID clear
        72 03 11 00 00 00 00 0c 00 0a 80 00 00 00 00 01 00 00 00 00             | medium error beyond 32 bits, descriptor
        73 06 29 00 00 00 00 00                                                 | deferred power on, descriptor
        """)
    void encodesAsATargetSendsIt(String image, String name) {
        Sense sense = switch (name) {
            case "LBA out of range, fixed" -> Sense.LBA_OUT_OF_RANGE;
            case "medium error at 0x10000, fixed" -> Sense.UNRECOVERED_READ_ERROR.withInformation(0x10000);
            case "medium error beyond 32 bits, fixed: VALID clear" ->
                    Sense.UNRECOVERED_READ_ERROR.withInformation(0x1_0000_0000L);
            case "medium error beyond 32 bits, descriptor" ->
                    Sense.UNRECOVERED_READ_ERROR.withInformation(0x1_0000_0000L).descriptorFormat();
            default -> new Sense(0x71, Sense.UNIT_ATTENTION, 0x29, 0, -1).descriptorFormat();
        };
        assertThat(Hex.of(sense.toBytes())).isEqualTo(image);
    }

    @Property
    void roundTripsThroughBytes(@ForAll @IntRange(min = 0x70, max = 0x73) int responseCode,
                                @ForAll @IntRange(max = 15) int key, @ForAll @IntRange(max = 255) int asc,
                                @ForAll @IntRange(max = 255) int ascq,
                                @ForAll @LongRange(min = -1, max = 0xFFFF_FFFFL) long information) {
        Sense s = new Sense(responseCode, key, asc, ascq, information);
        assertThat(Sense.parse(s.toBytes())).isEqualTo(s);
    }

    @Test
    void keyNames() {
        assertThat(Sense.keyName(Sense.UNIT_ATTENTION)).isEqualTo("UNIT ATTENTION");
        assertThat(Sense.keyName(0xC)).isEqualTo("RESERVED(0xC)");
        assertThat(Sense.keyName(0xF)).isEqualTo("COMPLETED");
    }
}
