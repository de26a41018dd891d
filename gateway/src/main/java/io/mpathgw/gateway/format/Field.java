package io.mpathgw.gateway.format;

import java.util.function.Function;

/**
 * One format wildcard: its letter, the header {@code show … format} prints above its column, and its value.
 *
 * @param wildcard the letter after '%'
 * @param header   the column header, as multipath-tools names it ("hcil", "dev_t", "chk_st", ...)
 * @param value    the text for one item, never null
 */
public record Field<T>(char wildcard, String header, Function<T, String> value) {
}
