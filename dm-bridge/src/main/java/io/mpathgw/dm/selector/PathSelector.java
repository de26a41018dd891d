package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.util.List;

/**
 * One priority group's path selector, as the kernel's (spec §5). Called only on the map's thread; selection
 * and I/O accounting allocate nothing per I/O.
 */
public interface PathSelector {

    /** Adds a path in table order with its per-path args; errors carry the kernel's strings. */
    void addPath(SelectorPath p, List<String> args) throws TableException;

    void failPath(SelectorPath p);

    void reinstatePath(SelectorPath p);

    /** The path for a request of {@code nrBytes}, or {@code null} when no valid path is left. */
    SelectorPath selectPath(long nrBytes);

    default void startIo(SelectorPath p, long nrBytes) {
    }

    default void endIo(SelectorPath p, long nrBytes, long startNanos) {
    }

    /** Selector-wide part of status/table: "0" for built-ins, "2 972 0" for HST (no trailing blank). */
    String groupStatus(StatusType type);

    /** Per-path part: INFO e.g. "4096 1", TABLE e.g. "1 1"; "" when the selector prints nothing (rr INFO). */
    String pathStatus(SelectorPath p, StatusType type);
}
