package io.mpathgw.gateway.model;

import java.util.List;

/**
 * One map as multipathd shows it ({@code show maps}, {@code multipath -ll}) plus what the page needs.
 *
 * @param name          alias, or the WWID when the map has no alias
 * @param wwid          WWID from VPD 0x83 ("3" + NAA hex, as multipath-tools prints it)
 * @param dmName        "dm-N", stable for the gateway's lifetime
 * @param vendor        INQUIRY vendor, trimmed ("##" when unknown)
 * @param product       INQUIRY product, trimmed ("##" when unknown)
 * @param revision      INQUIRY revision, trimmed
 * @param sizeSectors   map length in 512-byte sectors
 * @param blockSize     logical block size in bytes
 * @param features      the kernel features field as multipath -ll prints it ("1 queue_if_no_path")
 * @param hwHandler     the kernel hwhandler field ("1 alua", "0")
 * @param writeProtect  "rw" or "ro"
 * @param table         {@code dmsetup table} line, verbatim
 * @param status        {@code dmsetup status} line, verbatim
 * @param queueing      the {@code show maps status} queueing column: "on", "off", "-", "5 chk", "12 sec"
 * @param health        one word: Optimal, Degraded, Queueing, Failed, Lost
 * @param healthReason  the sentence beside it ("4/4 paths, 2 controllers", "1 path left", ...)
 * @param selector      the selector with its sub-policy as an admin reads it ("service-time 0")
 * @param failback      "immediate", "manual", "followover" or a number of seconds
 * @param noPathRetry   "queue", "fail" or a number of checks
 * @param nrActivePaths paths whose dm state is active
 * @param nrPaths       all paths of the map
 * @param groups        priority groups in table order (group 1 first)
 * @param counters      multipathd's %0–%4 and I/O totals
 */
public record MapView(String name, String wwid, String dmName, String vendor, String product, String revision,
                      long sizeSectors, int blockSize, String features, String hwHandler, String writeProtect,
                      String table, String status, String queueing, String health, String healthReason,
                      String selector, String failback, String noPathRetry, int nrActivePaths, int nrPaths,
                      List<GroupView> groups, MapCounters counters) {
}
