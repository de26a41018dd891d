package io.mpathgw.gateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code blacklist} or the {@code blacklist_exceptions} section: regexes per category, each optionally
 * inverted by a leading {@code !} (libmultipath's check_invert: "!^sd" matches what does not start with sd).
 */
final class Blacklist {

    /** One regex entry as written (text keeps the '!'). */
    record Rule(String text, PosixRegex regex, boolean invert) {
        boolean matches(String s) {
            return regex.find(s) != invert;
        }
    }

    /** A {@code device} entry: vendor and/or product; an unset one matches anything. */
    record DeviceRule(Rule vendor, Rule product) {
        boolean matches(String v, String p) {
            if (vendor == null && product == null) return false;
            return (vendor == null || vendor.matches(v)) && (product == null || product.matches(p));
        }
    }

    final List<Rule> devnode = new ArrayList<>();
    final List<Rule> wwid = new ArrayList<>();
    final List<Rule> property = new ArrayList<>();
    final List<Rule> protocol = new ArrayList<>();
    final List<DeviceRule> device = new ArrayList<>();

    static boolean any(List<Rule> rules, String s) {
        if (s == null) return false;
        for (Rule r : rules) if (r.matches(s)) return true;
        return false;
    }

    boolean anyDevice(String vendor, String product) {
        if (vendor == null || product == null) return false;
        for (DeviceRule r : device) if (r.matches(vendor, product)) return true;
        return false;
    }

    boolean isEmpty() {
        return devnode.isEmpty() && wwid.isEmpty() && property.isEmpty() && protocol.isEmpty() && device.isEmpty();
    }
}
