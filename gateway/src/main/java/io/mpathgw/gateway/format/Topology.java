package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.GroupView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;

import java.util.List;

/**
 * The topology tree of {@code multipath -ll} and {@code multipathd show topology} (spec §7.10):
 * <pre>
 * alias (wwid) dm-N vendor,product
 * size=10G features='…' hwhandler='…' wp=rw
 * |-+- policy='service-time 0' prio=50 status=active
 * | |- 1:0:0:0 sda 8:0  active ready running
 * | `- …
 * `-+- …
 *   `- …
 * </pre>
 * Path columns are padded to widths computed over a set of paths: multipath-tools 0.14.3's {@code multipath -ll}
 * uses the map's own paths, multipathd's {@code show topology} every path it knows, orphans included, so one map
 * can print wider columns in the daemon's view than in multipath's.
 */
public final class Topology {

    private static final String BOLD = "\u001b[1m", PLAIN = "\u001b[0m";

    private Topology() {
    }

    /** {@code multipath -ll}: each map with widths over its own paths. {@code bold}: stdout is a terminal. */
    public static String multipath(List<MapView> maps, boolean bold) {
        StringBuilder out = new StringBuilder();
        for (MapView m : maps)
            out.append(map(m, PathWildcards.PATHS.widths(PathRow.ofMap(m), false), bold));
        return out.toString();
    }

    /** {@code multipathd show topology}: widths over {@code allPaths} (every path the gateway knows). */
    public static String multipathd(List<MapView> maps, List<PathView> allPaths) {
        Wildcards.Widths widths = widthsOver(maps, allPaths);
        StringBuilder out = new StringBuilder();
        for (MapView m : maps) out.append(map(m, widths, false));
        return out.toString();
    }

    /** {@code multipathd show map M topology}: one map, widths over every path (as the daemon computes them). */
    public static String multipathd(MapView map, List<MapView> maps, List<PathView> allPaths) {
        return map(map, widthsOver(maps, allPaths), false);
    }

    private static Wildcards.Widths widthsOver(List<MapView> maps, List<PathView> allPaths) {
        Wildcards.Widths widths = PathWildcards.PATHS.widths(PathRow.of(allPaths, maps), false);
        for (MapView m : maps)          // a map's paths count even if the path list was read a moment earlier
            widths = widths.max(PathWildcards.PATHS.widths(PathRow.ofMap(m), false));
        return widths;
    }

    static String map(MapView m, Wildcards.Widths pathWidths, boolean bold) {
        StringBuilder out = new StringBuilder();
        String header = MapWildcards.MAPS.line(m, headerFormat(m), null);
        out.append(bold ? BOLD + header.substring(0, header.length() - 1) + PLAIN + "\n" : header);
        out.append(MapWildcards.MAPS.line(m, MapWildcards.PROPS_FORMAT, null));
        List<GroupView> groups = m.groups();
        for (int g = 0; g < groups.size(); g++) {
            boolean lastGroup = g + 1 == groups.size();
            out.append(lastGroup ? '`' : '|').append("-+- ");
            out.append(GroupWildcards.GROUPS.line(groups.get(g), GroupWildcards.INDENT_FORMAT, null));
            List<PathView> paths = groups.get(g).paths();
            for (int p = 0; p < paths.size(); p++) {
                out.append(lastGroup ? ' ' : '|').append(' ').append(p + 1 == paths.size() ? '`' : '|').append("- ");
                out.append(PathWildcards.PATHS.line(new PathRow(paths.get(p), m), PathWildcards.INDENT_FORMAT,
                        pathWidths));
            }
        }
        return out.toString();
    }

    /** "%n (%w) %d %s", without the WWID when the map is named by it. */
    private static String headerFormat(MapView m) {
        return m.name().equals(m.wwid()) ? "%n %d %s" : "%n (%w) %d %s";
    }
}
