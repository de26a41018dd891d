package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link MultipathDevice#reload(TableReload)} loads: multipath-tools' reload (TABLE_LOAD, then a resume with
 * NOFLUSH) of a new table for the same device.
 *
 * @param lengthSectors the new table's length; it must equal the map's ({@link MultipathDevice#length()})
 * @param table         the new params: features, hardware handler, groups and selectors replace the map's
 * @param failedPaths   devices of the new table to fail before the map resumes, as multipathd fails the paths it
 *                      knows are down right after a load (each as a fail_path: log line, events, fail_count + 1)
 * @param pathStates    where the path states of the new table start
 * @param noPathRetry   multipathd's no_path_retry from now on (spec §4.10), or null to keep the map's; see
 *                      {@link MultipathDevice#reload(TableReload)} for what happens to a countdown in progress
 * @param checkInterval the checker interval no_path_retry counts in (polling_interval), or null to keep the map's
 */
public record TableReload(long lengthSectors, MultipathTable table, Set<String> failedPaths, PathStates pathStates,
                          NoPathRetry noPathRetry, Duration checkInterval) {

    /** Where a reloaded table's path states start. */
    public enum PathStates {
        /**
         * A device in both tables keeps its active/failed state and fail_count; a new device starts active. (The
         * gateway's default: a reload does not lose what the map learned about its paths.)
         */
        KEPT,
        /**
         * As the kernel's multipath_ctr: every entry starts active with fail_count 0, whatever the old table said;
         * {@link #failedPaths} then brings the known-down ones to {@code F 1}, as multipathd's fail_path messages
         * after a real reload do.
         */
        FRESH
    }

    public TableReload {
        Objects.requireNonNull(table, "table");
        failedPaths = Set.copyOf(failedPaths);
        Objects.requireNonNull(pathStates, "pathStates");
        if (lengthSectors <= 0)
            throw new IllegalArgumentException("length: " + lengthSectors + " sectors (expected: > 0)");
        if (checkInterval != null && (checkInterval.isNegative() || checkInterval.isZero()))
            throw new IllegalArgumentException("polling_interval: " + checkInterval + " (expected: > 0)");
    }

    /** A reload that keeps the map's no_path_retry and checker interval. */
    public TableReload(long lengthSectors, MultipathTable table, Set<String> failedPaths, PathStates pathStates) {
        this(lengthSectors, table, failedPaths, pathStates, null, null);
    }

    /** {@code table} for a map of {@code lengthSectors}; path states {@link PathStates#KEPT}, no path failed. */
    public static TableReload of(long lengthSectors, MultipathTable table) {
        return new TableReload(lengthSectors, table, Set.of(), PathStates.KEPT);
    }

    /** The same reload, failing {@code paths} (names as the table gives them) before the map resumes. */
    public TableReload failing(Collection<String> paths) {
        return new TableReload(lengthSectors, table, Set.copyOf(paths), pathStates, noPathRetry, checkInterval);
    }

    public TableReload pathStates(PathStates states) {
        return new TableReload(lengthSectors, table, failedPaths, states, noPathRetry, checkInterval);
    }

    /** The same reload, bringing multipathd's {@code no_path_retry} counted in {@code checkInterval}s. */
    public TableReload noPathRetry(NoPathRetry retry, Duration checkInterval) {
        return new TableReload(lengthSectors, table, failedPaths, pathStates, Objects.requireNonNull(retry, "retry"),
                Objects.requireNonNull(checkInterval, "checkInterval"));
    }
}
