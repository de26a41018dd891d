package io.mpathgw.dm.table;

import java.util.List;

/**
 * One path entry of a priority group: its path id as tables print it (a canonical {@code major:minor} for
 * kernel-style names, see {@link PathIds}) and its per-path selector args.
 */
public record PathSpec(String name, List<String> args) {

    public PathSpec {
        args = List.copyOf(args);
    }
}
