package io.mpathgw.gateway.config;

import java.net.InetSocketAddress;

/**
 * A host and TCP port as an admin writes them: {@code host:port}, {@code [v6]:port}, {@code [v6]}, or {@code host}
 * with the default port (3260 for iSCSI, the IANA port of RFC 7143). A bare IPv6 address needs brackets, as
 * in iscsiadm's portal syntax: "fe80::1:3260" could be either.
 */
public record PortalAddress(String host, int port) {

    public static final int ISCSI_PORT = 3260;

    /** host:port as iscsiadm prints a portal, with brackets around IPv6. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** An unresolved socket address; resolution happens when a session connects. */
    public InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * @param allowZero port 0 (pick an ephemeral port) is allowed for addresses we listen on
     * @return the address, or null with {@code error[0]} saying what is wrong
     */
    static PortalAddress parse(String s, int defaultPort, boolean allowZero, String[] error) {
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) return fail(error, "an IPv6 address needs a closing ']'");
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) return fail(error, "only ':port' may follow ']'");
                port = rest.substring(1);
            }
            if (host.isEmpty() || host.indexOf(':') < 0) return fail(error, "an IPv6 address inside [ ]");
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0)
                return fail(error, "brackets around an IPv6 address, as [" + s + "]");
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) port = s.substring(colon + 1);
        }
        if (host.isEmpty()) return fail(error, "a host before the port");
        if (port == null) return new PortalAddress(host, defaultPort);
        try {
            int p = Integer.parseInt(port);
            if (p >= (allowZero ? 0 : 1) && p <= 65535) return new PortalAddress(host, p);
        } catch (NumberFormatException e) {
            // below
        }
        return fail(error, "a port " + (allowZero ? "0" : "1") + "..65535");
    }

    private static PortalAddress fail(String[] error, String what) {
        error[0] = what;
        return null;
    }
}
