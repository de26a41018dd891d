package io.mpathgw.iscsi.initiator;

import java.net.InetSocketAddress;

/**
 * A TargetAddress value (RFC 7143 §13.8): {@code domainname[:port][,portal-group-tag]}, where an IPv6 address
 * is bracketed. Port defaults to 3260; a missing tag is -1.
 */
public record TargetAddress(String host, int port, int tpgt) {

    public static final int DEFAULT_PORT = 3260;

    public static TargetAddress parse(String value) {
        String v = value.trim();
        int tpgt = -1;
        int comma = v.lastIndexOf(',');
        if (comma >= 0 && (v.indexOf(']') < comma)) {
            tpgt = number(v.substring(comma + 1), value, "portal group tag", 0, 65535);
            v = v.substring(0, comma);
        }
        String host;
        int port = DEFAULT_PORT;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) throw bad(value, "unclosed '[' of an IPv6 address");
            host = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (rest.startsWith(":")) port = number(rest.substring(1), value, "port", 1, 65535);
            else if (!rest.isEmpty()) throw bad(value, "text after ']'");
        } else {
            int colon = v.indexOf(':');
            if (colon >= 0 && v.indexOf(':', colon + 1) < 0) {
                host = v.substring(0, colon);
                port = number(v.substring(colon + 1), value, "port", 1, 65535);
            } else {
                host = v;
            }
        }
        if (host.isEmpty()) throw bad(value, "empty host");
        return new TargetAddress(host, port, tpgt);
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    private static int number(String s, String value, String what, int min, int max) {
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(value, what + " '" + s + "' not in " + min + ".." + max);
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("TargetAddress: '" + value + "' (expected: host[:port][,tpgt]; " + why + ")");
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port + (tpgt >= 0 ? "," + tpgt : "");
    }
}
