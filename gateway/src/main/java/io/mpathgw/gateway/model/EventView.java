package io.mpathgw.gateway.model;

/**
 * One entry of the gateway's bounded event timeline.
 *
 * @param seq     increasing sequence number (clients ask for events after a seq)
 * @param time    ISO-8601 instant
 * @param kind    PATH_DOWN, PATH_UP, PATH_FAILED, PATH_REINSTATED, GROUP_SWITCH, PG_INIT, QUEUEING_ON, QUEUEING_OFF,
 *                APD, PDL, MAP_CREATED, MAP_RELOADED, MAP_REMOVED, LOGIN, LOGOUT, CONFIG_RELOADED, ...
 * @param map     the map's name, "" when not about a map
 * @param path    the path's dev, "" when not about a path
 * @param message what happened and why, one line
 */
public record EventView(long seq, String time, String kind, String map, String path, String message) {
}
