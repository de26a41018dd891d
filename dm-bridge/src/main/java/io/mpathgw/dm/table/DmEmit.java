package io.mpathgw.dm.table;

/** DMEMIT: status and table strings are tokens each followed by one blank, so they end in a blank (spec §2). */
public final class DmEmit {

    private final StringBuilder out = new StringBuilder(128);

    public DmEmit token(String word) {
        out.append(word).append(' ');
        return this;
    }

    public DmEmit number(long n) {
        out.append(n).append(' ');
        return this;
    }

    public DmEmit letter(char c) {
        out.append(c).append(' ');
        return this;
    }

    /** A selector's own words ("0", "2 972 0", "4096 1"), or nothing at all when it gives "" (rr in status). */
    public DmEmit words(String words) {
        if (!words.isEmpty()) token(words);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
