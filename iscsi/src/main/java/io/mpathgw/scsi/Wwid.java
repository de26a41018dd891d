package io.mpathgw.scsi;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The World Wide Identifier of a logical unit, as multipath-tools derives it from VPD page 0x83 when it reads the
 * page itself (no udev {@code uid_attribute}): the string that names the map, {@code mpath-<wwid>} in dm's uuid, and
 * the key of {@code multipaths} entries.
 *
 * <p>The rule, as read in opensvc/multipath-tools {@code libmultipath/discovery.c}, {@code parse_vpd_pg83()}
 * (commit c2fcdaf1, 2026-02), implemented here from that reading:
 * <ol>
 *   <li>Walk the designators within PAGE LENGTH (or the bytes received, if fewer); stop at one that runs past the
 *       end, keeping what was chosen so far.</li>
 *   <li>Consider only association 0 (the LU). Rank the valid ones:
 *       NAA IEEE Registered Extended (NAA 6, length 16) 8; NAA IEEE Registered (5, length 8) 7;
 *       NAA IEEE Extended (2, length 8) 6; EUI-64 (length 8, 12 or 16) 4; SCSI name string (length >= 4, starting
 *       {@code eui.}, {@code naa.} or {@code iqn.}) 3; T10 vendor ID (length >= 8) 2; NAA Locally Assigned
 *       (3, length 8) 1. Any other NAA value or length is invalid, and so is every other type for this purpose.
 *       Note that a locally assigned NAA ranks <em>below</em> a T10 vendor ID.</li>
 *   <li>The highest rank wins; among equals, the first in the page.</li>
 *   <li>Format: NAA and EUI-64 — the designator type digit ({@code 3} or {@code 2}) and the designator bytes in
 *       lower-case hex. SCSI name string — {@code 2} for {@code eui.}, {@code 3} for {@code naa.} (the rest
 *       lower-cased), {@code 8} otherwise (kept as is); the 4-character prefix is dropped and the string ends at
 *       its first NUL. T10 vendor ID — {@code 1}, then the bytes with every run of spaces turned into one
 *       {@code _} (none at the end), up to the first NUL.</li>
 *   <li>At most 127 characters (WWID_SIZE 128 with its NUL); designators beyond 128 bytes are cut first.</li>
 * </ol>
 * Not covered: udev's {@code ID_SERIAL} from {@code scsi_id}, which multipathd prefers when {@code uid_attribute} is
 * set and which orders some designators differently; the VPD 0x80 fallback.
 *
 * @param value  the WWID string, e.g. {@code 36001405d27e5d898829468b90ce4ef8c}
 * @param source the designator it came from
 */
public record Wwid(String value, Vpd83.Designator source) {

    /** WWID_SIZE of libmultipath/structs.h, including the terminating NUL. */
    static final int WWID_SIZE = 128;

    /** The WWID of a page 0x83 (reader index on the page header, indexes untouched); empty when none qualifies. */
    public static Optional<Wwid> fromVpd83(ByteBuf page) {
        return of(Vpd83.parseLenient(page));
    }

    public static Optional<Wwid> fromVpd83(byte[] page) {
        return fromVpd83(Wire.wrap(page));
    }

    /** The WWID chosen among the designators of {@code page}; empty when none qualifies. */
    public static Optional<Wwid> of(Vpd83 page) {
        Vpd83.Designator best = null;
        int bestRank = 0;
        for (Vpd83.Designator d : page.designators()) {
            int rank = rank(d);
            if (rank > bestRank) {
                best = d;
                bestRank = rank;
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Wwid(format(best), best));
    }

    /** The rank of a designator (0: not usable as WWID). */
    static int rank(Vpd83.Designator d) {
        if (d.association() != Vpd83.ASSOCIATION_LU) return 0;
        byte[] v = d.value();
        return switch (d.type()) {
            case Vpd83.TYPE_NAA -> v.length == 0 ? 0 : naaRank((v[0] & 0xF0) >> 4, v.length);
            case Vpd83.TYPE_EUI_64 -> v.length == 8 || v.length == 12 || v.length == 16 ? 4 : 0;
            case Vpd83.TYPE_SCSI_NAME_STRING -> v.length >= 4 && knownNamePrefix(v) ? 3 : 0;
            case Vpd83.TYPE_T10_VENDOR_ID -> v.length >= 8 ? 2 : 0;
            default -> 0;
        };
    }

    private static int naaRank(int naa, int length) {
        return switch (naa) {
            case Vpd83.NAA_IEEE_REGISTERED_EXTENDED -> length == 16 ? 8 : 0;
            case Vpd83.NAA_IEEE_REGISTERED -> length == 8 ? 7 : 0;
            case Vpd83.NAA_IEEE_EXTENDED -> length == 8 ? 6 : 0;
            case Vpd83.NAA_LOCALLY_ASSIGNED -> length == 8 ? 1 : 0;
            default -> 0;
        };
    }

    private static boolean knownNamePrefix(byte[] v) {
        String p = new String(v, 0, 4, StandardCharsets.ISO_8859_1);
        return p.equals("eui.") || p.equals("naa.") || p.equals("iqn.");
    }

    private static String format(Vpd83.Designator d) {
        byte[] v = d.value();
        int length = Math.min(v.length, WWID_SIZE);
        String s = switch (d.type()) {
            case Vpd83.TYPE_NAA, Vpd83.TYPE_EUI_64 ->
                    d.type() + HexFormat.of().formatHex(v, 0, length);
            case Vpd83.TYPE_SCSI_NAME_STRING -> scsiName(v, length);
            default -> t10(v, length);
        };
        return s.length() >= WWID_SIZE ? s.substring(0, WWID_SIZE - 1) : s;
    }

    private static String scsiName(byte[] v, int length) {
        String prefix = new String(v, 0, 4, StandardCharsets.ISO_8859_1);
        String rest = upToNul(new String(v, 4, length - 4, StandardCharsets.ISO_8859_1));
        return switch (prefix) {
            case "eui." -> "2" + rest.toLowerCase(Locale.ROOT);
            case "naa." -> "3" + rest.toLowerCase(Locale.ROOT);
            default -> "8" + rest;
        };
    }

    private static String t10(byte[] v, int length) {
        StringBuilder b = new StringBuilder("1");
        int i = 0;
        while (i < length) {
            if (v[i] != ' ') {
                b.append((char) (v[i++] & 0xFF));
                continue;
            }
            while (i < length && v[i] == ' ') i++;
            if (i < length) b.append('_');
        }
        return upToNul(b.toString());
    }

    private static String upToNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    @Override
    public String toString() {
        return value;
    }
}
