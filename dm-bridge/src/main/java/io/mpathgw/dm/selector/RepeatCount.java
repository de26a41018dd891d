package io.mpathgw.dm.selector;

import io.mpathgw.dm.table.TableException;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The optional per-path {@code repeat_count} every list selector accepts (spec §5): its arg count check and its
 * parse, with the kernel's error strings prefixed by the selector name ("round-robin ps: …").
 */
final class RepeatCount {

    /** The kernel's warning (DMWARN_LIMIT) when a table asks for more than one I/O per path switch. */
    static final String DEPRECATED = "repeat_count > 1 is deprecated, using 1 instead";

    private static final Logger LOG = System.getLogger(RepeatCount.class.getPackageName());

    private RepeatCount() {
    }

    /** "&lt;selector&gt; ps: incorrect number of arguments" unless {@code args.size() <= max}. */
    static void checkCount(String selector, SelectorPath p, List<String> args, int max, String expected)
            throws TableException {
        if (args.size() > max)
            throw new TableException(selector + " ps: incorrect number of arguments", String.format(
                    "path %s: %d args %s (expected: 0..%d: %s)", p.name(), args.size(), args, max, expected));
    }

    /**
     * The repeat count in {@code args.get(0)}, or 1 without args; refused as "&lt;selector&gt; ps: invalid repeat
     * count". With {@code clamp}, a value above 1 is logged and replaced by 1 as rr, ql and st do (HST keeps it).
     */
    static long parse(String selector, SelectorPath p, List<String> args, boolean clamp) throws TableException {
        if (args.isEmpty()) return 1;
        long n = UnsignedArg.parse(args.get(0));
        if (n == UnsignedArg.INVALID)
            throw new TableException(selector + " ps: invalid repeat count", String.format(
                    "path %s: repeat_count: '%s' (expected: an unsigned decimal, 0..4294967295)", p.name(),
                    args.get(0)));
        if (clamp && n > 1) {
            LOG.log(Level.WARNING, warning(selector));
            n = 1;
        }
        return n;
    }

    /** The whole dmesg line, DM_MSG_PREFIX included: "device-mapper: multipath round-robin: repeat_count …". */
    static String warning(String selector) {
        return "device-mapper: multipath " + selector + ": " + DEPRECATED;
    }
}
