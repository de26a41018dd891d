package io.mpathgw.gateway.nbd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The exports of one server by name, in the order they were added. Reads take a snapshot and never lock; changes
 * are rare (a map is added or removed) and copy the list.
 */
final class NbdExports {

    private volatile List<NbdExport> exports = List.of();

    synchronized void add(NbdExport e) {
        if (find(e.name()).filter(x -> x.name().equals(e.name())).isPresent())
            throw new IllegalArgumentException("export name: \"" + e.name() + "\" (expected: not exported yet)");
        List<NbdExport> copy = new ArrayList<>(exports);
        copy.add(e);
        exports = List.copyOf(copy);
    }

    synchronized Optional<NbdExport> remove(String name) {
        List<NbdExport> copy = new ArrayList<>(exports);
        Optional<NbdExport> gone = copy.stream().filter(e -> e.name().equals(name)).findFirst();
        gone.ifPresent(copy::remove);
        exports = List.copyOf(copy);
        return gone;
    }

    /** The export called {@code name}; the empty name, proto.md's "default" export, is the first one added. */
    Optional<NbdExport> find(String name) {
        List<NbdExport> now = exports;
        for (NbdExport e : now)
            if (e.name().equals(name)) return Optional.of(e);
        if (name.isEmpty() && !now.isEmpty()) return Optional.of(now.get(0));
        return Optional.empty();
    }

    List<NbdExport> all() {
        return exports;
    }
}
