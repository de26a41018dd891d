package io.mpathgw.gateway.daemon;

import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Personality;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * One portal per controller, implicit ALUA, failback immediate: the returned path's group is the only one with
     * it, so it carries I/O again only once the failback decision switches back. That decision now follows the
     * reinstatement (it waited for the next checker tick, up to 1 s later), and relogin is capped at 0.5 s.
     */
    @Test
    void aReturnedPortalCarriesIoWithinOneSecondWithOnePortalPerController() throws Exception {
        sim = ArraySimulator.builder().personality(Personality.ALUA).tpgs(1).controllers(2).portalsPerController(1)
                .build().start();
        gw = Gateway.start(GatewaySetup.builder().policies(new Defaults())
                .portal(GatewaySetup.Portal.discover(sim.address(0))).build());
        GatewaySimTest.await(() -> gw.paths().size() == 2 && gw.paths().stream().allMatch(p -> p.dmState().equals("active")),
                Duration.ofSeconds(5), () -> assertThat(gw.paths()).hasSize(2));
        assertThat(gw.map("mpatha").orElseThrow().failback()).isEqualTo("immediate");
        String a = pathOn(0).dev();
        MultipathBlockDevice dev = gw.blockDevice("mpatha").orElseThrow();
        AtomicBoolean run = new AtomicBoolean(true);
        Thread io = new Thread(() -> {
            while (run.get()) {
                try {
                    dev.read(0, 8).get(10, TimeUnit.SECONDS).release();
                } catch (Exception e) {
                    if (!run.get()) return;
                }
            }
        }, "returned-portal-io");
        io.start();
        try {
            GatewaySimTest.await(() -> path(a).carryingIo(), Duration.ofSeconds(3),
                    () -> assertThat(gw.paths()).as("controller A's path carries I/O first").anyMatch(p -> p.dev().equals(a) && p.carryingIo()));
            sim.portal(0).kill();
            GatewaySimTest.await(() -> path(a).dmState().equals("failed"), Duration.ofSeconds(2),
                    () -> assertThat(path(a).dmState()).isEqualTo("failed"));
            Thread.sleep(1500);
            long before = path(a).counters().ios();
            long revived = System.nanoTime();
            sim.portal(0).revive();
            GatewaySimTest.await(() -> path(a).dmState().equals("active") && path(a).carryingIo()
                            && path(a).counters().ios() > before + 10,
                    Duration.ofSeconds(3), () -> org.junit.jupiter.api.Assertions.fail("no I/O on " + a + " within 3 s of "
                            + "the revive: " + path(a) + "; events " + gw.events(0, 10_000)));
            Duration back = Duration.ofNanos(System.nanoTime() - revived);
            System.out.println("returned portal (1 per controller): I/O on " + a + " again after "
                    + back.toMillis() + " ms");
            assertThat(back).as("revive -> I/O on the returned path; events " + gw.events(0, 10_000))
                    .isLessThan(Duration.ofSeconds(1));
        } finally {
            run.set(false);
            io.join(15_000);
        }
    }

    private PathView path(String dev) {
        return gw.paths().stream().filter(p -> p.dev().equals(dev)).findFirst().orElseThrow();
    }

    private PathView pathOn(int portal) {
        String port = ":" + sim.address(portal).getPort();
        return gw.paths().stream().filter(p -> p.portal().contains(port)).findFirst()
                .orElseThrow(() -> new AssertionError("no path on " + port + ": " + gw.paths()));
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
