package io.mpathgw.gateway.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** user_friendly_names as libmultipath's alias.c names maps: a..z, aa..zz, aaa.., lowest free first. */
class AliasBindingsTest {

    @Test
    void suffixesAsMultipathTools() {
        assertThat(AliasBindings.suffix(0)).isEqualTo("a");
        assertThat(AliasBindings.suffix(25)).isEqualTo("z");
        assertThat(AliasBindings.suffix(26)).isEqualTo("aa");
        assertThat(AliasBindings.suffix(27)).isEqualTo("ab");
        assertThat(AliasBindings.suffix(51)).isEqualTo("az");
        assertThat(AliasBindings.suffix(52)).isEqualTo("ba");
        assertThat(AliasBindings.suffix(701)).isEqualTo("zz");
        assertThat(AliasBindings.suffix(702)).isEqualTo("aaa");
    }

    /** Bijective base 26: reading the suffix back gives the id, so no two ids share a name. */
    @Property
    void suffixIsBijective(@ForAll @IntRange(min = 0, max = 2_000_000) int id) {
        String s = AliasBindings.suffix(id);
        long back = 0;
        for (char c : s.toCharArray()) back = back * 26 + (c - 'a' + 1);
        assertThat(back - 1).isEqualTo(id);
        assertThat(s).matches("[a-z]+");
    }

    @Test
    void lowestFreeNameSkippingReservedOnes() {
        AliasBindings b = new AliasBindings();
        assertThat(b.aliasFor("w1", "mpath", Set.of("mpatha"))).isEqualTo("mpathb");
        assertThat(b.aliasFor("w2", "mpath", Set.of("mpatha"))).isEqualTo("mpathc");
        assertThat(b.aliasFor("w1", "mpath", Set.of())).isEqualTo("mpathb");
        assertThat(b.bound("w2")).isEqualTo("mpathc");
        assertThat(b.aliasFor("w3", "mpath", Set.of())).isEqualTo("mpatha");
    }
}
