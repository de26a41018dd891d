package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Vpd83Test {

    /** Line 2 of vpd83.cases: LIO with ALUA port designators. */
    private final Vpd83 lio = Vpd83.parse(Hex.bytes(WwidTest.line(2)));

    @Test
    void parsesEveryDesignatorOfLio() {
        assertThat(lio.designators()).extracting(Vpd83.Designator::type).containsExactly(
                Vpd83.TYPE_NAA, Vpd83.TYPE_T10_VENDOR_ID, Vpd83.TYPE_RELATIVE_TARGET_PORT,
                Vpd83.TYPE_TARGET_PORT_GROUP, Vpd83.TYPE_LOGICAL_UNIT_GROUP, Vpd83.TYPE_SCSI_NAME_STRING,
                Vpd83.TYPE_SCSI_NAME_STRING);
        Vpd83.Designator port = lio.designators().get(5);
        assertThat(port.protocolIdentifier()).isEqualTo(Vpd83.PROTOCOL_ISCSI);
        assertThat(port.piv()).isTrue();
        assertThat(port.association()).isEqualTo(Vpd83.ASSOCIATION_TARGET_PORT);
        assertThat(port.codeSet()).isEqualTo(Vpd83.CODE_SET_UTF8);
        assertThat(port.text()).isEqualTo("iqn.2003-01.org.linux-iscsi.gw:sn.8e5a,t,0x0001");
        assertThat(port.length()).isEqualTo(48);
        assertThat(lio.designators().get(6).association()).isEqualTo(Vpd83.ASSOCIATION_TARGET_DEVICE);
        assertThat(lio.designators().get(1).text()).isEqualTo("LIO-ORG IBLOCK:d27e5d89-8829-468b-90ce-4ef8c0a1b2c3");
        assertThat(lio.designators().get(0).hex()).isEqualTo("6001405d27e5d898829468b90ce4ef8c");
        assertThat(lio.designators().get(4).logicalUnitGroup()).isZero();
    }

    @Test
    void findsThePortIdsAsScsiDhAluaDoes() {
        assertThat(lio.relativeTargetPort()).hasValue(1);
        assertThat(lio.targetPortGroup()).hasValue(0);
        Vpd83 emc = Vpd83.parse(Hex.bytes(WwidTest.line(5)));
        assertThat(emc.relativeTargetPort()).hasValue(5);
        assertThat(emc.targetPortGroup()).hasValue(2);
        Vpd83 tgt = Vpd83.parse(Hex.bytes(WwidTest.line(0)));
        assertThat(tgt.targetPortGroup()).isEmpty();
        assertThat(tgt.relativeTargetPort()).isEmpty();
        assertThat(lio.designators(Vpd83.TYPE_SCSI_NAME_STRING, Vpd83.ASSOCIATION_TARGET_DEVICE))
                .singleElement().extracting(Vpd83.Designator::text).isEqualTo("iqn.2003-01.org.linux-iscsi.gw:sn.8e5a");
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scsi/vpd83.cases", delimiter = '|', quoteCharacter = '\'')
    void roundTripsEveryWellFormedImage(String name, String image, String wwid) {
        byte[] bytes = Hex.bytes(image);
        if (name.contains("running past the page")) {
            assertThatThrownBy(() -> Vpd83.parse(bytes)).isInstanceOf(ScsiDataException.class)
                    .hasMessage("VPD page 0x83 designator at offset 16: length 16 (expected: <= 8 bytes left in the page)");
            return;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        assertThat(Hex.of(Vpd83.parse(buf).toBytes())).isEqualTo(Hex.of(bytes));
        assertThat(buf.readerIndex()).isZero();
    }

    @Test
    void rejectsAnotherPage() {
        assertThatThrownBy(() -> Vpd83.parse(Hex.bytes("00 80 00 04 \"1234\"")))
                .isInstanceOf(ScsiDataException.class).hasMessage("VPD page code: 0x80 (expected: 0x83)");
        assertThatThrownBy(() -> Wwid.fromVpd83(Hex.bytes("00 80 00 04 \"1234\"")))
                .isInstanceOf(ScsiDataException.class).hasMessage("VPD page code: 0x80 (expected: 0x83)");
    }

    @Test
    void rejectsAPageCutByTheAllocationLength() {
        byte[] cut = Arrays.copyOf(Hex.bytes(WwidTest.line(0)), 60);
        assertThatThrownBy(() -> Vpd83.parse(cut)).isInstanceOf(ScsiDataException.class).hasMessage(
                "VPD page 0x83 page length: 72 (expected: <= 56 bytes received; re-issue INQUIRY with allocation length 76)");
        assertThat(VpdPage.requiredLength(Unpooled.wrappedBuffer(cut))).isEqualTo(76);
    }

    @Test
    void rejectsAStrayHeaderFragment() {
        assertThatThrownBy(() -> Vpd83.parse(Hex.bytes("00 83 00 06 01 02 00 00 01 03")))
                .isInstanceOf(ScsiDataException.class)
                .hasMessage("VPD page 0x83 designator at offset 8: header of 4 bytes (expected: <= 2 bytes left in the page)");
    }

    @Test
    void accessorsCheckTypeAndLength() {
        Vpd83.Designator naa = lio.designators().get(0);
        assertThatThrownBy(naa::targetPortGroup).isInstanceOf(IllegalStateException.class)
                .hasMessage("designator type: NAA (expected: target port group)");
        Vpd83.Designator badTpg = new Vpd83.Designator(0, 1, false, 1, Vpd83.TYPE_TARGET_PORT_GROUP, new byte[] {0, 1});
        assertThatThrownBy(badTpg::targetPortGroup).isInstanceOf(ScsiDataException.class)
                .hasMessage("target port group designator length: 2 (expected: 4)");
        assertThat(new Vpd83(0, List.of(badTpg)).designators().get(0)).isEqualTo(badTpg);
        assertThat(Vpd83.typeName(0xB)).isEqualTo("reserved type 0xb");
    }
}
