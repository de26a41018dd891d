package io.mpathgw.gateway.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** libmultipath's alloc_strvec rules; what show() quotes comes back as it was. */
class ConfLexerTest {

    private static List<String> words(String line) throws ConfException {
        List<List<ConfToken>> lines = ConfLexer.lines(line, "t");
        return lines.isEmpty() ? List.of() : lines.get(0).stream().map(ConfToken::text).toList();
    }

    @Test
    void wordsBracesCommentsAndQuotes() throws ConfException {
        assertThat(words("device{vendor X}")).containsExactly("device", "{", "vendor", "X", "}");
        assertThat(words("  wwid 3600#comment")).containsExactly("wwid", "3600");
        assertThat(words("wwid 3600!comment")).containsExactly("wwid", "3600");
        assertThat(words("   # only a comment")).isEmpty();
        assertThat(words("alias \"a b\"\"c\"\"#!{}\"")).containsExactly("alias", "a b\"c\"#!{}");
        assertThat(words("prio_args \"\"")).containsExactly("prio_args", "");
        assertThat(ConfLexer.lines("a 1\r\nb 2\rc 3\n", "t")).extracting(l -> l.get(0).line()).containsExactly(1, 2, 3);
    }

    /** Any value made of printable ASCII survives quote() and the lexer, blanks, quotes, '#', '!' and braces too. */
    @Property
    void quotedValuesComeBackUnchanged(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~')
                                       @Chars({'"', '#', '!', '{', '}'}) String value) throws ConfException {
        List<String> w = words("key " + ConfPrinter.quote(value));
        assertThat(w).containsExactly("key", value);
    }
}
