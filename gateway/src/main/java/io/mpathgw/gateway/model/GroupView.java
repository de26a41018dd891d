package io.mpathgw.gateway.model;

import java.util.List;

/**
 * One priority group.
 *
 * @param number   PG number as in messages (1-based)
 * @param selector "service-time 0" as multipath -ll prints it in policy='…'
 * @param priority the group's priority (multipath-tools: average of its up paths' priorities)
 * @param status   "active", "enabled", "disabled" (kernel letter A/E/D) or "undef"
 * @param paths    paths in table order
 */
public record GroupView(int number, String selector, int priority, String status, List<PathView> paths) {
}
