package io.mpathgw.dm.handler.live;

import io.mpathgw.dm.handler.AttachedHandler;
import io.mpathgw.dm.handler.HandlerContext;
import io.mpathgw.dm.handler.HandlerScheduler;
import io.mpathgw.dm.handler.HandlerSettings;
import io.mpathgw.dm.handler.HardwareHandlers;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.iscsi.initiator.InitiatorConfig;
import io.mpathgw.iscsi.initiator.Session;
import io.mpathgw.iscsi.sim.ArraySimulator;
import io.mpathgw.iscsi.sim.ArraySimulatorBuilder;
import io.mpathgw.iscsi.sim.SimLun;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The base of the live handler tests: the real hardware handlers ({@link HardwareHandlers#REGISTRY}) driving a real
 * iSCSI {@link Session} of our initiator against the array simulator's personality over loopback, on a real
 * scheduler. What the handlers log goes to {@link #log}, which every test can print on failure. Abstract, so the
 * runner leaves it alone; the tests are its subclasses.
 */
abstract class LiveHandlerTest {

    static final String INITIATOR = "iqn.2026-01.io.mpathgw.test:live-handlers";

    /** The kernel's settings with a shorter command timeout and ALUA retry interval, so a test takes seconds. */
    static final HandlerSettings FAST = HandlerSettings.KERNEL.withCommandTimeout(Duration.ofSeconds(5))
            .withAluaRetryDelay(Duration.ofMillis(100));

    final List<String> log = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "live-handler-scheduler");
        t.setDaemon(true);
        return t;
    });
    final HandlerContext ctx = new HandlerContext(HandlerScheduler.of(executor), FAST, log::add);
    final EventLoopGroup clients = EventLoops.create(2);
    private final List<Session> sessions = new ArrayList<>();
    ArraySimulator sim;

    ArraySimulator start(Consumer<ArraySimulatorBuilder> config) throws InterruptedException {
        ArraySimulatorBuilder b = ArraySimulator.builder();
        config.accept(b);
        sim = b.build().start();
        return sim;
    }

    /**
     * A session logged in through portal {@code portal}, scanned as a host's SCSI scan would (one TEST UNIT READY
     * per LUN, answer ignored), which consumes the power-on unit attention before a handler attaches.
     */
    Session login(int portal) throws Exception {
        InitiatorConfig cfg = InitiatorConfig.builder(sim.address(portal), sim.targetName(portal))
                .initiatorName(INITIATOR).loginTimeout(Duration.ofSeconds(3)).commandTimeout(Duration.ofSeconds(5))
                .reconnectInitial(Duration.ofMillis(50)).reconnectCap(Duration.ofMillis(200)).build();
        Session s = Session.open(cfg, clients);
        sessions.add(s);
        s.awaitLoggedIn(Duration.ofSeconds(5));
        for (SimLun l : sim.luns()) io(s.lun(l.number()), ScsiCommand.none(Cdb.testUnitReady())).release();
        return s;
    }

    /** The path to {@code lun} through portal {@code portal}: a fresh scanned session's transport. */
    ScsiTransport path(int portal, int lun) throws Exception {
        return login(portal).lun(lun);
    }

    /** {@code attach} of handler {@code name} with table parameters {@code params}; fails the test on a refusal. */
    AttachedHandler attach(String name, ScsiTransport path, String... params) throws Exception {
        return HardwareHandlers.REGISTRY.find(name).orElseThrow().attach(path, List.of(params), ctx)
                .get(15, TimeUnit.SECONDS);
    }

    /** activate (pg_init) and its SCSI_DH code. */
    static int activate(AttachedHandler h) throws Exception {
        return h.activate().get(20, TimeUnit.SECONDS);
    }

    static ScsiResponse io(ScsiTransport path, ScsiCommand c) throws Exception {
        return path.submit(c).get(10, TimeUnit.SECONDS);
    }

    /** A one-block READ(16) through {@code path}: its response, released; only status and sense are kept. */
    static ScsiResponse read(ScsiTransport path) throws Exception {
        ScsiResponse r = io(path, ScsiCommand.read(Cdb.read16(0, 1), 512));
        r.release();
        return r;
    }

    /** The handler log, for assertion messages. */
    String logText() {
        return String.join("\n", log);
    }

    @AfterEach
    void close() {
        for (Session s : sessions) s.close();
        if (sim != null) sim.close();
        executor.shutdownNow();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
