package io.mpathgw.gateway.config;

import java.util.List;

/**
 * A parsed file before any keyword is interpreted: a block ({@code name { ... }}, or the whole file with an empty
 * name) holding settings and nested blocks in file order.
 */
record ConfBlock(String name, int line, List<ConfItem> items) implements ConfItem {
}
