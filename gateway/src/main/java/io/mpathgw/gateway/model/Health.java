package io.mpathgw.gateway.model;

import java.util.List;

/**
 * The gateway's health for {@code /q/health}: ready once every configured map has a usable path.
 *
 * @param ready   every map has at least one active path (and discovery has run once)
 * @param word    "Optimal", "Degraded", "Queueing", "Failed" or "Starting"
 * @param reasons one line per map that is not Optimal ("mpatha: Degraded: 1 path left")
 */
public record Health(boolean ready, String word, List<String> reasons) {
}
