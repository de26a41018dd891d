package io.mpathgw.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded multipath.conf (multipath-tools 0.14.3 syntax and precedence, spec §7) merged with the built-in
 * {@link HwTable}. Immutable once built, except for the in-memory user_friendly_names {@link AliasBindings}; a reload
 * builds a new one. Keywords we do not implement and unknown keywords are {@link #warnings()}; bad values and syntax
 * errors are {@link ConfException}s naming file, line and keyword.
 */
public final class MultipathConf {

    private final String file;
    private final Settings defaults;
    private final Settings overrides;
    private final List<DeviceEntry> hwtable;
    private final Map<String, MultipathEntry> multipaths;
    private final Blacklist blacklist;
    private final Blacklist exceptions;
    private final List<ConfWarning> warnings;
    private final Set<String> configuredAliases = new HashSet<>();
    private volatile AliasBindings bindings = new AliasBindings();

    private MultipathConf(MultipathConfReader r) {
        this.file = r.file;
        this.defaults = r.defaults;
        this.overrides = r.overrides;
        this.warnings = new ArrayList<>(r.warnings);
        this.hwtable = factorize(r.devices);
        this.multipaths = mergeMultipaths(r.multipaths);
        this.blacklist = r.blacklist;
        this.exceptions = r.exceptions;
        addProductBlacklists();
        for (MultipathEntry e : multipaths.values()) if (e.alias() != null) configuredAliases.add(e.alias());
    }

    /** Reads and parses {@code path}; a file that cannot be read is a ConfException on line 0. */
    public static MultipathConf load(Path path) throws ConfException {
        return parse(read(path), path.toString());
    }

    static String read(Path path) throws ConfException {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfException(path.toString(), 0, "file", "cannot read it: " + e);
        }
    }

    /** Parses {@code text}; {@code fileName} is what messages call the file. */
    public static MultipathConf parse(String text, String fileName) throws ConfException {
        return new MultipathConf(new MultipathConfReader(fileName).read(text));
    }

    /** No file: the built-in hardware table and compiled-in defaults only. */
    public static MultipathConf defaults() {
        try {
            return parse("", "(none)");
        } catch (ConfException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The effective policy of a map on this LU; TPGS unknown, so no ALUA autodetection (see the 5-argument form). */
    public MapPolicy policyFor(String vendor, String product, String revision, String wwid) {
        return new PolicyResolver(this, vendor, product, revision, wwid, null).resolve(wwid);
    }

    /**
     * The effective policy once the LU's TPGS is known, with propsel.c's autodetection: with detect_prio an ALUA LU
     * gets prio alua, with detect_pgpolicy then group_by_prio, with detect_checker checker tur, and hardware handler
     * "1 alua" when none is configured; a LU without TPGS configured for alua falls back to const ("emergency
     * fallback - alua failed").
     */
    public MapPolicy policyFor(String vendor, String product, String revision, String wwid, boolean tpgs) {
        return new PolicyResolver(this, vendor, product, revision, wwid, tpgs).resolve(wwid);
    }

    /**
     * Whether a path is blacklisted, as libmultipath's filter_path: by device node name, vendor/product, protocol
     * (ours are "scsi:iscsi") and WWID, each category's exceptions winning over its blacklist. A null argument skips
     * its category. udev property rules cannot apply (no udev here): they are kept for {@link #show()} only.
     */
    public boolean blacklisted(String vendor, String product, String wwid, String devnode) {
        return listed(exceptions.devnode, blacklist.devnode, devnode)
                || (!exceptions.anyDevice(vendor, product) && blacklist.anyDevice(vendor, product))
                || listed(exceptions.protocol, blacklist.protocol, "scsi:iscsi")
                || listed(exceptions.wwid, blacklist.wwid, wwid);
    }

    private static boolean listed(List<Blacklist.Rule> except, List<Blacklist.Rule> black, String s) {
        return !Blacklist.any(except, s) && Blacklist.any(black, s);
    }

    /** find_multipaths of the defaults section. */
    public FindMultipaths findMultipaths() {
        FindMultipaths f = defaults.get("find_multipaths");
        return f != null ? f : CompiledDefaults.get("find_multipaths");
    }

    /** user_friendly_names of the defaults section (devices, overrides and multipaths may differ per map). */
    public boolean userFriendlyNames() {
        Boolean b = defaults.get("user_friendly_names");
        return b != null ? b : CompiledDefaults.<Boolean>get("user_friendly_names");
    }

    /** Whether the multipaths section has an entry for {@code wwid} (find_multipaths strict/on). */
    public boolean listed(String wwid) {
        return multipaths.containsKey(wwid);
    }

    /** Warnings of loading, in file order. */
    public List<ConfWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public String fileName() {
        return file;
    }

    /** The bindings this config names maps with. */
    public AliasBindings bindings() {
        return bindings;
    }

    /** Keep {@code older}'s aliases (on reload: a map keeps its name). */
    public MultipathConf adoptBindings(AliasBindings older) {
        bindings = older;
        return this;
    }

    /** The effective configuration in multipath-tools' {@code show config} layout; {@link #parse} reads it back. */
    public String show() {
        return new ConfPrinter(this).print();
    }

    Settings defaultsSettings() {
        return defaults;
    }

    Settings overrides() {
        return overrides;
    }

    List<DeviceEntry> hwtable() {
        return hwtable;
    }

    Map<String, MultipathEntry> multipaths() {
        return multipaths;
    }

    Blacklist blacklist() {
        return blacklist;
    }

    Blacklist exceptions() {
        return exceptions;
    }

    Set<String> configuredAliases() {
        return configuredAliases;
    }

    /** find_hwe: every entry matching, searched backwards, so user entries come before built-in ones. */
    List<DeviceEntry> matchingDevices(String vendor, String product, String revision) {
        List<DeviceEntry> out = new ArrayList<>();
        for (int i = hwtable.size() - 1; i >= 0; i--)
            if (hwtable.get(i).matches(vendor, product, revision)) out.add(hwtable.get(i));
        return out;
    }

    MultipathEntry multipathEntry(String wwid) {
        return wwid == null ? null : multipaths.get(wwid);
    }

    /**
     * factorize_hwtable: a user entry with the same vendor/product/revision strings as an earlier one takes over the
     * earlier one's settings it does not set, and replaces it.
     */
    private List<DeviceEntry> factorize(List<DeviceEntry> user) {
        List<DeviceEntry> table = new ArrayList<>(HwTable.entries());
        for (DeviceEntry e : user) {
            DeviceEntry merged = e;
            for (int i = 0; i < table.size(); i++) {
                DeviceEntry old = table.get(i);
                if (!old.sameStrings(e)) continue;
                if (!old.builtin())
                    warnings.add(new ConfWarning(file, e.line(), "device", "duplicate device section for " + e
                            + " (first on line " + old.line() + "), merged"));
                merged = new DeviceEntry(e.settings().over(old.settings()), false, e.line());
                table.remove(i--);
            }
            table.add(merged);
        }
        return List.copyOf(table);
    }

    /** merge_mptable: a later multipath block for the same WWID wins, the earlier fills what it leaves unset. */
    private Map<String, MultipathEntry> mergeMultipaths(List<MultipathEntry> entries) {
        Map<String, MultipathEntry> m = new LinkedHashMap<>();
        for (MultipathEntry e : entries) {
            MultipathEntry old = m.remove(e.wwid());
            if (old != null)
                warnings.add(new ConfWarning(file, e.line(), "multipath", "duplicate multipath config section for "
                        + e.wwid() + " (first on line " + old.line() + "), merged"));
            m.put(e.wwid(), old == null ? e : new MultipathEntry(e.settings().over(old.settings()), e.line()));
        }
        return Collections.unmodifiableMap(m);
    }

    private static String text(Blacklist.Rule r) {
        return r == null ? "" : r.text();
    }

    /** setup_default_blist: each device entry's product_blacklist becomes a blacklist device entry. */
    private void addProductBlacklists() {
        Set<String> seen = new HashSet<>();                     // find_blacklist_device: same strings once
        for (Blacklist.DeviceRule d : blacklist.device)
            seen.add(text(d.vendor()) + "\0" + text(d.product()));
        for (DeviceEntry e : hwtable) {
            PosixRegex bl = e.settings().get("product_blacklist");
            if (bl == null || !seen.add(e.vendor().source() + "\0" + bl.source())) continue;
            blacklist.device.add(new Blacklist.DeviceRule(
                    new Blacklist.Rule(e.vendor().source(), e.vendor(), false),
                    new Blacklist.Rule(bl.source(), bl, false)));
        }
    }
}
