package io.mpathgw.scsi;

import io.mpathgw.scsi.TargetPortGroups.PortGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetPortGroupsTest {

    /** Extended header (transition time 10 s); group 1 preferred A/O with ports 1, 2; group 2 A/NO with port 3. */
    static final String EXTENDED = "00 00 00 20 10 0a 00 00"
            + " 80 cf 00 01 00 02 00 02 00 00 00 01 00 00 00 02"
            + " 01 cf 00 02 00 01 00 01 00 00 00 03";
    /** No extended header; standby, unavailable, preferred transitioning, each with one port. */
    static final String PLAIN = "00 00 00 24"
            + " 02 cf 00 0a 00 00 00 01 00 00 00 0b"
            + " 03 cf 00 14 00 00 00 01 00 00 00 15"
            + " 8f 8f 00 1e 00 02 00 01 00 00 00 1f";

    @Test
    void parsesTheExtendedHeader() {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes(EXTENDED));
        TargetPortGroups tpgs = TargetPortGroups.parse(buf);
        assertThat(buf.readerIndex()).isZero();
        assertThat(tpgs.extendedHeader()).isTrue();
        assertThat(tpgs.implicitTransitionTime()).isEqualTo(10);
        assertThat(tpgs.groups()).containsExactly(
                new PortGroup(1, 0x0, true, 0xcf, PortGroup.STATUS_ALTERED_IMPLICITLY, 0, List.of(1, 2)),
                new PortGroup(2, 0x1, false, 0xcf, PortGroup.STATUS_ALTERED_BY_STPG, 0, List.of(3)));
        assertThat(tpgs.group(2)).map(PortGroup::state).hasValue(java.util.Optional.of(AluaState.ACTIVE_NON_OPTIMIZED));
        assertThat(tpgs.groupOfPort(2)).map(PortGroup::id).hasValue(1);
        assertThat(tpgs.group(7)).isEmpty();
        assertThat(TargetPortGroups.requiredLength(buf)).isEqualTo(36);
    }

    /** group | state | pref | supports (kernel letters) | kernel log line */
    @ParameterizedTest(name = "group {0}")
    @CsvSource(delimiter = '|', textBlock = """
        10 | standby       | false | TOlUSNA | port group 0a state S non-preferred supports TOlUSNA
        20 | unavailable   | false | TOlUSNA | port group 14 state U non-preferred supports TOlUSNA
        30 | transitioning | true  | TolUSNA | port group 1e state T preferred supports TolUSNA
        """)
    void parsesWithoutTheExtendedHeader(int id, String state, boolean pref, String letters, String log) {
        TargetPortGroups tpgs = TargetPortGroups.parse(Hex.bytes(PLAIN));
        assertThat(tpgs.extendedHeader()).isFalse();
        assertThat(tpgs.implicitTransitionTime()).isZero();
        PortGroup g = tpgs.group(id).orElseThrow();
        assertThat(g.state()).map(AluaState::kernelName).hasValue(state);
        assertThat(g.preferred()).isEqualTo(pref);
        assertThat(g.supportLetters()).isEqualTo(letters);
        assertThat(g).hasToString(log);
        assertThat(g.relativeTargetPorts()).containsExactly(id + 1);
    }

    @Test
    void keepsAReservedStateCode() {
        PortGroup g = TargetPortGroups.parse(Hex.bytes("00 00 00 08 85 01 00 05 00 00 00 00")).groups().get(0);
        assertThat(g.stateCode()).isEqualTo(5);
        assertThat(g.state()).isEmpty();
        assertThat(g.aasByte()).isEqualTo(0x85);
        assertThat(g).hasToString("port group 05 state X preferred supports tolusnA");
        assertThat(g.supports(AluaState.ACTIVE_OPTIMIZED)).isTrue();
        assertThat(g.supports(AluaState.STANDBY)).isFalse();
    }

    @Test
    void encodesBothLayouts() {
        assertThat(Hex.of(TargetPortGroups.parse(Hex.bytes(EXTENDED)).toBytes())).isEqualTo(Hex.of(Hex.bytes(EXTENDED)));
        assertThat(Hex.of(TargetPortGroups.parse(Hex.bytes(PLAIN)).toBytes())).isEqualTo(Hex.of(Hex.bytes(PLAIN)));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        00 00 00 20 10 0a 00 00 80 cf 00 01                     | RTPG return data length: 32 (expected: <= 8 bytes received; re-issue with allocation length 36)
        00 00 00 0c 80 cf 00 01 00 00 00 02 00 00 00 01         | RTPG descriptor at offset 4: target port count 2 (expected: <= 1 to fit the return data length)
        00 00 00 0a 80 cf 00 01 00 00 00 00 01 02               | RTPG descriptor at offset 12: 2 bytes (expected: >= 8)
        00 00 00                                                | RTPG parameter data: 3 bytes (expected: >= 4)
        """)
    void rejects(String image, String message) {
        assertThatThrownBy(() -> TargetPortGroups.parse(Hex.bytes(image)))
                .isInstanceOf(ScsiDataException.class).hasMessage(message);
    }

    @Property
    void roundTrips(@ForAll boolean extended, @ForAll @IntRange(max = 255) int transition,
                    @ForAll("groups") List<PortGroup> groups) {
        TargetPortGroups tpgs = new TargetPortGroups(extended, extended ? transition : 0, groups);
        assertThat(TargetPortGroups.parse(tpgs.toBytes())).isEqualTo(tpgs);
    }

    @Provide
    Arbitrary<List<PortGroup>> groups() {
        Arbitrary<PortGroup> group = Combinators.combine(
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.of(AluaState.values()).map(AluaState::code),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(6))
            .as(PortGroup::new);
        return group.list().ofMaxSize(5);
    }
}
