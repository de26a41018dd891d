package io.mpathgw.gateway.group;

import io.mpathgw.gateway.group.HwHandlerChoice.PathHandler;
import io.mpathgw.gateway.group.HwHandlerChoice.Tpgs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HwHandlerChoiceTest {

    private static final PathHandler ALUA = new PathHandler("alua", Tpgs.SUPPORTED);
    private static final PathHandler DETACHED_ALUA = new PathHandler("detached", Tpgs.SUPPORTED);
    private static final PathHandler UNKNOWN = new PathHandler(null, Tpgs.UNDEF);
    private static final PathHandler PLAIN = new PathHandler(null, Tpgs.NONE);

    @Test
    void anAttachedHandlerIsRetained() {
        assertThat(HwHandlerChoice.select(true, null, List.of(new PathHandler("rdac", Tpgs.NONE)))).isEqualTo("1 rdac");
        assertThat(HwHandlerChoice.select(true, "1 emc", List.of(PLAIN, new PathHandler("hp_sw", Tpgs.NONE))))
                .as("the first attached one, over the configured").isEqualTo("1 hp_sw");
        assertThat(HwHandlerChoice.select(false, "1 emc", List.of(new PathHandler("hp_sw", Tpgs.NONE))))
                .isEqualTo("1 emc");
    }

    @Test
    void aluaIsForcedOnlyOverTheBuiltInDefault() {
        assertThat(HwHandlerChoice.select(true, null, List.of(DETACHED_ALUA, UNKNOWN))).isEqualTo("1 alua");
        assertThat(HwHandlerChoice.select(true, "0", List.of(DETACHED_ALUA))).as("configured 0 stays").isEqualTo("0");
        assertThat(HwHandlerChoice.select(true, null, List.of(UNKNOWN, UNKNOWN))).as("nobody said TPGS").isEqualTo("0");
        assertThat(HwHandlerChoice.select(true, null, List.of())).isEqualTo("0");
    }

    @Test
    void aluaIsDroppedWhenSomePathHasNoTpgs() {
        assertThat(HwHandlerChoice.select(true, null, List.of(ALUA, PLAIN))).isEqualTo("0");
        assertThat(HwHandlerChoice.select(false, "1 alua", List.of(DETACHED_ALUA, PLAIN))).isEqualTo("0");
        assertThat(HwHandlerChoice.select(false, " 1   alua ", List.of(ALUA))).isEqualTo("1 alua");
    }
}
