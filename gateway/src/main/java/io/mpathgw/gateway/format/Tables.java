package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.MapView;

import java.util.List;

/**
 * multipathd's {@code show paths} and {@code show maps} tables. Pretty (the default): a header line and columns
 * padded to the wider of header and values; nothing at all when there is no row. Raw ({@code show … raw format}):
 * no header, no padding.
 */
public final class Tables {

    private Tables() {
    }

    public static String paths(List<PathRow> rows, String format, boolean pretty) {
        return table(PathWildcards.PATHS, rows, format, pretty);
    }

    public static String maps(List<MapView> maps, String format, boolean pretty) {
        return table(MapWildcards.MAPS, maps, format, pretty);
    }

    /** {@code show map M [raw] format F}: one line, padded (not raw) to the widths of every map with headers. */
    public static String map(MapView map, List<MapView> all, String format, boolean pretty) {
        return MapWildcards.MAPS.line(map, format, pretty ? MapWildcards.MAPS.widths(all, true) : null);
    }

    /** {@code show path DEV}: the path's dev_st ("running" or "offline"). */
    public static String path(PathRow row) {
        return PathWildcards.PATHS.line(row, "%o", null);
    }

    /** {@code show wildcards}. */
    public static String wildcards() {
        StringBuilder out = new StringBuilder("multipath format wildcards:\n");
        MapWildcards.MAPS.fields().forEach(f -> out.append('%').append(f.wildcard()).append("  ").append(f.header()).append('\n'));
        out.append("\npath format wildcards:\n");
        PathWildcards.PATHS.fields().forEach(f -> out.append('%').append(f.wildcard()).append("  ").append(f.header()).append('\n'));
        return out.toString();
    }

    private static <T> String table(Wildcards<T> wildcards, List<T> rows, String format, boolean pretty) {
        if (pretty && rows.isEmpty()) return "";
        Wildcards.Widths widths = pretty ? wildcards.widths(rows, true) : null;
        StringBuilder out = new StringBuilder();
        if (pretty) out.append(wildcards.header(format, widths));
        for (T row : rows) out.append(wildcards.line(row, format, widths));
        return out.toString();
    }
}
