package io.mpathgw.gateway.nbd;

import io.mpathgw.dm.engine.ExecutorMapThread;
import io.mpathgw.dm.engine.MapEvents;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PriorityGroup;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.initiator.SessionState;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.Flapper;
import io.mpathgw.iscsi.sim.LunSpec;
import io.mpathgw.iscsi.sim.Personality;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ReadCapacity;
import io.mpathgw.scsi.ScsiCommand;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak (tag "slow", left out of {@code mvn verify}): fio's nbd engine writes 4 KiB blocks at random through the
 * export of a map over four live paths to the simulated active-active array and verifies each one (crc32c, a
 * verify backlog, fatal on the first mismatch) while two of the four portals flap, up 1-3 s and down 0.5-1.5 s, for
 * {@code -Dnbd.soak.seconds} (60 by default). A checker reinstates a failed path once its session is back, as
 * multipathd would. fio must end without an error and the paths must have failed and come back along the way.
 */
@Tag("slow")
class NbdFlapSoakTest {

    static final String TABLE = "1 queue_if_no_path 0 1 1 round-robin 0 4 1 p0 1 p1 1 p2 1 p3 1";

    final EventLoopGroup clients = EventLoops.create(2);
    final List<Session> sessions = new ArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Flapper> flappers = new ArrayList<>();
    final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
    ArraySimulator sim;
    ExecutorMapThread thread;
    MultipathDevice map;
    NbdServer server;

    @AfterEach
    void close() {
        flappers.forEach(Flapper::stop);
        checker.shutdownNow();
        if (server != null) server.close();
        for (Session s : sessions) s.close();
        if (thread != null) thread.close();
        if (sim != null) sim.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void fioVerifiesEveryWriteWhilePortalsFlap() throws Exception {
        NbdTools.assumeTool("fio", "fio");
        Assumptions.assumeTrue(NbdTools.run(Duration.ofSeconds(10), "fio", "--enghelp").stdout().lines()
                .anyMatch(l -> l.trim().equals("nbd")), "this fio has no nbd engine");
        int seconds = Integer.getInteger("nbd.soak.seconds", 60);
        sim = ArraySimulator.builder().personality(Personality.ACTIVE_ACTIVE).controllers(2).portalsPerController(2)
                .lun(LunSpec.of(0, 64L << 20)).build().start();
        thread = new ExecutorMapThread("map-soak");
        ScsiPathIo pathIo = new ScsiPathIo(thread);
        for (int i = 0; i < 4; i++) {
            Session s = Session.open(InitiatorConfig.builder(sim.address(i), sim.targetName(i))
                    .initiatorName("iqn.2026-01.io.mpathgw.test:nbd-soak").nopInterval(Duration.ofMillis(200))
                    .nopTimeout(Duration.ofMillis(500)).loginTimeout(Duration.ofSeconds(2))
                    .commandTimeout(Duration.ofSeconds(5)).reconnectInitial(Duration.ofMillis(50))
                    .reconnectCap(Duration.ofMillis(300)).build(), clients);
            s.awaitLoggedIn(Duration.ofSeconds(5));
            s.lun(0).submit(ScsiCommand.none(Cdb.testUnitReady())).get(5, TimeUnit.SECONDS).release();
            sessions.add(s);
            pathIo.bind("p" + i, s.lun(0));
        }
        ReadCapacity rc = MultipathBlockDevice.readCapacity(sessions.get(0).lun(0)).get(5, TimeUnit.SECONDS);
        map = MultipathDevice.builder("mpatha", rc.sizeBytes() / 512,
                        MultipathTable.parse(TABLE, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH))
                .thread(thread).pathIo(pathIo).events(new MapEvents() {
                    @Override
                    public void pathFailed(Path path, String cause, int nrValidPaths) {
                        events.add("failed " + path);
                    }

                    @Override
                    public void pathReinstated(Path path, String cause, int nrValidPaths) {
                        events.add("reinstated " + path);
                    }
                }).build();
        MultipathBlockDevice dev = MultipathBlockDevice.builder(map).capacity(rc).build();
        server = NbdServer.builder().listen("127.0.0.1:0").eventLoops(clients).start();
        server.addExport("mpatha", "", dev);
        checker.scheduleWithFixedDelay(() -> thread.execute(this::check), 100, 100, TimeUnit.MILLISECONDS);
        for (int portal : new int[]{0, 2})
            flappers.add(sim.flap(portal, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMillis(500),
                    Duration.ofMillis(1500)));

        NbdTools.Result r = NbdTools.run(Duration.ofSeconds(seconds + 60), "fio", "--name=soak", "--ioengine=nbd",
                "--uri=nbd://127.0.0.1:" + server.port() + "/mpatha", "--rw=randwrite", "--bs=4k",
                "--iodepth=32", "--size=64m", "--time_based", "--runtime=" + seconds, "--verify=crc32c",
                "--verify_backlog=1024", "--verify_fatal=1", "--output-format=terse", "--terse-version=3");
        flappers.forEach(Flapper::stop);
        assertThat(r.exit()).as(r + "\nevents: " + events).isZero();
        String[] f = r.stdout().trim().split(";");
        assertThat(f[4]).as("fio error field: " + r).isEqualTo("0");
        assertThat(Long.parseLong(f[46])).as("KiB written").isGreaterThan(0);
        assertThat(Long.parseLong(f[5])).as("KiB read back to verify").isGreaterThan(0);
        assertThat(events.stream().filter(e -> e.startsWith("failed")).count()).as(events::toString)
                .isGreaterThanOrEqualTo(2);
        assertThat(events).as("paths came back").anyMatch(e -> e.startsWith("reinstated"));
    }

    /** multipathd's part: a failed path whose session is logged in again is reinstated (on the map's thread). */
    void check() {
        for (PriorityGroup g : map.groups())
            for (Path p : g.paths()) {
                int i = Integer.parseInt(p.name().substring(1));
                if (p.isActive() || sessions.get(i).state() != SessionState.LOGGED_IN) continue;
                try {
                    map.message(0, "reinstate_path " + p.name());
                } catch (MessageException e) {
                    events.add("reinstate_path " + p.name() + ": " + e.getMessage());
                }
            }
    }
}
