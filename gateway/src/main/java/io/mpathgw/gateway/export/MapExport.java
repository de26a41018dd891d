package io.mpathgw.gateway.export;

import io.mpathgw.gateway.model.MapView;
import io.mpathgw.scsi.BlockDevice;

import java.util.HexFormat;
import java.util.Optional;

/**
 * One map as the exports offer it: its name, the array's identity, and its block device.
 *
 * @param name     the map's name (alias): the NBD export name and the last part of the iSCSI target name
 * @param wwid     multipath-tools' WWID ("3" + NAA hex for an NAA designator)
 * @param vendor   the array's INQUIRY vendor, trimmed
 * @param product  the array's INQUIRY product, trimmed
 * @param revision the array's INQUIRY revision, trimmed
 * @param device   the map's block device (the multipath engine's MultipathBlockDevice in the daemon)
 */
public record MapExport(String name, String wwid, String vendor, String product, String revision,
                        BlockDevice device) {

    static MapExport of(MapView v, BlockDevice device) {
        return new MapExport(v.name(), v.wwid(), v.vendor(), v.product(), v.revision(), device);
    }

    /**
     * The NAA designator the WWID came from, so the re-exported LU keeps the array's identity: multipath-tools
     * prints designator type 3 (NAA) as "3" + its hex; NAA 2, 3, 5 are 8 bytes, NAA 6 is 16. Empty for other
     * designator types (T10 vendor id, EUI-64, SCSI name string), which the LU cannot carry as NAA.
     */
    public Optional<byte[]> naa() {
        if (wwid.length() != 17 && wwid.length() != 33 || wwid.charAt(0) != '3') return Optional.empty();
        byte[] d;
        try {
            d = HexFormat.of().parseHex(wwid.substring(1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int kind = (d[0] & 0xF0) >> 4;
        boolean ok = d.length == 16 ? kind == 6 : kind == 2 || kind == 3 || kind == 5;
        return ok ? Optional.of(d) : Optional.empty();
    }

    /** INQUIRY strings as the LU takes them: printable ASCII, cut to the field's width. */
    static String field(String s, int width, String fallback) {
        String t = s == null || s.isBlank() || s.equals("##") ? fallback : s;
        StringBuilder b = new StringBuilder();
        for (char c : t.toCharArray()) if (c >= 0x20 && c < 0x7f) b.append(c);
        return b.length() > width ? b.substring(0, width) : b.toString();
    }
}
