package io.mpathgw.gateway.config;

import java.util.List;

/** One thing inside a block of a parsed file: a nested {@link ConfBlock} or a {@link Setting}. */
sealed interface ConfItem permits ConfBlock, ConfItem.Setting {
    String name();

    int line();

    /** {@code key value...}: one value in multipath.conf, a list for keys that take several (allowed_initiators). */
    record Setting(String name, int line, List<ConfToken> values) implements ConfItem {
        String value() {
            return values.get(0).text();
        }
    }
}
