package io.mpathgw.dm;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plugins of one kind, by exact name (as dm-path-selector.c looks them up); immutable once built. */
public final class Registry<T extends Named> {

    private final Map<String, T> byName = new LinkedHashMap<>();

    public Registry(String kind, List<T> plugins) {
        for (T p : plugins)
            if (byName.putIfAbsent(p.name(), p) != null)
                throw new IllegalStateException("duplicate " + kind + ": " + p.name());
    }

    public Optional<T> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<T> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
