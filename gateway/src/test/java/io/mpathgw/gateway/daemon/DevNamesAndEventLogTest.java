package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.config.AliasBindings;
import io.mpathgw.gateway.model.EventView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevNamesAndEventLogTest {

    @ParameterizedTest(name = "disk {0}: {1} {2}")
    @CsvSource({"0, sda, 8:0", "1, sdb, 8:16", "15, sdp, 8:240", "16, sdq, 65:0", "25, sdz, 65:144",
            "26, sdaa, 65:160", "127, sddx, 71:240", "128, sddy, 128:0", "255, sdiv, 135:240"})
    void namesAndDevTsAsLinuxGivesThem(int index, String dev, String devT) {
        assertThat(DevNames.dev(index)).isEqualTo(dev);
        assertThat(DevNames.devT(index)).isEqualTo(devT);
    }

    @Test
    void aDiskBeyondTheSdMajorsIsRefusedByName() {
        assertThatThrownBy(() -> DevNames.devT(256)).hasMessage(
                "disk index: 256 (expected: 0..255, the sd majors 8, 65-71, 128-135)");
    }

    @Test
    void userFriendlyNamesCountLikeMultipathTools() {
        assertThat(List.of(0, 1, 25, 26, 27, 701, 702)).extracting(AliasBindings::suffix)
                .containsExactly("a", "b", "z", "aa", "ab", "zz", "aaa");
    }

    @Test
    void theTimelineKeepsTheLastEventsInOrderAndTellsListeners() throws Exception {
        EventLog log = new EventLog(4);
        List<String> heard = new ArrayList<>();
        AutoCloseable l = log.listen(e -> heard.add(e.kind()));
        for (int i = 1; i <= 6; i++) log.add("K" + i, "mpatha", "sd" + (char) ('a' + i), "event " + i);
        l.close();
        log.add("K7", "", "", "after close");
        assertThat(log.after(0, 100)).extracting(EventView::seq).containsExactly(4L, 5L, 6L, 7L);
        assertThat(log.after(5, 100)).extracting(EventView::kind).containsExactly("K6", "K7");
        assertThat(log.after(0, 2)).extracting(EventView::kind).containsExactly("K4", "K5");
        assertThat(heard).containsExactly("K1", "K2", "K3", "K4", "K5", "K6");
        assertThat(log.after(0, 1).get(0).time()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }
}
