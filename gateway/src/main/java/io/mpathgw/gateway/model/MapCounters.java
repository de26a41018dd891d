package io.mpathgw.gateway.model;

/**
 * multipathd's {@code show maps stats} (%0–%4) and the map's I/O totals.
 *
 * @param pathFaults     %0 path_faults
 * @param switchGroup    %1 switch_grp
 * @param mapLoads       %2 map_loads
 * @param totalQueueTime %3 total_q_time, seconds spent queueing with no path
 * @param queueTimeouts  %4 q_timeouts, times no_path_retry ran out
 * @param mapFailures    %x failures (multipathd's stat_map_failures): times the map lost its last path while
 *                       no_path_retry was not queue, and disablequeueing without a path
 * @param reads          completed read requests
 * @param writes         completed write requests
 * @param readBytes      bytes read
 * @param writtenBytes   bytes written
 * @param errors         requests failed back to the client
 * @param queued         requests held now for lack of a path
 * @param inFlight       requests sent down a path and not completed
 */
public record MapCounters(long pathFaults, long switchGroup, long mapLoads, long totalQueueTime, long queueTimeouts,
                          long mapFailures, long reads, long writes, long readBytes, long writtenBytes, long errors, int queued,
                          int inFlight) {
}
