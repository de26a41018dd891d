package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path with the map it belongs to ({@code null} for an orphan: blacklisted, no WWID, not yet mapped), which several
 * path wildcards read (vendor, size, "orphan" states).
 */
public record PathRow(PathView path, MapView map) {

    public boolean orphan() {
        return map == null;
    }

    /** Each path with its map, found by the path's {@code map} name among {@code maps}. */
    public static List<PathRow> of(List<PathView> paths, List<MapView> maps) {
        Map<String, MapView> byName = new HashMap<>();
        for (MapView m : maps) byName.put(m.name(), m);
        List<PathRow> rows = new ArrayList<>(paths.size());
        for (PathView p : paths) rows.add(new PathRow(p, p.map().isEmpty() ? null : byName.get(p.map())));
        return rows;
    }

    /** The paths of {@code map}, group by group, in table order. */
    public static List<PathRow> ofMap(MapView map) {
        List<PathRow> rows = new ArrayList<>();
        map.groups().forEach(g -> g.paths().forEach(p -> rows.add(new PathRow(p, map))));
        return rows;
    }
}
