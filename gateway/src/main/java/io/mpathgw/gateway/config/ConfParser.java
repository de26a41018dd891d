package io.mpathgw.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Builds the block tree of a multipath.conf-style file (libmultipath's {@code process_stream} grammar): a line is
 * {@code keyword value} or {@code keyword {}; {@code }} closes the innermost block. Errors name the file, the line
 * and the keyword; a block that never closes names the line it was opened on.
 *
 * <p>Two flavours: multipath.conf takes one {@code keyword value} per line and ignores extra words after the value
 * with a warning, as multipath-tools does ("ignoring extra data"); gateway.conf allows several pairs on a line, and
 * keys that take a list (see {@code listKey}) take the rest of their line.
 */
final class ConfParser {

    private final String file;
    private final boolean pairsPerLine;
    private final BiPredicate<String, String> blockKey;
    private final BiPredicate<String, String> listKey;
    private final List<ConfWarning> warnings;
    private List<ConfToken> tokens;
    private int pos;

    /**
     * @param blockKey (section path, keyword) is a block keyword there: without a '{' it is an error
     * @param listKey  (section path, keyword) takes the rest of its line as values
     */
    ConfParser(String file, boolean pairsPerLine, BiPredicate<String, String> blockKey,
               BiPredicate<String, String> listKey, List<ConfWarning> warnings) {
        this.file = file;
        this.pairsPerLine = pairsPerLine;
        this.blockKey = blockKey;
        this.listKey = listKey;
        this.warnings = warnings;
    }

    ConfBlock parse(String text) throws ConfException {
        tokens = new ArrayList<>();
        for (List<ConfToken> line : ConfLexer.lines(text, file)) tokens.addAll(line);
        pos = 0;
        return new ConfBlock("", 0, body("", null));
    }

    private List<ConfItem> body(String path, ConfToken opener) throws ConfException {
        List<ConfItem> items = new ArrayList<>();
        while (pos < tokens.size()) {
            ConfToken key = tokens.get(pos++);
            if (key.is("}")) {
                if (opener != null) return items;
                throw new ConfException(file, key.line(), "}", "unmatched '}' (expected: '}' only to close a block)");
            }
            if (key.is("{"))
                throw new ConfException(file, key.line(), "{", "'{' without a keyword (expected: 'section {')");
            ConfToken next = sameLine(key);
            if (next != null && next.is("{")) {
                pos++;
                String child = path.isEmpty() ? key.text() : path + "/" + key.text();
                items.add(new ConfBlock(key.text(), key.line(), body(child, key)));
            } else if (blockKey.test(path, key.text())) {
                throw new ConfException(file, key.line(), key.text(),
                        "missing '{' (expected: '" + key.text() + " {' to open the block)");
            } else {
                items.add(setting(path, key, next));
            }
        }
        if (opener != null)
            throw new ConfException(file, opener.line(), opener.text(),
                    "missing closing '}' (expected: '}' to close the block opened on line " + opener.line()
                            + " before the end of the file)");
        return items;
    }

    private ConfItem.Setting setting(String path, ConfToken key, ConfToken next) throws ConfException {
        if (next == null || next.is("}") || next.is("{"))
            throw new ConfException(file, key.line(), key.text(), "missing value (expected: '" + key.text()
                    + " VALUE' on one line)");
        List<ConfToken> values = new ArrayList<>(List.of(next));
        pos++;
        if (listKey.test(path, key.text())) {
            for (ConfToken t; (t = sameLine(key)) != null && !t.is("}") && !t.is("{"); pos++) values.add(t);
        } else if (!pairsPerLine) {
            ConfToken extra = sameLine(key);
            if (extra != null && !extra.is("}")) {
                warnings.add(new ConfWarning(file, key.line(), key.text(), "ignoring extra data starting with '"
                        + extra.text() + "' after " + key.text() + " (quote a value that has blanks)"));
                while ((extra = sameLine(key)) != null && !extra.is("}")) pos++;
            }
        }
        return new ConfItem.Setting(key.text(), key.line(), values);
    }

    /** The next token if it is on {@code t}'s line, else null. */
    private ConfToken sameLine(ConfToken t) {
        return pos < tokens.size() && tokens.get(pos).line() == t.line() ? tokens.get(pos) : null;
    }
}
