package io.mpathgw.dm.table;

import io.mpathgw.dm.selector.PathSelectorType;

import java.util.List;

/** One priority group of a table (spec §1.5): its selector with the selector args, and its paths in order. */
public record PriorityGroupSpec(PathSelectorType selector, List<String> selectorArgs, int perPathArgs,
                                List<PathSpec> paths) {

    public PriorityGroupSpec {
        selectorArgs = List.copyOf(selectorArgs);
        paths = List.copyOf(paths);
    }
}
