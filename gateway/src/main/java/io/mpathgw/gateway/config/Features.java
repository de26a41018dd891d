package io.mpathgw.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words of a {@code features} value checked against what the kernel's parse_features accepts (spec §1.2), so a
 * table that would not load is caught in the config: a known feature with a bad argument is an error; a word the
 * kernel does not know (old files carry {@code no_partitions}, a kpartx option of the past) is dropped with a
 * warning, as the map could not be created with it.
 */
final class Features {

    private Features() {
    }

    /** The features string, recounted; throws Unsupported carrying the cleaned string if words were dropped. */
    static String check(List<String> words, ValueType type) throws ValueType.Bad, ValueType.Unsupported {
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).toLowerCase(Locale.ROOT);       // the kernel compares with strcasecmp
            switch (w) {
                case "queue_if_no_path", "retain_attached_hw_handler" -> kept.add(w);
                case "pg_init_retries" -> {
                    kept.add(w);
                    kept.add(argument(words, ++i, 1, 50, type));        // the ranges dm-mpath.c parse_features accepts
                }
                case "pg_init_delay_msecs" -> {
                    kept.add(w);
                    kept.add(argument(words, ++i, 0, 60000, type));
                }
                case "queue_mode" -> {
                    kept.add(w);
                    String m = i + 1 < words.size() ? words.get(++i) : "";
                    if (!List.of("bio", "rq", "mq").contains(m.toLowerCase(Locale.ROOT)))
                        throw new ValueType.Bad(type, "queue_mode " + (m.isEmpty() ? "without a value" : m));
                    kept.add(m);
                }
                default -> dropped.add(words.get(i));
            }
        }
        String value = kept.isEmpty() ? "0" : kept.size() + " " + String.join(" ", kept);
        if (!dropped.isEmpty())
            throw new ValueType.Unsupported("'" + String.join(" ", dropped) + "' is not a dm-multipath feature",
                    value);
        return value;
    }

    private static String argument(List<String> words, int at, int min, int max, ValueType type) throws ValueType.Bad {
        String name = words.get(at - 1);
        if (at >= words.size()) throw new ValueType.Bad(type, name + " without a value");
        try {
            int n = Integer.parseInt(words.get(at));
            if (n >= min && n <= max) return words.get(at);
        } catch (NumberFormatException e) {
            // below
        }
        throw new ValueType.Bad(type, name + " " + words.get(at));
    }
}
