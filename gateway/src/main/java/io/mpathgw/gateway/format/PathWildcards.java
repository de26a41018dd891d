package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;

/**
 * multipathd's path format wildcards (spec §7.11; the letters and headers of libmultipath's print.c, in its
 * order). What a path of ours cannot know prints as multipath-tools prints a value it could not read: "[undef]"
 * (host WWNN/WWPN are Fibre Channel only, as for iSCSI there), "n/a" for max_sectors_kb. An orphan path
 * (belongs to no map) prints "undef", "unknown" and "orphan" where multipath-tools does.
 */
public final class PathWildcards {

    /** {@code show paths}: hcil dev dev_t pri dm_st chk_st dev_st next_check. */
    public static final String CHECKER_FORMAT = "%i %d %D %p %t %T %o %C";
    /** The path line of the topology tree. */
    public static final String INDENT_FORMAT = "%i %d %D %t %T %o";

    static final String UNDEF = "[undef]";

    public static final Wildcards<PathRow> PATHS = new Wildcards<>(
            new Field<>('w', "uuid", r -> r.path().wwid()),
            new Field<>('i', "hcil", r -> r.path().hcil().isEmpty() ? "#:#:#:#" : r.path().hcil()),
            new Field<>('d', "dev", r -> r.path().dev().isEmpty() ? "-" : r.path().dev()),
            new Field<>('D', "dev_t", r -> r.path().dev().isEmpty() ? "#:#" : r.path().devT()),
            new Field<>('t', "dm_st", r -> dmState(r.path())),
            new Field<>('o', "dev_st", r -> r.orphan() ? "unknown" : onlineState(r.path())),
            new Field<>('T', "chk_st", r -> r.orphan() ? "undef" : r.path().checkerState()),
            new Field<>('s', "vend/prod/rev", PathWildcards::vendorProductRevision),
            new Field<>('c', "checker", r -> r.path().checker().isEmpty() ? "(null)" : r.path().checker()),
            new Field<>('C', "next_check", r -> r.orphan() ? "orphan"
                    : progress(r.path().checkTick(), r.path().checkInterval())),
            new Field<>('p', "pri", r -> Integer.toString(r.path().priority())),
            new Field<>('S', "size", r -> r.orphan() ? UNDEF : Sizes.ofSectors(r.map().sizeSectors())),
            new Field<>('z', "serial", r -> ""),
            new Field<>('M', "marginal_st", r -> "normal"),
            new Field<>('m', "multipath", r -> r.orphan() ? "[orphan]" : r.map().name()),
            new Field<>('N', "host WWNN", r -> UNDEF),
            new Field<>('n', "target WWNN", r -> r.path().target().isEmpty() ? UNDEF : r.path().target()),
            new Field<>('R', "host WWPN", r -> UNDEF),
            new Field<>('r', "target WWPN", r -> UNDEF),
            new Field<>('a', "host adapter", r -> UNDEF),
            new Field<>('G', "foreign", r -> "--"),
            new Field<>('g', "vpd page data", r -> UNDEF),
            new Field<>('0', "failures", r -> Long.toString(r.path().counters().failures())),
            new Field<>('P', "protocol", r -> "scsi:iscsi"),
            new Field<>('I', "init_st", r -> "ok"),
            new Field<>('L', "LUN hex", r -> lunHex(r.path())),
            new Field<>('A', "TPG", r -> r.path().aluaTpg() < 0 ? UNDEF : String.format("0x%04x", r.path().aluaTpg())),
            new Field<>('k', "max_sectors_kb", r -> "n/a"));

    private PathWildcards() {
    }

    /** Width of multipath-tools' progress bar (print.c PROGRESS_LEN). */
    static final int PROGRESS_LEN = 10;

    /**
     * multipath-tools' progress bar of {@code cur} out of {@code total}: 10 * cur / total X's, dots up to 10, then
     * " cur/total"; without a total only " cur/total" (as print.c's snprint_progress).
     */
    static String progress(int cur, int total) {
        String bar = "";
        if (total > 0) {
            int x = Math.max(0, Math.min(PROGRESS_LEN, PROGRESS_LEN * cur / total));
            bar = "X".repeat(x) + ".".repeat(PROGRESS_LEN - x);
        }
        return bar + " " + cur + "/" + total;
    }

    private static String dmState(PathView p) {
        return p.dmState().equals("active") || p.dmState().equals("failed") ? p.dmState() : "undef";
    }

    private static String onlineState(PathView p) {
        return p.onlineState().equals("offline") ? "offline" : "running";
    }

    private static String vendorProductRevision(PathRow r) {
        MapView m = r.map();
        return known(m == null ? "" : m.vendor()) + "," + known(m == null ? "" : m.product()) + ","
                + known(m == null ? "" : m.revision());
    }

    static String known(String s) {
        return s == null || s.isEmpty() ? "##" : s;
    }

    /** The LUN as the 8-byte SAM LUN structure in hex, as the kernel's int_to_scsilun lays it out. */
    static String lunHex(PathView p) {
        if (p.hcil().isEmpty()) return "0xffffffffffffffff";
        long lun = p.lun() & 0xffffffffL;
        long sam = ((lun & 0xffffL) << 48) | ((lun & 0xffff0000L) << 16);
        return String.format("0x%016x", sam);
    }
}
