package io.mpathgw.gateway.daemon;

import io.mpathgw.gateway.model.EventView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 40, unit = TimeUnit.SECONDS)
/**
 * Issue 7's aim for a returned portal: its path carries I/O again within about 1 s. With the gateway's DEFAULT
 * settings (relogin back-off capped at 1 s; it was 5 s, which after a 3.5 s outage put the next login attempt 2.8 s
 * after the portal came back), and a relogin that re-reads only the LU's WWID before the path is checked.
 */
class GatewayReturnedPortalTest {

    ArraySimulator sim;
    Gateway gw;

    /** multipath.conf saying nothing, mapped as the service maps it. */
    static final class Defaults implements Policies {
        final io.mpathgw.gateway.config.MultipathConf conf = io.mpathgw.gateway.config.MultipathConf.defaults();
        final Policies names = Policies.uniform(MapSettings.DEFAULTS, true);

        @Override
        public MapSettings settingsFor(String vendor, String product, String revision, String wwid) {
            return io.mpathgw.gateway.api.ConfPolicies.settings(conf.policyFor(vendor, product, revision, wwid));
        }

        @Override
        public MapSettings settingsFor(String vendor, String product, String revision, String wwid, boolean tpgs) {
            return io.mpathgw.gateway.api.ConfPolicies.settings(conf.policyFor(vendor, product, revision, wwid, tpgs));
        }

        @Override
        public boolean blacklisted(String vendor, String product, String wwid, String dev) {
            return false;
        }

        @Override
        public String mapName(String wwid, java.util.Set<String> taken) {
            return names.mapName(wwid, taken);
        }

        @Override
        public String show() {
            return conf.show();
        }
    }

    @Test
    void aReturnedPortalsPathIsUpSoonAfterItsLogin() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ALUA).portalsPerController(1).build().start();
        gw = Gateway.start(GatewaySetup.builder().policies(new Defaults())
                .portal(GatewaySetup.Portal.discover(sim.address(0))).build());
        GatewaySimTest.await(() -> gw.paths().size() == 2 && gw.paths().stream().allMatch(p -> p.dmState().equals("active")),
                Duration.ofSeconds(5), () -> assertThat(gw.paths()).hasSize(2));
        long after = last();
        sim.portal(1).kill();
        GatewaySimTest.await(() -> gw.paths().stream().anyMatch(p -> p.dmState().equals("failed")),
                Duration.ofSeconds(5), () -> assertThat(gw.paths()).anyMatch(p -> p.dmState().equals("failed")));
        Thread.sleep(3500);                                  // the back-off has reached its cap
        long revived = System.nanoTime();
        sim.portal(1).revive();
        GatewaySimTest.await(() -> gw.paths().stream().allMatch(p -> p.dmState().equals("active")),
                Duration.ofSeconds(8), () -> assertThat(gw.paths()).allMatch(p -> p.dmState().equals("active")));
        Duration back = Duration.ofNanos(System.nanoTime() - revived);
        List<EventView> ev = gw.events(after, 1000);
        Instant login = ev.stream().filter(e -> e.kind().equals("LOGIN")).map(e -> Instant.parse(e.time()))
                .findFirst().orElseThrow();
        Instant up = ev.stream().filter(e -> e.kind().equals("PATH_REINSTATED")).map(e -> Instant.parse(e.time()))
                .reduce((x, y) -> y).orElseThrow();
        assertThat(back).as("portal revived -> path active again; events " + ev).isLessThan(Duration.ofMillis(1500));
        assertThat(Duration.between(login, up)).as("LOGIN -> PATH_REINSTATED").isLessThan(Duration.ofMillis(500));
    }

    private long last() {
        List<EventView> ev = gw.events(0, 100000);
        return ev.isEmpty() ? 0 : ev.get(ev.size() - 1).seq();
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (sim != null) sim.close();
    }
}
