package io.mpathgw.iscsi.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's arguments, split getopt-style against the options it declares: {@code --name value},
 * {@code --name=value}, {@code -x value}, bundled short flags {@code -se}, and {@code --} ending the options. Options
 * and operands may come in any order. Plain Java on purpose: this module has no CLI library.
 */
final class Args {

    /** One declared option; {@code takesValue} options consume the next argument. */
    record Option(String longName, char shortName, boolean takesValue) {
        String display() {
            return longName != null ? "--" + longName : "-" + shortName;
        }
    }

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> operands = new ArrayList<>();

    private Args() {
    }

    /**
     * Splits {@code args} against {@code options}.
     *
     * @throws UsageException for an undeclared option or a missing value
     */
    static Args parse(List<String> args, List<Option> options) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                a.operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                Option o = find(options, name, arg);
                if (!o.takesValue()) {
                    if (eq >= 0) throw UsageException.bad(o.display(), arg.substring(eq + 1), "no value: it is a flag");
                    a.flags.add(o.display());
                } else if (eq >= 0) {
                    a.values.put(o.display(), arg.substring(eq + 1));
                } else {
                    a.values.put(o.display(), next(args, ++i, o));
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int c = 1; c < arg.length(); c++) {
                    Option o = find(options, arg.charAt(c), arg);
                    if (!o.takesValue()) {
                        a.flags.add(o.display());
                        continue;
                    }
                    a.values.put(o.display(), c + 1 < arg.length() ? arg.substring(c + 1) : next(args, ++i, o));
                    break;
                }
            } else {
                a.operands.add(arg);
            }
        }
        return a;
    }

    private static String next(List<String> args, int i, Option o) throws UsageException {
        if (i >= args.size()) throw new UsageException(o.display() + ": missing value");
        return args.get(i);
    }

    private static Option find(List<Option> options, String name, String arg) throws UsageException {
        for (Option o : options) if (name.equals(o.longName())) return o;
        throw unknown(options, arg);
    }

    private static Option find(List<Option> options, char name, String arg) throws UsageException {
        for (Option o : options) if (o.shortName() == name) return o;
        throw unknown(options, arg.length() > 2 ? "-" + name + " (in " + arg + ")" : arg);
    }

    private static UsageException unknown(List<Option> options, String arg) {
        List<String> names = new ArrayList<>();
        for (Option o : options) {
            if (o.shortName() != 0) names.add("-" + o.shortName());
            if (o.longName() != null) names.add("--" + o.longName());
        }
        return new UsageException("unknown option: " + arg + " (expected: one of " + String.join(" ", names) + ")");
    }

    boolean flag(Option o) {
        return flags.contains(o.display());
    }

    String value(Option o, String fallback) {
        return values.getOrDefault(o.display(), fallback);
    }

    boolean has(Option o) {
        return values.containsKey(o.display()) || flags.contains(o.display());
    }

    /** An integer option within {@code min..max}. */
    int intValue(Option o, int fallback, int min, int max) throws UsageException {
        String v = values.get(o.display());
        if (v == null) return fallback;
        try {
            int n = Integer.decode(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below with the expected range
        }
        throw UsageException.bad(o.display(), v, "a number " + min + ".." + max);
    }

    /** A size in bytes within {@code min..max}: a number, or with a binary suffix {@code k}/{@code m} (128k = 131072). */
    int bytes(Option o, int fallback, int min, int max) throws UsageException {
        String v = values.get(o.display());
        if (v == null) return fallback;
        String digits = v.replaceFirst("[kKmM]$", "");
        int shift = digits.length() == v.length() ? 0 : Character.toLowerCase(v.charAt(v.length() - 1)) == 'k' ? 10 : 20;
        try {
            long n = Long.parseLong(digits) << shift;
            if (!digits.startsWith("-") && !digits.startsWith("+") && n >= min && n <= max) return (int) n;
        } catch (NumberFormatException ignored) {
            // reported below with the expected range
        }
        throw UsageException.bad(o.display(), v, "bytes " + min + ".." + max + ", or with k/m: 4k, 128k, 1m");
    }

    /** A duration in seconds (fractions allowed) within {@code min..max}. */
    double seconds(Option o, double fallback, double min, double max) throws UsageException {
        String v = values.get(o.display());
        if (v == null) return fallback;
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) return d;
        } catch (NumberFormatException ignored) {
            // reported below with the expected range
        }
        throw UsageException.bad(o.display(), v, "seconds, " + fmt(min) + ".." + fmt(max));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The single operand (the URL); {@code what} names it in the error. */
    String operand(String what) throws UsageException {
        if (operands.isEmpty()) throw new UsageException(what + ": missing");
        if (operands.size() > 1)
            throw new UsageException("operand: '" + operands.get(1) + "' (expected: only one " + what + ")");
        return operands.get(0);
    }
}
