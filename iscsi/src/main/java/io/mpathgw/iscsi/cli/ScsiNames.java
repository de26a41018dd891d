package io.mpathgw.iscsi.cli;

import java.util.List;

/**
 * Names the tools print for SCSI codes, in the upper-case style of libiscsi's tools so that outputs can be read
 * side by side: peripheral device types (SPC-4 Table 49), VPD pages, and the fields of designation descriptors
 * (SPC-4 Device Identification VPD page).
 */
final class ScsiNames {

    private static final List<String> DEVICE_TYPES = List.of(
            "DIRECT_ACCESS", "SEQUENTIAL_ACCESS", "PRINTER", "PROCESSOR", "WRITE_ONCE", "MMC", "SCANNER",
            "OPTICAL_MEMORY", "MEDIUM_CHANGER", "COMMUNICATIONS", "OBSOLETE_0A", "OBSOLETE_0B",
            "STORAGE_ARRAY_CONTROLLER", "ENCLOSURE_SERVICES", "SIMPLIFIED_DIRECT_ACCESS", "OPTICAL_CARD_READER",
            "BRIDGE_CONTROLLER", "OSD", "AUTOMATION", "SECURITY_MANAGER", "ZONED_BLOCK", "RESERVED_15",
            "RESERVED_16", "RESERVED_17", "RESERVED_18", "RESERVED_19", "RESERVED_1A", "RESERVED_1B",
            "RESERVED_1C", "RESERVED_1D", "WELL_KNOWN_LUN", "UNKNOWN");
    private static final List<String> CODE_SETS = List.of("RESERVED_0", "BINARY", "ASCII", "UTF8");
    private static final List<String> ASSOCIATIONS = List.of("LOGICAL_UNIT", "TARGET_PORT", "TARGET_DEVICE", "RESERVED_3");
    private static final List<String> DESIGNATOR_TYPES = List.of(
            "VENDOR_SPECIFIC", "T10_VENDOR_ID", "EUI_64", "NAA", "RELATIVE_TARGET_PORT", "TARGET_PORT_GROUP",
            "LOGICAL_UNIT_GROUP", "MD5_LOGICAL_UNIT_IDENTIFIER", "SCSI_NAME_STRING", "PROTOCOL_SPECIFIC_PORT", "UUID");
    private static final List<String> PROTOCOLS = List.of(
            "FIBRE_CHANNEL", "PARALLEL_SCSI", "SSA", "IEEE_1394", "RDMA", "ISCSI", "SAS", "ADT", "ATA", "UAS", "SOP");

    private ScsiNames() {
    }

    static String deviceType(int type) {
        return DEVICE_TYPES.get(type & 0x1F);
    }

    static String qualifier(int qualifier) {
        return switch (qualifier) {
            case 0 -> "CONNECTED";
            case 1 -> "DISCONNECTED";
            case 3 -> "NOT_SUPPORTED";
            default -> qualifier >= 4 ? "VENDOR_SPECIFIC" : "RESERVED";
        };
    }

    static String codeSet(int codeSet) {
        return codeSet < CODE_SETS.size() ? CODE_SETS.get(codeSet) : "RESERVED_" + Integer.toHexString(codeSet).toUpperCase();
    }

    static String association(int association) {
        return ASSOCIATIONS.get(association & 3);
    }

    static String designatorType(int type) {
        return type < DESIGNATOR_TYPES.size() ? DESIGNATOR_TYPES.get(type) : "RESERVED_" + Integer.toHexString(type).toUpperCase();
    }

    static String protocol(int id) {
        return id < PROTOCOLS.size() ? PROTOCOLS.get(id) : id == 0xF ? "NONE" : "RESERVED_" + Integer.toHexString(id).toUpperCase();
    }

    /** VERSION of standard INQUIRY data (SPC-4 Table 142). */
    static String version(int version) {
        return switch (version) {
            case 0 -> "no standard claimed";
            case 3 -> "SPC";
            case 4 -> "SPC-2";
            case 5 -> "SPC-3";
            case 6 -> "SPC-4";
            case 7 -> "SPC-5";
            default -> "reserved";
        };
    }

    static String vpdPage(int page) {
        return switch (page) {
            case 0x00 -> "SUPPORTED_VPD_PAGES";
            case 0x80 -> "UNIT_SERIAL_NUMBER";
            case 0x83 -> "DEVICE_IDENTIFICATION";
            case 0x84 -> "SOFTWARE_INTERFACE_IDENTIFICATION";
            case 0x85 -> "MANAGEMENT_NETWORK_ADDRESSES";
            case 0x86 -> "EXTENDED_INQUIRY_DATA";
            case 0x87 -> "MODE_PAGE_POLICY";
            case 0x88 -> "SCSI_PORTS";
            case 0x89 -> "ATA_INFORMATION";
            case 0x8F -> "THIRD_PARTY_COPY";
            case 0xB0 -> "BLOCK_LIMITS";
            case 0xB1 -> "BLOCK_DEVICE_CHARACTERISTICS";
            case 0xB2 -> "LOGICAL_BLOCK_PROVISIONING";
            case 0xB3 -> "REFERRALS";
            default -> page >= 0xC0 ? "VENDOR_SPECIFIC" : "unknown";
        };
    }
}
