package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;

/**
 * Device Identification VPD page 0x83 (SPC-4, Device Identification VPD page): a list of designation descriptors.
 * The LU's WWID is chosen among them by {@link Wwid}; scsi_dh_alua and the {@code alua} prioritizer take the target
 * port group and relative target port ids from here.
 *
 * @param peripheral byte 0 (qualifier and device type)
 * @param designators in the order the device listed them
 */
public record Vpd83(int peripheral, List<Vpd83.Designator> designators) {

    // DESIGNATOR TYPE (byte 1 bits 3..0)
    public static final int TYPE_VENDOR_SPECIFIC = 0x0;
    public static final int TYPE_T10_VENDOR_ID = 0x1;
    public static final int TYPE_EUI_64 = 0x2;
    public static final int TYPE_NAA = 0x3;
    public static final int TYPE_RELATIVE_TARGET_PORT = 0x4;
    public static final int TYPE_TARGET_PORT_GROUP = 0x5;
    public static final int TYPE_LOGICAL_UNIT_GROUP = 0x6;
    public static final int TYPE_MD5_LOGICAL_UNIT = 0x7;
    public static final int TYPE_SCSI_NAME_STRING = 0x8;
    public static final int TYPE_PROTOCOL_SPECIFIC_PORT = 0x9;
    public static final int TYPE_UUID = 0xA;

    // ASSOCIATION (byte 1 bits 5..4)
    public static final int ASSOCIATION_LU = 0;
    public static final int ASSOCIATION_TARGET_PORT = 1;
    public static final int ASSOCIATION_TARGET_DEVICE = 2;

    // CODE SET (byte 0 bits 3..0)
    public static final int CODE_SET_BINARY = 1;
    public static final int CODE_SET_ASCII = 2;
    public static final int CODE_SET_UTF8 = 3;

    /** PROTOCOL IDENTIFIER of iSCSI (SPC-4 Table 362), meaningful when PIV is set. */
    public static final int PROTOCOL_ISCSI = 5;

    // NAA field (first nibble of an NAA designator)
    public static final int NAA_IEEE_EXTENDED = 0x2;
    public static final int NAA_LOCALLY_ASSIGNED = 0x3;
    public static final int NAA_IEEE_REGISTERED = 0x5;
    public static final int NAA_IEEE_REGISTERED_EXTENDED = 0x6;

    private static final String[] TYPE_NAMES = {
        "vendor specific", "T10 vendor ID", "EUI-64", "NAA", "relative target port", "target port group",
        "logical unit group", "MD5 logical unit", "SCSI name string", "protocol specific port", "UUID"
    };

    public Vpd83 {
        designators = List.copyOf(designators);
    }

    /**
     * One designation descriptor.
     *
     * @param protocolIdentifier PROTOCOL IDENTIFIER (byte 0 bits 7..4), meaningful when {@code piv}
     * @param codeSet            CODE SET: 1 binary, 2 ASCII, 3 UTF-8
     * @param piv                PIV (byte 1 bit 7)
     * @param association        0 the LU, 1 the target port, 2 the target device
     * @param type               DESIGNATOR TYPE
     * @param value              the DESIGNATOR bytes (a copy)
     */
    public record Designator(int protocolIdentifier, int codeSet, boolean piv, int association, int type,
                             byte[] value) {

        public Designator {
            Wire.range("designator length", value.length, 0, 0xFF);
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public int length() {
            return value.length;
        }

        /** The NAA field of an NAA designator: 2, 3, 5 or 6. */
        public int naa() {
            requireType(TYPE_NAA);
            if (value.length == 0) throw new ScsiDataException("NAA designator length: 0 (expected: 8 or 16)");
            return (value[0] & 0xF0) >> 4;
        }

        /** RELATIVE TARGET PORT IDENTIFIER of a type 4 designator (bytes 2..3). */
        public int relativeTargetPort() {
            return id16(TYPE_RELATIVE_TARGET_PORT);
        }

        /** TARGET PORT GROUP of a type 5 designator (bytes 2..3), as scsi_dh_alua reads it. */
        public int targetPortGroup() {
            return id16(TYPE_TARGET_PORT_GROUP);
        }

        /** LOGICAL UNIT GROUP of a type 6 designator (bytes 2..3). */
        public int logicalUnitGroup() {
            return id16(TYPE_LOGICAL_UNIT_GROUP);
        }

        private int id16(int expectedType) {
            requireType(expectedType);
            if (value.length != 4)
                throw new ScsiDataException(typeName(type) + " designator length: " + value.length + " (expected: 4)");
            return (value[2] & 0xFF) << 8 | (value[3] & 0xFF);
        }

        private void requireType(int expected) {
            if (type != expected)
                throw new IllegalStateException("designator type: " + typeName(type) + " (expected: "
                        + typeName(expected) + ")");
        }

        /** The value as text up to its first NUL (ASCII and UTF-8 designators are NUL-padded). */
        public String text() {
            int end = 0;
            while (end < value.length && value[end] != 0) end++;
            return new String(value, 0, end, codeSet == CODE_SET_UTF8 ? StandardCharsets.UTF_8
                    : StandardCharsets.ISO_8859_1);
        }

        public String hex() {
            return HexFormat.of().formatHex(value);
        }

        byte[] toBytes() {
            byte[] b = new byte[4 + value.length];
            b[0] = (byte) (protocolIdentifier << 4 | codeSet);
            b[1] = (byte) ((piv ? 0x80 : 0) | association << 4 | type);
            b[3] = (byte) value.length;
            System.arraycopy(value, 0, b, 4, value.length);
            return b;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Designator d && d.protocolIdentifier == protocolIdentifier && d.codeSet == codeSet
                    && d.piv == piv && d.association == association && d.type == type
                    && Arrays.equals(d.value, value);
        }

        @Override
        public int hashCode() {
            return ((type * 31 + association) * 31 + codeSet) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return typeName(type) + " (association " + association + ", code set " + codeSet + "): "
                    + (codeSet == CODE_SET_ASCII || codeSet == CODE_SET_UTF8 ? '"' + text() + '"' : hex());
        }
    }

    public static String typeName(int type) {
        return type < TYPE_NAMES.length ? TYPE_NAMES[type] : String.format("reserved type 0x%x", type);
    }

    /** Designators of {@code type} with {@code association}. */
    public List<Designator> designators(int type, int association) {
        List<Designator> out = new ArrayList<>();
        for (Designator d : designators)
            if (d.type == type && d.association == association) out.add(d);
        return out;
    }

    /**
     * The target port group of the port that answered (first type 5 designator, whatever its association, as the
     * kernel's {@code scsi_vpd_tpg_id()}); empty when the device does not do ALUA.
     */
    public OptionalInt targetPortGroup() {
        for (Designator d : designators)
            if (d.type == TYPE_TARGET_PORT_GROUP) return OptionalInt.of(d.targetPortGroup());
        return OptionalInt.empty();
    }

    /** The relative target port id of the port that answered (first type 4 designator). */
    public OptionalInt relativeTargetPort() {
        for (Designator d : designators)
            if (d.type == TYPE_RELATIVE_TARGET_PORT) return OptionalInt.of(d.relativeTargetPort());
        return OptionalInt.empty();
    }

    /** Parses a whole page 0x83 from the reader index, without moving indexes. */
    public static Vpd83 parse(ByteBuf buf) {
        int length = VpdPage.check(buf, VpdPage.DEVICE_IDENTIFICATION);
        return scan(buf, VpdPage.HEADER + length, true);
    }

    public static Vpd83 parse(byte[] data) {
        return parse(Wire.wrap(data));
    }

    /**
     * The designators that fit, as multipath-tools' {@code parse_vpd_pg83()} walks them: within PAGE LENGTH or
     * what arrived, whichever is shorter, stopping at the first designator that runs past the end.
     */
    static Vpd83 parseLenient(ByteBuf buf) {
        int code = VpdPage.pageCode(buf);
        if (code != VpdPage.DEVICE_IDENTIFICATION)
            throw new ScsiDataException(String.format("VPD page code: 0x%02x (expected: 0x83)", code));
        return scan(buf, Math.min(buf.readableBytes(), VpdPage.requiredLength(buf)), false);
    }

    private static Vpd83 scan(ByteBuf buf, int total, boolean strict) {
        int at = buf.readerIndex();
        List<Designator> list = new ArrayList<>();
        for (int d = VpdPage.HEADER; d < total; ) {
            int left = total - d;
            int next = d + 4 + (left >= 4 ? buf.getUnsignedByte(at + d + 3) : 0);
            if (left < 4 || next > total) {
                if (!strict) break;
                throw new ScsiDataException("VPD page 0x83 designator at offset " + d + ": "
                        + (left < 4 ? "header of 4 bytes" : "length " + (next - d - 4))
                        + " (expected: <= " + left + " bytes left in the page)");
            }
            int b0 = buf.getUnsignedByte(at + d);
            int b1 = buf.getUnsignedByte(at + d + 1);
            list.add(new Designator(b0 >> 4, b0 & 0x0F, (b1 & 0x80) != 0, (b1 >> 4) & 0x03, b1 & 0x0F,
                    Wire.bytes(buf, at + d + 4, next - d - 4)));
            d = next;
        }
        return new Vpd83(buf.getUnsignedByte(at), list);
    }

    /** Encodes the page with its header, as a target answers INQUIRY EVPD 0x83. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Designator d : designators) out.writeBytes(d.toBytes());
        return VpdPage.encode(peripheral, VpdPage.DEVICE_IDENTIFICATION, out.toByteArray());
    }
}
