package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.MapView;

/**
 * multipathd's map format wildcards (spec §7.11; letters and headers of libmultipath's print.c, in its order).
 * What the gateway does not track prints as multipath-tools prints a value it could not read.
 */
public final class MapWildcards {

    /** {@code show maps}: name sysfs uuid. */
    public static final String NAMES_FORMAT = "%n %d %w";
    /** {@code show maps status}: name failback queueing paths dm-st write_prot. */
    public static final String STATUS_FORMAT = "%n %F %Q %N %t %r";
    /** {@code show maps stats}: name path_faults switch_grp map_loads total_q_time q_timeouts. */
    public static final String STATS_FORMAT = "%n %0 %1 %2 %3 %4";
    /** The second line of a topology. */
    static final String PROPS_FORMAT = "size=%S features='%f' hwhandler='%h' wp=%r";

    public static final Wildcards<MapView> MAPS = new Wildcards<>(
            new Field<>('n', "name", MapView::name),
            new Field<>('w', "uuid", MapView::wwid),
            new Field<>('d', "sysfs", m -> m.dmName().isEmpty() ? "undef" : m.dmName()),
            new Field<>('F', "failback", MapWildcards::failback),
            new Field<>('Q', "queueing", MapView::queueing),
            new Field<>('N', "paths", m -> Integer.toString(m.nrActivePaths())),
            new Field<>('r', "write_prot", m -> m.writeProtect().isEmpty() ? "undef" : m.writeProtect()),
            new Field<>('t', "dm-st", m -> "active"),
            new Field<>('S', "size", m -> Sizes.ofSectors(m.sizeSectors())),
            new Field<>('f', "features", MapView::features),
            new Field<>('x', "failures", m -> Long.toString(m.counters().mapFailures())),
            new Field<>('h', "hwhandler", MapView::hwHandler),
            new Field<>('A', "action", m -> ""),
            new Field<>('0', "path_faults", m -> Long.toString(m.counters().pathFaults())),
            new Field<>('1', "switch_grp", m -> Long.toString(m.counters().switchGroup())),
            new Field<>('2', "map_loads", m -> Long.toString(m.counters().mapLoads())),
            new Field<>('3', "total_q_time", m -> Long.toString(m.counters().totalQueueTime())),
            new Field<>('4', "q_timeouts", m -> Long.toString(m.counters().queueTimeouts())),
            new Field<>('s', "vend/prod", MapWildcards::vendorProduct),
            new Field<>('v', "vend", m -> PathWildcards.known(unknownIfHashes(m.vendor()))),
            new Field<>('p', "prod", m -> PathWildcards.known(unknownIfHashes(m.product()))),
            new Field<>('e', "rev", m -> PathWildcards.known(unknownIfHashes(m.revision()))),
            new Field<>('G', "foreign", m -> "--"),
            new Field<>('g', "vpd page data", m -> PathWildcards.UNDEF),
            new Field<>('k', "max_sectors_kb", m -> "n/a"));

    private MapWildcards() {
    }

    /** multipath-tools prints "vendor,product" from the first path that has both, else "##,##". */
    static String vendorProduct(MapView m) {
        String v = unknownIfHashes(m.vendor()), p = unknownIfHashes(m.product());
        return v.isEmpty() || p.isEmpty() ? "##,##" : v + "," + p;
    }

    private static String unknownIfHashes(String s) {
        return s == null || s.equals("##") ? "" : s;
    }

    /** A number of seconds is a deferred failback ("deferred:15"); the words print as they are. */
    static String failback(MapView m) {
        String f = m.failback();
        if (f == null || f.isEmpty()) return "undef";
        return f.chars().allMatch(Character::isDigit) ? "deferred:" + f : f;
    }
}
