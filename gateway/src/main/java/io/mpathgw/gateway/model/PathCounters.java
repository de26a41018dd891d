package io.mpathgw.gateway.model;

/**
 * Per path I/O counters.
 *
 * @param ios           requests completed on this path
 * @param bytes         bytes moved on this path
 * @param iops          requests per second over the last second
 * @param latencyMicros mean latency over the last second, microseconds
 * @param failures      times the path went from active to failed (the kernel's fail_count)
 * @param transportErrors attempts on this path the device never answered: connection lost, command timed out,
 *                      session gone (each failed the path; the request went to another path or was held)
 * @param scsiErrors    attempts that ended with an answer that was an error: a CHECK CONDITION or bad status
 *                      that fails the path (NOT READY, an iSCSI protocol error or abort, …) and the LU's own errors
 *                      returned to the client (MEDIUM ERROR, reservation conflict, …)
 */
public record PathCounters(long ios, long bytes, long iops, long latencyMicros, long failures, long transportErrors,
                           long scsiErrors) {
}
