package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.MapCounters;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.mpathgw.gateway.format.Fixtures.issue92;
import static io.mpathgw.gateway.format.Fixtures.netapp;
import static io.mpathgw.gateway.format.Fixtures.orphanVda;
import static io.mpathgw.gateway.format.Fixtures.pathsOf;
import static org.assertj.core.api.Assertions.assertThat;

/** show paths / show maps tables: headers, padding (last column too), raw formats, unknown wildcards. */
class TablesTest {

    private final List<MapView> maps = List.of(netapp(), issue92());

    @Test
    void showPathsDefaultFormat() {
        List<PathView> paths = new ArrayList<>(pathsOf(netapp()));
        paths.add(orphanVda());
        assertThat(Tables.paths(PathRow.of(paths, maps), PathWildcards.CHECKER_FORMAT, true))
                .isEqualTo(Golden.read("show-paths.txt"));
    }

    @Test
    void showMapsNamesStatusStats() {
        assertThat(Tables.maps(maps, MapWildcards.NAMES_FORMAT, true)).isEqualTo(Golden.read("show-maps.txt"));
        assertThat(Tables.maps(maps, MapWildcards.STATUS_FORMAT, true)).isEqualTo(Golden.read("show-maps-status.txt"));
        assertThat(Tables.maps(maps, MapWildcards.STATS_FORMAT, true)).isEqualTo(Golden.read("show-maps-stats.txt"));
    }

    @Test
    void rawFormatHasNoHeaderNoPadding() {
        List<PathRow> rows = PathRow.of(pathsOf(netapp()), maps);
        assertThat(Tables.paths(rows, "%d %t %T", false))
                .isEqualTo("sda active ready\nsdc active ready\nsdb active ready\nsdd failed faulty\n");
        assertThat(Tables.maps(maps, "%n:%N", false)).isEqualTo("mpatha:3\nmpathb:3\n");
    }

    @Test
    void unknownWildcardsPrintNothingTextIsCopied() {
        List<PathRow> rows = PathRow.of(pathsOf(issue92()), maps);
        assertThat(Tables.paths(rows.subList(0, 1), "dev=%d %Y|%m %A %L %n %s %S %P", false))
                .isEqualTo("dev=sdb |mpathb 0x0001 0x000b000000000000 iqn.2026-11.io.mpathgw.sim:array "
                        + "IBM,2145,9800 6.0T scsi:iscsi\n");
        assertThat(Tables.paths(rows.subList(0, 1), "%d %w", true))
                .isEqualTo("dev uuid\nsdb     \n");                   // the wwid of this fixture path is empty
    }

    @Test
    void emptyTableHasNoHeader() {
        assertThat(Tables.maps(List.of(), MapWildcards.NAMES_FORMAT, true)).isEmpty();
        assertThat(Tables.paths(List.of(), PathWildcards.CHECKER_FORMAT, true)).isEmpty();
    }

    @Test
    void mapFormatAndMapWildcards() {
        MapView m = netapp();
        assertThat(Tables.map(m, maps, "%n %s %v %p %e %S %f %h %F %G", false))
                .isEqualTo("mpatha NETAPP,LUN C-Mode NETAPP LUN C-Mode 9800 10G 3 queue_if_no_path pg_init_retries 50 "
                        + "1 alua immediate --\n");
        assertThat(Tables.map(m, maps, "%n %d", true)).isEqualTo("mpatha dm-0 \n");  // sysfs header is 5 wide
        assertThat(Tables.map(Fixtures.unknownVendorAlua(), maps, "%s %v %F %Q", false))
                .isEqualTo("##,## ## immediate 12 chk\n");
    }

    @Test
    void mapFailuresPrintAsX() {
        MapView m = netapp();
        MapCounters c = m.counters();
        MapView failed = new MapView(m.name(), m.wwid(), m.dmName(), m.vendor(), m.product(), m.revision(),
                m.sizeSectors(), m.blockSize(), m.features(), m.hwHandler(), m.writeProtect(), m.table(), m.status(),
                m.queueing(), m.health(), m.healthReason(), m.selector(), m.failback(), m.noPathRetry(),
                m.nrActivePaths(), m.nrPaths(), m.groups(), new MapCounters(c.pathFaults(), c.switchGroup(),
                c.mapLoads(), c.totalQueueTime(), c.queueTimeouts(), 3, 0, 0, 0, 0, 0, 0, 0));
        assertThat(Tables.map(m, maps, "%n %x", false)).isEqualTo("mpatha 0\n");
        assertThat(Tables.map(failed, maps, "%n %x", false)).isEqualTo("mpatha 3\n");
    }

    @Test
    void orphanPathPrintsAsMultipathdsOrphans() {
        List<PathRow> rows = PathRow.of(List.of(orphanVda()), maps);
        assertThat(Tables.paths(rows, "%i %m %T %o %C %s %A", false))
                .isEqualTo("#:#:#:# [orphan] undef unknown orphan ##,##,## [undef]\n");
        assertThat(Tables.path(rows.get(0))).isEqualTo("unknown\n");
    }

    @Test
    void nextCheckIsMultipathToolsProgressBarOfTickOverInterval() {
        assertThat(PathWildcards.progress(0, 5)).isEqualTo(".......... 0/5");
        assertThat(PathWildcards.progress(3, 5)).isEqualTo("XXXXXX.... 3/5");
        assertThat(PathWildcards.progress(20, 20)).isEqualTo("XXXXXXXXXX 20/20");
        assertThat(PathWildcards.progress(1, 3)).as("10 * 1 / 3 rounds down").isEqualTo("XXX....... 1/3");
        assertThat(PathWildcards.progress(0, 0)).as("no interval: the numbers alone").isEqualTo(" 0/0");
    }

    @Test
    void wildcardsListsEveryLetterWithItsHeader() {
        String w = Tables.wildcards();
        assertThat(w).startsWith("multipath format wildcards:\n%n  name\n%w  uuid\n");
        assertThat(w).contains("\npath format wildcards:\n%w  uuid\n%i  hcil\n");
        assertThat(w).endsWith("%A  TPG\n%k  max_sectors_kb\n");
    }
}
