package io.mpathgw.gateway.model;

/**
 * One iSCSI session of the gateway (what {@code iscsiadm -m session} lists).
 *
 * @param portal     "address:port,tpgt"
 * @param target     target IQN
 * @param isid       12 hex digits
 * @param tsih       TSIH, 0 before the first login
 * @param state      "LOGGED_IN", "LOGGING_IN", "RECONNECTING", "FAILED", "CLOSED"
 * @param lastError  the last login or connection error, "" if none
 * @param reconnects connection losses since the session was created
 * @param paths      devs of the paths (LUNs) on this session
 */
public record SessionView(String portal, String target, String isid, int tsih, String state, String lastError,
                          long reconnects, java.util.List<String> paths) {
}
