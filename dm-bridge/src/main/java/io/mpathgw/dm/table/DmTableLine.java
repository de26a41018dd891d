package io.mpathgw.dm.table;

import java.util.List;

/**
 * A whole one-target table line, {@code <start> <length> multipath <params>}, with dm core's checks around the
 * target (spec §1.7, dm-table.c): the only target must start at 0, have a length, and be of type multipath.
 */
public record DmTableLine(long start, long length, MultipathTable table) {

    /**
     * True for {@code <n> <n> multipath …}, a whole table line; bare params also start with numbers, but their third
     * word is never "multipath".
     */
    public static boolean isWholeLine(String line) {
        List<String> w = DmArgs.split(line);
        return w.size() >= 3 && isNumber(w.get(0)) && isNumber(w.get(1)) && w.get(2).equals("multipath");
    }

    public static DmTableLine parse(String line) throws TableException {
        String rest = line.strip();
        String[] head = rest.split("\\s+", 4);
        if (head.length < 3 || !isNumber(head[0]) || !isNumber(head[1]))
            throw new TableException("couldn't split parameters", "expected: <start> <length> multipath <params>");
        long start = Long.parseUnsignedLong(head[0]);
        long length = Long.parseUnsignedLong(head[1]);
        if (!head[2].equals("multipath"))
            throw new TableException("unknown target type", "target type '" + head[2] + "' (expected: multipath)");
        if (length == 0) throw new TableException("zero-length target", "length 0 (expected: at least 1 sector)");
        if (start != 0) throw new TableException("Gap in table", "start " + start + " (expected: 0)");
        return new DmTableLine(start, length, MultipathTable.parse(head.length == 4 ? head[3] : ""));
    }

    private static boolean isNumber(String w) {
        if (w.isEmpty() || w.length() > 19) return false;
        for (int k = 0; k < w.length(); k++) if (w.charAt(k) < '0' || w.charAt(k) > '9') return false;
        return true;
    }

    /** As {@code dmsetup table} prints it, with the kernel's trailing blank. */
    @Override
    public String toString() {
        return start + " " + length + " multipath " + table;
    }
}
