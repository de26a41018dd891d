package io.mpathgw.gateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keywords one section or block of multipath.conf sets, each with its typed value and the text it was written
 * as (for {@code show config}). Keys are canonical ({@code checker} is stored as {@code path_checker}); a key given
 * twice keeps the later value, as libmultipath's handlers overwrite.
 */
final class Settings {

    /** A typed value and how it was written. */
    record Value(Object value, String text) {
    }

    private final Map<String, Value> values;

    Settings(Map<String, Value> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static final Settings EMPTY = new Settings(Map.of());

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The typed value of {@code key}, or null when this section does not set it. */
    @SuppressWarnings("unchecked")
    <T> T get(String key) {
        Value v = values.get(key);
        return v == null ? null : (T) v.value();
    }

    Map<String, Value> all() {
        return values;
    }

    /** This section's values, with {@code under}'s filling the keys this one does not set (libmultipath merge_hwe). */
    Settings over(Settings under) {
        Map<String, Value> m = new LinkedHashMap<>(under.values);
        m.putAll(values);
        return new Settings(m);
    }
}
