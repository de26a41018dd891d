package io.mpathgw.dm.engine;

/**
 * A map's totals at one moment ({@link MultipathDevice#stats()}), for any thread. Requests are counted once, when
 * the map completes them to the client; the last five are multipathd's {@code show maps} wildcards.
 *
 * @param reads            READs completed OK
 * @param writes           WRITEs and WRITE SAMEs completed OK
 * @param others           FLUSHes and DISCARDs completed OK
 * @param readBytes        bytes of those reads
 * @param writeBytes       bytes of those writes
 * @param errors           requests completed to the client with an error (the LU's, or no path left)
 * @param queueingNanos    time the map spent holding I/O because no path was usable (%3 total_q_time, in ns here)
 * @param queueingTimeouts times queueing was ended by a timeout: no_path_retry's countdown or the kernel's
 *                         queue_if_no_path timeout (%4 q_timeouts)
 * @param groupSwitches    times I/O moved to another priority group (%1 switch_grp)
 * @param pathFaults       active→failed transitions of any path, over every table loaded (%0 path_faults)
 * @param mapLoads         tables loaded: 1 for the first, one more per reload (%2 map_loads)
 * @param mapFailures      times the map was left without a path to queue on, as multipathd's stat_map_failures
 *                         (%x): the last valid path lost while no_path_retry is not {@code queue}, and
 *                         disablequeueing with no valid path
 */
public record MapStats(long reads, long writes, long others, long readBytes, long writeBytes, long errors,
                       long queueingNanos, long queueingTimeouts, long groupSwitches, long pathFaults,
                       long mapLoads, long mapFailures) {
}
