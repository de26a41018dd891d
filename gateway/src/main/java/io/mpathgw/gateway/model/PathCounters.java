package io.mpathgw.gateway.model;

/**
 * Per path I/O counters.
 *
 * @param ios           requests completed on this path
 * @param bytes         bytes moved on this path
 * @param iops          requests per second over the last second
 * @param latencyMicros mean latency over the last second, microseconds
 * @param failures      times the path went from active to failed (the kernel's fail_count)
 * @param transportErrors requests that failed with a transport error (connection lost, timeout)
 * @param scsiErrors    requests that ended in CHECK CONDITION or another bad status
 */
public record PathCounters(long ios, long bytes, long iops, long latencyMicros, long failures, long transportErrors,
                           long scsiErrors) {
}
