package io.mpathgw.scsi;

import io.mpathgw.scsi.Cdb.PageControl;
import io.mpathgw.scsi.PersistentReserve.InAction;
import io.mpathgw.scsi.PersistentReserve.OutAction;
import io.mpathgw.scsi.PersistentReserve.Type;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CdbTest {

    static Stream<Arguments> cdbs() {
        return Stream.of(
            arguments("TEST UNIT READY", Cdb.testUnitReady(), "00 00 00 00 00 00"),
            arguments("INQUIRY standard, 96 bytes", Cdb.inquiry(96), "12 00 00 00 60 00"),
            arguments("INQUIRY VPD 0x83, 0x1234", Cdb.inquiryVpd(0x83, 0x1234), "12 01 83 12 34 00"),
            arguments("INQUIRY VPD 0x00, 255", Cdb.inquiryVpd(0x00, 255), "12 01 00 00 ff 00"),
            arguments("READ CAPACITY(10)", Cdb.readCapacity10(), "25 00 00 00 00 00 00 00 00 00"),
            arguments("READ CAPACITY(16), 32", Cdb.readCapacity16(32),
                    "9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00"),
            arguments("READ(10)", Cdb.read10(0x12345678L, 0x9abc), "28 00 12 34 56 78 00 9a bc 00"),
            arguments("READ(10) max lba", Cdb.read10(0xFFFFFFFFL, 1), "28 00 ff ff ff ff 00 00 01 00"),
            arguments("READ(16)", Cdb.read16(0x0102030405060708L, 0x0a0b0c0dL),
                    "88 00 01 02 03 04 05 06 07 08 0a 0b 0c 0d 00 00"),
            arguments("WRITE(10)", Cdb.write10(0x00010203L, 7, false), "2a 00 00 01 02 03 00 00 07 00"),
            arguments("WRITE(10) FUA", Cdb.write10(9, 0x100, true), "2a 08 00 00 00 09 00 01 00 00"),
            arguments("WRITE(16) FUA", Cdb.write16(0x1_0000_0000L, 0x10000L, true),
                    "8a 08 00 00 00 01 00 00 00 00 00 01 00 00 00 00"),
            arguments("WRITE(16)", Cdb.write16(3, 2, false), "8a 00 00 00 00 00 00 00 00 03 00 00 00 02 00 00"),
            arguments("SYNCHRONIZE CACHE(10) IMMED", Cdb.synchronizeCache10(0x20, 0x30, true),
                    "35 02 00 00 00 20 00 00 30 00"),
            arguments("SYNCHRONIZE CACHE(10) whole medium", Cdb.synchronizeCache10(0, 0, false),
                    "35 00 00 00 00 00 00 00 00 00"),
            arguments("SYNCHRONIZE CACHE(16)", Cdb.synchronizeCache16(0xAABBCCDDEEL, 5, false),
                    "91 00 00 00 00 aa bb cc dd ee 00 00 00 05 00 00"),
            arguments("WRITE SAME(16) UNMAP", Cdb.writeSame16(0x40, 0x800, true, false),
                    "93 08 00 00 00 00 00 00 00 40 00 00 08 00 00 00"),
            arguments("WRITE SAME(16) NDOB", Cdb.writeSame16(1, 2, false, true),
                    "93 01 00 00 00 00 00 00 00 01 00 00 00 02 00 00"),
            arguments("UNMAP, 24-byte list", Cdb.unmap(24), "42 00 00 00 00 00 00 00 18 00"),
            arguments("REPORT LUNS 4096", Cdb.reportLuns(4096), "a0 00 00 00 00 00 00 00 10 00 00 00"),
            arguments("REPORT LUNS select 2", Cdb.reportLuns(2, 16), "a0 00 02 00 00 00 00 00 00 10 00 00"),
            arguments("RTPG extended header", Cdb.reportTargetPortGroups(true, 128),
                    "a3 2a 00 00 00 00 00 00 00 80 00 00"),
            arguments("RTPG plain, 4096", Cdb.reportTargetPortGroups(false, 4096),
                    "a3 0a 00 00 00 00 00 00 10 00 00 00"),
            arguments("STPG 8", Cdb.setTargetPortGroups(8), "a4 0a 00 00 00 00 00 00 00 08 00 00"),
            arguments("MODE SENSE(6) DBD changeable caching", Cdb.modeSense6(true, PageControl.CHANGEABLE, 0x08, 0, 0xfc),
                    "1a 08 48 00 fc 00"),
            arguments("MODE SENSE(6) all pages, all subpages", Cdb.modeSense6(false, PageControl.CURRENT, 0x3f, 0xff, 255),
                    "1a 00 3f ff ff 00"),
            arguments("MODE SENSE(10) DBD current control", Cdb.modeSense10(true, PageControl.CURRENT, 0x0a, 0, 0x200),
                    "5a 08 0a 00 00 00 00 02 00 00"),
            arguments("MODE SENSE(10) saved, subpage 1", Cdb.modeSense10(false, PageControl.SAVED, 0x0a, 1, 36),
                    "5a 00 ca 01 00 00 00 00 24 00"),
            arguments("MODE SELECT(6) PF", Cdb.modeSelect6(true, false, 0x18), "15 10 00 00 18 00"),
            arguments("MODE SELECT(10) PF SP", Cdb.modeSelect10(true, true, 0x104), "55 11 00 00 00 00 00 01 04 00"),
            arguments("START STOP UNIT start", Cdb.startStopUnit(false, 0, false, true), "1b 00 00 00 01 00"),
            arguments("START STOP UNIT IMMED eject", Cdb.startStopUnit(true, 0, true, false), "1b 01 00 00 02 00"),
            arguments("START STOP UNIT standby", Cdb.startStopUnit(false, 3, false, false), "1b 00 00 00 30 00"),
            arguments("PR IN READ KEYS", Cdb.persistentReserveIn(InAction.READ_KEYS, 0x2000),
                    "5e 00 00 00 00 00 00 20 00 00"),
            arguments("PR IN READ FULL STATUS", Cdb.persistentReserveIn(InAction.READ_FULL_STATUS, 8),
                    "5e 03 00 00 00 00 00 00 08 00"),
            arguments("PR OUT REGISTER", Cdb.persistentReserveOut(OutAction.REGISTER, null, 24),
                    "5f 00 00 00 00 00 00 00 18 00"),
            arguments("PR OUT RESERVE WE-RO", Cdb.persistentReserveOut(OutAction.RESERVE,
                    Type.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, 24), "5f 01 05 00 00 00 00 00 18 00"),
            arguments("PR OUT PREEMPT AND ABORT EA-AR", Cdb.persistentReserveOut(OutAction.PREEMPT_AND_ABORT,
                    Type.EXCLUSIVE_ACCESS_ALL_REGISTRANTS, 24), "5f 05 08 00 00 00 00 00 18 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cdbs")
    void buildsTheCdb(String name, byte[] cdb, String expected) {
        assertThat(Hex.of(cdb)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            bad(() -> Cdb.read10(0x1_0000_0000L, 1), "lba: 4294967296 (expected: 0..4294967295 for READ(10))"),
            bad(() -> Cdb.read10(-1, 1), "lba: -1 (expected: 0..4294967295 for READ(10))"),
            bad(() -> Cdb.write10(0, 0x10000, false), "transfer length: 65536 (expected: 0..65535 for WRITE(10))"),
            bad(() -> Cdb.read16(-5, 1), "lba: -5 (expected: 0..9223372036854775807 for READ(16))"),
            bad(() -> Cdb.write16(0, 0x1_0000_0000L, true),
                    "transfer length: 4294967296 (expected: 0..4294967295 for WRITE(16))"),
            bad(() -> Cdb.inquiry(0x10000), "allocation length: 65536 (expected: 0..65535 for INQUIRY)"),
            bad(() -> Cdb.inquiryVpd(0x100, 10), "page code: 256 (expected: 0..255 for INQUIRY)"),
            bad(() -> Cdb.reportLuns(15), "allocation length: 15 (expected: 16..2147483647 for REPORT LUNS)"),
            bad(() -> Cdb.modeSense6(false, PageControl.CURRENT, 0x40, 0, 4),
                    "page code: 64 (expected: 0..63 for MODE SENSE(6))"),
            bad(() -> Cdb.modeSense6(false, PageControl.CURRENT, 8, 0, 256),
                    "allocation length: 256 (expected: 0..255 for MODE SENSE(6))"),
            bad(() -> Cdb.modeSelect6(true, false, 300),
                    "parameter list length: 300 (expected: 0..255 for MODE SELECT(6))"),
            bad(() -> Cdb.synchronizeCache10(0, 70000, false),
                    "number of logical blocks: 70000 (expected: 0..65535 for SYNCHRONIZE CACHE(10))"),
            bad(() -> Cdb.startStopUnit(false, 16, false, true),
                    "power condition: 16 (expected: 0..15 for START STOP UNIT)"),
            bad(() -> Cdb.reportTargetPortGroups(true, -1),
                    "allocation length: -1 (expected: 0..2147483647 for REPORT TARGET PORT GROUPS)"));
    }

    private static Arguments bad(ThrowingSupplier<byte[]> call, String message) {
        return arguments(message, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWhatTheCdbCannotCarry(String message, ThrowingSupplier<byte[]> call) {
        assertThatThrownBy(call::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Property
    void read16CarriesAnyLbaAndLength(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long lba,
                                      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long blocks) {
        ByteBuffer c = ByteBuffer.wrap(Cdb.read16(lba, blocks));
        assertThat(c.get(0) & 0xFF).isEqualTo(0x88);
        assertThat(c.getLong(2)).isEqualTo(lba);
        assertThat(c.getInt(10) & 0xFFFF_FFFFL).isEqualTo(blocks);
    }

    @Property
    void write10CarriesFua(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long lba,
                           @ForAll @IntRange(max = 0xFFFF) int blocks, @ForAll boolean fua) {
        ByteBuffer c = ByteBuffer.wrap(Cdb.write10(lba, blocks, fua));
        assertThat(c.getInt(2) & 0xFFFF_FFFFL).isEqualTo(lba);
        assertThat(c.getShort(7) & 0xFFFF).isEqualTo(blocks);
        assertThat((c.get(1) & 0x08) != 0).isEqualTo(fua);
        assertThat(Cdb.opcode(c.array())).isEqualTo(Cdb.WRITE_10);
    }
}
