package io.mpathgw.gateway.config;


import io.mpathgw.gateway.config.ConfItem.Setting;
import io.mpathgw.gateway.config.Keywords.Keyword;
import io.mpathgw.gateway.config.Keywords.Scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Interprets the block tree of a multipath.conf: each section's keywords typed and checked. Bad values are
 * {@link ConfException}s; keywords multipath-tools knows and we do not, unknown keywords and unknown sections are
 * warnings, so a file from a Linux host loads.
 */
final class MultipathConfReader {

    private static final Set<String> SECTIONS = Set.of("defaults", "blacklist", "blacklist_exceptions", "devices",
            "overrides", "multipaths");

    final String file;
    final List<ConfWarning> warnings = new ArrayList<>();
    Settings defaults = Settings.EMPTY;
    Settings overrides = Settings.EMPTY;
    final List<DeviceEntry> devices = new ArrayList<>();
    final List<MultipathEntry> multipaths = new ArrayList<>();
    final Blacklist blacklist = new Blacklist();
    final Blacklist exceptions = new Blacklist();

    MultipathConfReader(String file) {
        this.file = file;
    }

    /** Whether {@code key} opens a block under {@code path} (so a missing '{' is an error, not a value). */
    static boolean isBlockKey(String path, String key) {
        return switch (path) {
            case "" -> SECTIONS.contains(key);
            case "devices", "blacklist", "blacklist_exceptions" -> key.equals("device");
            case "multipaths" -> key.equals("multipath");
            case "overrides" -> key.equals("protocol");
            default -> false;
        };
    }

    MultipathConfReader read(String text) throws ConfException {
        ConfBlock root = new ConfParser(file, false, MultipathConfReader::isBlockKey, (p, k) -> false, warnings)
                .parse(text);
        for (ConfItem item : root.items()) {
            if (item instanceof Setting s) {
                warn(s, "unknown keyword '" + s.name() + "' outside any section, ignored");
                continue;
            }
            ConfBlock b = (ConfBlock) item;
            switch (b.name()) {
                case "defaults" -> defaults = settings(b, Scope.DEFAULTS).over(defaults);
                case "overrides" -> overrides = settings(b, Scope.OVERRIDES).over(overrides);
                case "devices" -> entries(b, "device", e -> devices.add(device(e)));
                case "multipaths" -> entries(b, "multipath", e -> multipaths.add(multipath(e)));
                case "blacklist" -> blacklist(b, blacklist);
                case "blacklist_exceptions" -> blacklist(b, exceptions);
                default -> warn(b, "unknown section '" + b.name() + "', ignored");
            }
        }
        return this;
    }

    private interface BlockReader {
        void read(ConfBlock b) throws ConfException;
    }

    private void entries(ConfBlock section, String kind, BlockReader reader) throws ConfException {
        for (ConfItem item : section.items()) {
            if (item instanceof ConfBlock b && b.name().equals(kind)) reader.read(b);
            else warn(item, "unknown keyword '" + item.name() + "' in " + section.name() + " (expected: '" + kind
                    + " {' blocks), ignored");
        }
    }

    private DeviceEntry device(ConfBlock b) throws ConfException {
        Settings s = settings(b, Scope.DEVICE);
        if (!s.has("vendor") || !s.has("product"))
            throw new ConfException(file, b.line(), "device", "missing " + (s.has("vendor") ? "product" : "vendor")
                    + " (expected: vendor and product in every device block)");
        return new DeviceEntry(s, false, b.line());
    }

    private MultipathEntry multipath(ConfBlock b) throws ConfException {
        Settings s = settings(b, Scope.MULTIPATH);
        if (!s.has("wwid"))
            throw new ConfException(file, b.line(), "multipath", "missing wwid (expected: wwid in every multipath block)");
        return new MultipathEntry(s, b.line());
    }

    /** The keywords of one block of {@code scope}, typed; unsupported and unknown ones become warnings. */
    Settings settings(ConfBlock b, Scope scope) throws ConfException {
        Map<String, Settings.Value> values = new LinkedHashMap<>();
        for (ConfItem item : b.items()) {
            if (item instanceof ConfBlock sub) {
                boolean known = scope == Scope.OVERRIDES && sub.name().equals("protocol");
                warn(sub, (known ? "unsupported" : "unknown") + " section '" + sub.name() + "' in " + scope.where
                        + ", ignored");
                continue;
            }
            Setting s = (Setting) item;
            Keyword k = Keywords.find(scope, s.name());
            if (k == null) {
                boolean known = Keywords.unsupported(scope, s.name());
                warn(s, (known ? "unsupported" : "unknown") + " keyword '" + s.name() + "' in " + scope.where
                        + ", ignored");
                continue;
            }
            try {
                values.put(k.name(), new Settings.Value(k.type().parse(s.value()), s.value()));
            } catch (ValueType.Bad e) {
                throw invalid(s, e.getMessage());
            } catch (ValueType.Unsupported e) {
                if (e.replacement == null) {
                    warn(s, e.getMessage() + "; " + s.name() + " in " + scope.where + " ignored");
                } else {
                    warn(s, e.getMessage() + "; " + s.name() + " in " + scope.where + " taken as \""
                            + e.replacement + "\"");
                    values.put(k.name(), new Settings.Value(e.replacement, e.replacement.toString()));
                }
            }
        }
        return new Settings(values);
    }

    private void blacklist(ConfBlock section, Blacklist into) throws ConfException {
        for (ConfItem item : section.items()) {
            if (item instanceof ConfBlock b) {
                if (b.name().equals("device")) into.device.add(deviceRule(b));
                else warn(b, "unknown section '" + b.name() + "' in " + section.name() + ", ignored");
                continue;
            }
            Setting s = (Setting) item;
            switch (s.name()) {
                case "devnode" -> into.devnode.add(rule(s));
                case "wwid" -> into.wwid.add(rule(s));
                case "property" -> into.property.add(rule(s));
                case "protocol" -> into.protocol.add(rule(s));
                default -> warn(s, "unknown keyword '" + s.name() + "' in " + section.name() + ", ignored");
            }
        }
    }

    private Blacklist.DeviceRule deviceRule(ConfBlock b) throws ConfException {
        Blacklist.Rule vendor = null, product = null;
        for (ConfItem item : b.items()) {
            if (item instanceof Setting s && s.name().equals("vendor")) vendor = rule(s);
            else if (item instanceof Setting s && s.name().equals("product")) product = rule(s);
            else warn(item, "unknown keyword '" + item.name() + "' in device, ignored");
        }
        if (vendor == null && product == null)
            throw new ConfException(file, b.line(), "device", "neither vendor nor product (expected: at least one)");
        return new Blacklist.DeviceRule(vendor, product);
    }

    Blacklist.Rule rule(Setting s) throws ConfException {
        if (s.value().isEmpty()) throw invalid(s, "a non-empty regular expression");
        boolean invert = s.value().startsWith("!");
        try {
            return new Blacklist.Rule(s.value(), PosixRegex.compile(invert ? s.value().substring(1) : s.value()), invert);
        } catch (PatternSyntaxException e) {
            throw invalid(s, ValueType.REGEX.expected + "; " + e.getDescription());
        }
    }

    private ConfException invalid(Setting s, String expected) {
        return new ConfException(file, s.line(), s.name(), "invalid value \"" + s.value() + "\" (expected: "
                + expected + ")");
    }

    private void warn(ConfItem item, String message) {
        warnings.add(new ConfWarning(file, item.line(), item.name(), message));
    }
}
