package io.mpathgw.dm.table;

import java.io.PrintStream;

/**
 * Offline table check ({@code mpathgw dm check-table 'TABLE'}): prints the table normalised as {@code dmsetup table}
 * would show it after a load, or the kernel's ti->error string on stderr with exit code 1. TABLE is the params, or a
 * whole {@code 0 <length> multipath <params>} line; several arguments are joined with blanks. {@code -v} adds
 * mpathgw's detail (where and why) on a second stderr line.
 */
public final class CheckTable {

    private CheckTable() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        if (rc != 0) System.exit(rc);
    }

    /** Exit code 0 (printed the table), 1 (the kernel would refuse it) or 2 (usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean verbose = args.length > 0 && args[0].equals("-v");
        int first = verbose ? 1 : 0;
        if (args.length == first) {
            err.println("usage: check-table [-v] 'TABLE'");
            return 2;
        }
        String table = String.join(" ", java.util.Arrays.copyOfRange(args, first, args.length));
        try {
            out.println(DmTableLine.isWholeLine(table) ? DmTableLine.parse(table) : MultipathTable.parse(table));
            return 0;
        } catch (TableException e) {
            err.println(e.getMessage());
            if (verbose && !e.detail().isEmpty()) err.println(e.detail());
            return 1;
        }
    }
}
