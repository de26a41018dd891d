package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.GroupView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;

import java.util.List;

/**
 * multipathd's JSON ({@code show maps json}, {@code show map M json}), laid out as libmultipath's print.c lays it
 * out (version 0.1): three-space indents, {@code "key" : value} pairs, closing braces run into the next element
 * ({@code },{}). Strings are escaped for JSON (multipath-tools copies them raw; for our values that is the same).
 */
public final class JsonTopology {

    private static final String MAP = "{\n"
            + "      \"name\" : \"%n\",\n"
            + "      \"uuid\" : \"%w\",\n"
            + "      \"sysfs\" : \"%d\",\n"
            + "      \"failback\" : \"%F\",\n"
            + "      \"queueing\" : \"%Q\",\n"
            + "      \"paths\" : %N,\n"
            + "      \"write_prot\" : \"%r\",\n"
            + "      \"dm_st\" : \"%t\",\n"
            + "      \"features\" : \"%f\",\n"
            + "      \"hwhandler\" : \"%h\",\n"
            + "      \"action\" : \"%A\",\n"
            + "      \"path_faults\" : %0,\n"
            + "      \"vend\" : \"%v\",\n"
            + "      \"prod\" : \"%p\",\n"
            + "      \"rev\" : \"%e\",\n"
            + "      \"switch_grp\" : %1,\n"
            + "      \"map_loads\" : %2,\n"
            + "      \"total_q_time\" : %3,\n"
            + "      \"q_timeouts\" : %4,";
    private static final String GROUP = "{\n"
            + "         \"selector\" : \"%s\",\n"
            + "         \"pri\" : %p,\n"
            + "         \"dm_st\" : \"%t\",\n"
            + "         \"marginal_st\" : \"%M\",";
    private static final String PATH = "{\n"
            + "            \"dev\" : \"%d\",\n"
            + "            \"dev_t\" : \"%D\",\n"
            + "            \"dm_st\" : \"%t\",\n"
            + "            \"dev_st\" : \"%o\",\n"
            + "            \"chk_st\" : \"%T\",\n"
            + "            \"checker\" : \"%c\",\n"
            + "            \"pri\" : %p,\n"
            + "            \"host_wwnn\" : \"%N\",\n"
            + "            \"target_wwnn\" : \"%n\",\n"
            + "            \"host_wwpn\" : \"%R\",\n"
            + "            \"target_wwpn\" : \"%r\",\n"
            + "            \"host_adapter\" : \"%a\",\n"
            + "            \"lun_hex\" : \"%L\",\n"
            + "            \"marginal_st\" : \"%M\"";
    private static final String HEADER = "{\n   \"major_version\": 0,\n   \"minor_version\": 1,\n";
    private static final String INDENT = "   ";

    private static final Wildcards<MapView> MAPS = escaped(MapWildcards.MAPS);
    private static final Wildcards<GroupView> GROUPS = escaped(GroupWildcards.GROUPS);
    private static final Wildcards<PathRow> PATHS = escaped(PathWildcards.PATHS);

    private JsonTopology() {
    }

    /** {@code show maps json} / {@code show topology json}. */
    public static String maps(List<MapView> maps) {
        StringBuilder out = new StringBuilder(HEADER).append(INDENT).append("\"maps\": [");
        for (int i = 0; i < maps.size(); i++) fields(out, maps.get(i), i + 1 == maps.size());
        return out.append("]\n").append("}\n").toString();
    }

    /** {@code show map M json}. */
    public static String map(MapView map) {
        StringBuilder out = new StringBuilder(HEADER).append("   \"map\":");
        fields(out, map, true);
        return out.append("\n").append("}\n").toString();
    }

    private static void fields(StringBuilder out, MapView m, boolean last) {
        out.append(MAPS.line(m, MAP, null));
        out.append(INDENT.repeat(2)).append("\"path_groups\": [");
        List<GroupView> groups = m.groups();
        for (int g = 0; g < groups.size(); g++) {
            out.append(GROUPS.line(groups.get(g), GROUP, null));
            out.append("         \"group\" : ").append(g + 1).append(",\n");
            out.append(INDENT.repeat(3)).append("\"paths\": [");
            List<PathView> paths = groups.get(g).paths();
            for (int p = 0; p < paths.size(); p++) {
                out.append(PATHS.line(new PathRow(paths.get(p), m), PATH, null));
                footer(out, 3, p + 1 == paths.size());
            }
            out.append("]\n");
            footer(out, 2, g + 1 == groups.size());
        }
        out.append("]\n");
        footer(out, 1, last);
    }

    private static void footer(StringBuilder out, int indent, boolean last) {
        out.append(INDENT.repeat(indent)).append(last ? "}" : "},");
    }

    private static <T> Wildcards<T> escaped(Wildcards<T> w) {
        return w.mapped(JsonTopology::escape);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
