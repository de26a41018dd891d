package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.MapView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mpathgw.gateway.format.Fixtures.issue92;
import static io.mpathgw.gateway.format.Fixtures.netapp;
import static io.mpathgw.gateway.format.Fixtures.orphanVda;
import static io.mpathgw.gateway.format.Fixtures.pathsOf;
import static io.mpathgw.gateway.format.Fixtures.unknownVendorAlua;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology tree against spec §7.10's two examples and two maps of ours, byte for byte. The spec's examples pad
 * dev_t to 5 although their maps' longest dev_t has 4 characters: multipathd pads over every path it knows, here a
 * local virtio disk (vda, 254:0) mapped into nothing. The hand-written NetApp example prints "ready running" beside
 * a "faulty" path, which multipath-tools cannot (chk_st is padded to "faulty"); its golden file has "ready  running".
 */
class TopologyGoldenTest {

    @Test
    void issue92MapAsMultipathdShowsIt() {
        MapView m = issue92();
        String out = Topology.multipathd(List.of(m), withVda(m));

        String first = out.substring(0, out.indexOf('\n') + 1);
        assertThat(first).isEqualTo("mpathb (360050768108101c4a000000000000011) dm-1 IBM,2145\n");
        assertThat(out.substring(first.length())).isEqualTo(Golden.read("issue92-body.txt"));
    }

    @Test
    void twoGroupAluaMapAsMultipathdShowsIt() {
        MapView m = netapp();
        assertThat(Topology.multipathd(List.of(m), withVda(m))).isEqualTo(Golden.read("two-group-alua.txt"));
        assertThat(Topology.multipathd(m, List.of(m), withVda(m))).isEqualTo(Golden.read("two-group-alua.txt"));
    }

    @Test
    void multipathLlPadsOverTheMapsOwnPaths() {
        assertThat(Topology.multipath(List.of(netapp()), false))
                .isEqualTo(Golden.read("two-group-alua-multipath-ll.txt"));
    }

    @Test
    void unknownVendorNamedByWwidWithFailedOfflinePath() {
        assertThat(Topology.multipath(List.of(unknownVendorAlua()), false))
                .isEqualTo(Golden.read("unknown-vendor-alua.txt"));
    }

    @Test
    void severalMapsShareTheDaemonsWidthsButNotMultipathsOwn() {
        MapView a = netapp(), c = unknownVendorAlua();
        String daemon = Topology.multipathd(List.of(a, c), pathsOf(a, c));
        // sdaa / 65:160 / 10:0:0:1 of the second map widen the first map's columns in the daemon's view
        assertThat(daemon).contains("| |- 1:0:0:0  sda  8:0    active ready  running\n");
        assertThat(Topology.multipath(List.of(a, c), false))
                .isEqualTo(Golden.read("two-group-alua-multipath-ll.txt") + Golden.read("unknown-vendor-alua.txt"));
    }

    @Test
    void boldHeaderOnATerminal() {
        String out = Topology.multipath(List.of(netapp()), true);
        assertThat(out).startsWith("\u001b[1mmpatha (3600a098038303053453f463045727a48) dm-0 NETAPP,LUN C-Mode\u001b[0m\n");
    }

    private static List<io.mpathgw.gateway.model.PathView> withVda(MapView m) {
        List<io.mpathgw.gateway.model.PathView> all = new java.util.ArrayList<>(pathsOf(m));
        all.add(orphanVda());
        return all;
    }
}
