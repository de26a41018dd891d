package io.mpathgw.gateway.config;

/**
 * One {@code device} block of the devices section or of the built-in hardware table: vendor, product and (optional)
 * revision are POSIX extended regexes matched anywhere in the INQUIRY strings (libmultipath's hwe_regmatch).
 */
record DeviceEntry(Settings settings, boolean builtin, int line) {

    PosixRegex vendor() {
        return settings.get("vendor");
    }

    PosixRegex product() {
        return settings.get("product");
    }

    PosixRegex revision() {
        return settings.get("revision");
    }

    /** hwe_regmatch: every regex the entry has matches; a string the caller does not know matches anything. */
    boolean matches(String vendor, String product, String revision) {
        if (vendor == null && product == null && revision == null) return false;
        return matchesOne(vendor(), vendor) && matchesOne(product(), product) && matchesOne(revision(), revision);
    }

    private static boolean matchesOne(PosixRegex re, String s) {
        return re == null || s == null || re.find(s);
    }

    /** hwe_strmatch: the same vendor, product and revision strings (both unset counts as the same). */
    boolean sameStrings(DeviceEntry o) {
        return same(vendor(), o.vendor()) && same(product(), o.product()) && same(revision(), o.revision());
    }

    private static boolean same(PosixRegex a, PosixRegex b) {
        return a == null ? b == null : b != null && a.source().equals(b.source());
    }

    @Override
    public String toString() {
        return src(vendor()) + ":" + src(product()) + ":" + src(revision());
    }

    private static String src(PosixRegex r) {
        return r == null ? "(unset)" : r.source();
    }
}
