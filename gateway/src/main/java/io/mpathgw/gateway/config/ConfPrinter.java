package io.mpathgw.gateway.config;

import io.mpathgw.gateway.config.Keywords.Keyword;
import io.mpathgw.gateway.config.Keywords.Scope;

import java.util.List;
import java.util.Map;

/**
 * Prints a {@link MultipathConf} as multipathd's {@code show config} does: defaults with every value in effect, the
 * blacklists, the whole hardware table (built-in rows merged with the user's), overrides and multipaths, tab
 * indented, strings quoted. What it prints parses back to the same policies. Two compiled-in defaults depend on the
 * device (failback, no_path_retry) and are printed as comments, so that reading the output back keeps them
 * conditional.
 */
final class ConfPrinter {

    private final MultipathConf conf;
    private final StringBuilder out = new StringBuilder();

    ConfPrinter(MultipathConf conf) {
        this.conf = conf;
    }

    String print() {
        defaults();
        blacklist("blacklist", conf.blacklist());
        blacklist("blacklist_exceptions", conf.exceptions());
        out.append("devices {\n");
        for (DeviceEntry e : conf.hwtable()) block("device", e.settings(), "\t");
        out.append("}\n");
        section("overrides", conf.overrides());
        out.append("multipaths {\n");
        for (MultipathEntry e : conf.multipaths().values()) block("multipath", e.settings(), "\t");
        out.append("}\n");
        return out.toString();
    }

    private void defaults() {
        Settings set = conf.defaultsSettings();
        MapPolicy global = conf.policyFor(null, null, null, null);      // matches no device: the global timers
        out.append("defaults {\n");
        for (Keyword k : Keywords.SUPPORTED.values()) {
            if (!k.scopes().contains(Scope.DEFAULTS)) continue;
            String key = k.name();
            if (key.equals("polling_interval")) {
                line("\t", key, Long.toString(global.pollingInterval().toSeconds()));
            } else if (key.equals("max_polling_interval")) {
                line("\t", key, Long.toString(global.maxPollingInterval().toSeconds()));
            } else if (key.equals("prio_args") && !set.has("prio")) {
                line("\t", key, "");                                 // without a prio the section's args are unused
            } else if (set.has(key)) {
                line("\t", key, set.all().get(key).text());
            } else if (key.equals("failback")) {
                out.append("\t# failback \"manual\" (compiled in; \"immediate\" for ALUA devices)\n");
            } else if (key.equals("no_path_retry")) {
                out.append("\t# no_path_retry 12 (compiled in; \"queue\" where features has queue_if_no_path)\n");
            } else if (CompiledDefaults.VALUES.containsKey(key)) {
                line("\t", key, text(CompiledDefaults.VALUES.get(key)));
            }
        }
        out.append("}\n");
    }

    private void blacklist(String name, Blacklist b) {
        out.append(name).append(" {\n");
        rules("devnode", b.devnode);
        rules("wwid", b.wwid);
        rules("property", b.property);
        rules("protocol", b.protocol);
        for (Blacklist.DeviceRule d : b.device) {
            out.append("\tdevice {\n");
            if (d.vendor() != null) line("\t\t", "vendor", d.vendor().text());
            if (d.product() != null) line("\t\t", "product", d.product().text());
            out.append("\t}\n");
        }
        out.append("}\n");
    }

    private void rules(String key, List<Blacklist.Rule> rules) {
        for (Blacklist.Rule r : rules) line("\t", key, r.text());
    }

    private void section(String name, Settings s) {
        out.append(name).append(" {\n");
        for (Map.Entry<String, Settings.Value> e : s.all().entrySet()) line("\t", e.getKey(), e.getValue().text());
        out.append("}\n");
    }

    private void block(String name, Settings s, String indent) {
        out.append(indent).append(name).append(" {\n");
        for (Map.Entry<String, Settings.Value> e : s.all().entrySet())
            line(indent + "\t", e.getKey(), e.getValue().text());
        out.append(indent).append("}\n");
    }

    private void line(String indent, String key, String value) {
        out.append(indent).append(key).append(' ').append(quote(value)).append('\n');
    }

    /** Numbers bare, everything else quoted with "" for a quote, as append_strbuf_quoted. */
    static String quote(String v) {
        if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) return v;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    private static String text(Object v) {
        if (v instanceof Boolean b) return b ? "yes" : "no";
        return String.valueOf(v);
    }
}
