package io.mpathgw.dm.handler;

import io.mpathgw.dm.table.HandlerAttach;
import io.mpathgw.dm.table.TableException;

import java.util.List;

/**
 * The table's handler parameters as a handler's {@code set_params} reads them: each word with {@code sscanf("%u")}
 * (spec §1.3: they arrive as {@code "<n>\0<p1>\0…"}). Unlike the table's own counts ({@code "%u%c"}), trailing
 * characters are not checked, so {@code "1x"} reads as 1; a word without a leading digit is an error.
 */
final class ParamWords {

    static final long INVALID = -1;

    private ParamWords() {
    }

    /** sscanf(word, "%u"): optional leading blanks, then at least one digit; the value wraps to 32 bits. */
    static long scanU(String word) {
        int k = 0;
        while (k < word.length() && Character.isWhitespace(word.charAt(k))) k++;
        if (k == word.length() || word.charAt(k) < '0' || word.charAt(k) > '9') return INVALID;
        long v = 0;
        for (; k < word.length() && word.charAt(k) >= '0' && word.charAt(k) <= '9'; k++)
            v = (v * 10 + (word.charAt(k) - '0')) & 0xffff_ffffL;
        return v;
    }

    /** Exactly {@code count} words, each 0 or 1 read as {@code %u}: the flags of alua and emc. */
    static boolean[] flags(String handler, List<String> params, String... names) throws TableException {
        if (params.size() != names.length)
            throw new TableException(HandlerAttach.PARAMS_FAILED, handler + ": " + params.size() + " parameters "
                    + params + " (expected: " + names.length + ": " + String.join(" ", names) + ")");
        boolean[] out = new boolean[names.length];
        for (int i = 0; i < names.length; i++) {
            long v = scanU(params.get(i));
            if (v != 0 && v != 1)
                throw new TableException(HandlerAttach.PARAMS_FAILED, handler + ": " + names[i] + ": '"
                        + params.get(i) + "' (expected: 0 or 1)");
            out[i] = v == 1;
        }
        return out;
    }
}
