package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.config.MapPolicy;
import io.mpathgw.gateway.config.MultipathConf;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.InquiryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon asks its policies with the LU's TPGS, so multipath.conf's ALUA autodetection (propsel.c) reaches the
 * map: an implicit-ALUA LU of a vendor the hardware table does not know gets group_by_prio, prio alua and the alua
 * handler from the built-in defaults alone.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class GatewayTpgsPolicyTest {

    ArraySimulator sim;
    Gateway gw;

    /** multipath.conf's policy as MapSettings (what api's ConfPolicies does), with the tests' quick timers. */
    static final class ConfOnly implements Policies {
        final MultipathConf conf = MultipathConf.defaults();
        final Policies names = Policies.uniform(MapSettings.DEFAULTS, true);

        @Override
        public MapSettings settingsFor(String vendor, String product, String revision, String wwid) {
            return settings(conf.policyFor(vendor, product, revision, wwid));
        }

        @Override
        public MapSettings settingsFor(String vendor, String product, String revision, String wwid, boolean tpgs) {
            return settings(conf.policyFor(vendor, product, revision, wwid, tpgs));
        }

        static MapSettings settings(MapPolicy p) {
            String[] hw = p.hardwareHandler().trim().split("\\s+");
            return new MapSettings(p.pathGroupingPolicy(), p.pathSelector(), hw.length < 2 ? "" : hw[1], "0",
                    p.prio(), p.prioArgs(), p.pathChecker(), p.failback().toString(), p.noPathRetry(), p.rrMinIo(),
                    Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(800));
        }

        @Override
        public boolean blacklisted(String vendor, String product, String wwid, String dev) {
            return false;
        }

        @Override
        public String mapName(String wwid, Set<String> taken) {
            return names.mapName(wwid, taken);
        }

        @Override
        public String show() {
            return conf.show();
        }
    }

    @Test
    void anImplicitAluaLuOfAnUnknownVendorFormsAGroupByPrioMapWithAlua() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ALUA).vendor("ACME").product("NOBODY KNOWS")
                .tpgs(InquiryData.TPGS_IMPLICIT).portalsPerController(1).build().start();
        ConfOnly policies = new ConfOnly();
        // the identity alone (TPGS unknown) gives the built-in defaults: failover, const
        assertThat(policies.settingsFor("ACME", "NOBODY KNOWS", "0001", "36001").pathGroupingPolicy())
                .isEqualTo("failover");
        gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .discoveryTimeout(Duration.ofSeconds(10)).policies(policies)
                .portal(GatewaySetup.Portal.discover(sim.address(0))).build());
        GatewaySimTest.await(() -> gw.maps().size() == 1 && gw.maps().get(0).groups().stream()
                        .flatMap(g -> g.paths().stream()).allMatch(p -> p.priority() >= 0), Duration.ofSeconds(5),
                () -> assertThat(gw.maps()).as("a map with prioritized paths").hasSize(1));
        MapView m = gw.maps().get(0);
        assertThat(m.vendor()).isEqualTo("ACME");
        assertThat(m.hwHandler()).isEqualTo("1 alua");
        assertThat(m.groups()).as("group_by_prio: the owning controller's path first").hasSize(2);
        assertThat(m.groups().get(0).priority()).isEqualTo(50);
        assertThat(m.groups().get(1).priority()).isLessThan(50);
        assertThat(gw.paths()).extracting(PathView::prioritizer).containsOnly("alua");
        assertThat(m.failback()).isEqualTo("immediate");
    }

    @Test
    void pathsCarryTheCheckersTickAndIntervalForNextCheck() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).portalsPerController(1).build().start();
        MapSettings slow = GatewaySimTest.FAST.withTimers(Duration.ofSeconds(3), Duration.ofSeconds(12),
                Duration.ofMillis(500));
        gw = Gateway.start(GatewaySetup.builder().nop(Duration.ofMillis(300), Duration.ofMillis(300))
                .loginTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2))
                .discoveryTimeout(Duration.ofSeconds(10)).policies(Policies.uniform(slow, true))
                .portal(GatewaySetup.Portal.discover(sim.address(0))).build());
        GatewaySimTest.await(() -> gw.paths().size() == 2 && gw.paths().stream()
                        .allMatch(p -> p.checkerState().equals("ready") && p.checkInterval() > 0),
                Duration.ofSeconds(5), () -> assertThat(gw.paths()).as("two checked paths")
                        .hasSize(2).allMatch(p -> p.checkerState().equals("ready") && p.checkInterval() > 0));
        // polling_interval 3 s after the first check, doubling while healthy (6, 12): tick counts down within it
        for (PathView p : gw.paths()) {
            assertThat(p.checkInterval()).as(p.dev()).isIn(3, 6, 12);
            assertThat(p.checkTick()).as(p.dev()).isBetween(0, p.checkInterval());
        }
        var rows = io.mpathgw.gateway.format.PathRow.of(gw.paths(), gw.maps());
        assertThat(io.mpathgw.gateway.format.Tables.paths(rows, "%C", false).lines())
                .allMatch(l -> l.matches("X*\\.* [0-9]+/(3|6|12)") && l.indexOf(' ') == 10,
                        "a 10-wide bar, then tick/interval");
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (sim != null) sim.close();
    }
}
