package io.mpathgw.dm.selector;

import java.util.List;
import java.util.function.Supplier;

/**
 * A selector type whose group takes no arguments of its own (rr, ql, st: dm-path-selector.h's table_args and
 * info_args are constants); the kernel ignores any selector args given to them, and so do we.
 */
abstract class FixedArgsType implements PathSelectorType {

    private final String name;
    private final int tableArgs;
    private final int infoArgs;
    private final Supplier<PathSelector> factory;

    FixedArgsType(String name, int tableArgs, int infoArgs, Supplier<PathSelector> factory) {
        this.name = name;
        this.tableArgs = tableArgs;
        this.infoArgs = infoArgs;
        this.factory = factory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int tableArgs() {
        return tableArgs;
    }

    @Override
    public int infoArgs() {
        return infoArgs;
    }

    @Override
    public PathSelector create(List<String> args) {
        return factory.get();
    }
}
