package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.MapEvents;
import io.mpathgw.dm.engine.MultipathBlockDevice;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.Path;
import io.mpathgw.dm.engine.PathHandlerHooks.SenseDisposition;
import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.engine.ScsiPathIo;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HandlerActivator} as the one binding per path that serves pg_init and normal I/O: a real map over
 * {@link ScsiPathIo} and a {@link MultipathBlockDevice}, its paths scripted ports of a {@link FakeAluaArray}, the
 * alua handler attached to each. The handler's check_sense decides how a CHECK CONDITION on I/O is retried, and its
 * prep_fn keeps I/O off a standby path, which the map then fails and leaves for the other group after pg_init.
 */
class HandlerHooksTest {

    static final String TABLE = "0 1 alua 2 1 round-robin 0 1 0 p1 round-robin 0 1 0 p2";
    static final String BOTH_ACTIVE_PG1 = "2 0 1 0 2 1 A 0 1 0 p1 A 0 E 0 1 0 p2 A 0 ";

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final HandlerContext ctx = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);
    final HandlerActivator handlers = new HandlerActivator();
    final Map<String, ScriptedTransport> ports = new LinkedHashMap<>();
    MultipathDevice map;
    MultipathBlockDevice dev;

    /** Attaches alua to {@code t} and binds it as path {@code name}. */
    void attach(String name, ScriptedTransport t) {
        CompletableFuture<AttachedHandler> f = HardwareHandlers.REGISTRY.find("alua").orElseThrow()
                .attach(t, List.of(), ctx);
        clock.runUntil(f::isDone, 1_000);
        handlers.bind(name, f.join());
        ports.put(name, t);
    }

    void load(boolean hooks) throws Exception {
        load(hooks, ScsiPathIo.Settings.KERNEL);
    }

    /** The map over the attached ports; {@code hooks}: whether ScsiPathIo asks the handlers on I/O. */
    void load(boolean hooks, ScsiPathIo.Settings settings) throws Exception {
        ScsiPathIo pathIo = new ScsiPathIo(clock.mapThread(), settings);
        ports.forEach(pathIo::bind);
        if (hooks) pathIo.hooks(handlers);
        map = MultipathDevice.builder("mpatha", 2097152, MultipathTable.parse(TABLE, Selectors.REGISTRY,
                        HardwareHandlers.TABLE_ATTACH)).devName("253:0").thread(clock.mapThread()).pathIo(pathIo)
                .activator(handlers).log(log::add).events(recorder()).build();
        dev = MultipathBlockDevice.builder(map).build();
    }

    MapEvents recorder() {
        return new MapEvents() {
            @Override
            public void pathFailed(Path path, String cause, int nrValidPaths) {
                events.add("failed " + path + " (" + cause + ")");
            }

            @Override
            public void pgInitDone(Path path, int result) {
                events.add("pg_init " + path + " " + result);
            }
        };
    }

    /** Reads 8 blocks through the map, running the virtual clock until it completes; true when it succeeded. */
    boolean read() {
        CompletableFuture<ByteBuf> f = dev.read(64, 8);
        clock.runUntil(f::isDone, 600_000);
        assertThat(f).as("read still pending; log %s, events %s", log, events).isDone();
        if (f.isCompletedExceptionally()) return false;
        f.join().release();
        return true;
    }

    /** READ(16) commands the path's port received. */
    long reads(String path) {
        return ports.get(path).cdbs().stream().filter(c -> c.startsWith("88")).count();
    }

    /** REPORT TARGET PORT GROUPS (MAINTENANCE IN) commands the path's port received. */
    long rtpgs(String path) {
        return ports.get(path).sent().stream().filter(s -> (s.cdb()[0] & 0xFF) == Cdb.MAINTENANCE_IN).count();
    }

    FakeAluaArray array(int tpgs, AluaState group1, AluaState group2) {
        FakeAluaArray array = new FakeAluaArray(clock, tpgs).group(1, group1).group(2, group2);
        attach("p1", array.port("sdb", 1, 1));
        attach("p2", array.port("sdc", 2, 2));
        return array;
    }

    // ------------------------------------------------------------------ check_sense

    /**
     * 02/04/0A three times: alua_check_sense marks the group transitioning, queues an RTPG and answers NEEDS_RETRY,
     * so the command goes again at once on the same path; without the handler the mid-layer waits a second each
     * time (ACTION_DELAYED_RETRY). Either way the path is not failed.
     */
    @ParameterizedTest(name = "hooks {0}")
    @CsvSource({"true, 0, 999", "false, 3000, 3999"})
    void aluaTransitioningOnIoIsRetriedOnTheSamePathAsTheHandlerDecides(boolean hooks, long minMs, long maxMs)
            throws Exception {
        FakeAluaArray array = array(InquiryData.TPGS_BOTH, AluaState.ACTIVE_OPTIMIZED, AluaState.STANDBY);
        load(hooks);
        assertThat(read()).isTrue();
        long rtpgsBefore = rtpgs("p1");
        array.senseOnIo(1, 3, Sense.NOT_READY_TRANSITIONING);
        long start = clock.millis();

        assertThat(read()).isTrue();

        assertThat(clock.millis() - start).isBetween(minMs, maxMs);
        clock.advance(10);                                  // the RTPG alua queued (ALUA_RTPG_DELAY_MSECS)
        assertThat(reads("p1")).isEqualTo(1 + 4);
        assertThat(reads("p2")).isZero();
        assertThat(rtpgs("p1") - rtpgsBefore).as("alua re-reads the states after 04/0A").isEqualTo(hooks ? 1 : 0);
        assertThat(handlers.handlerOf("p1").orElseThrow().accessState().state()).contains(AluaState.ACTIVE_OPTIMIZED);
        assertThat(map.status()).isEqualTo(BOTH_ACTIVE_PG1);
        assertThat(events).noneMatch(e -> e.startsWith("failed"));
    }

    /**
     * Seven 06/2A/06 in a row: alua answers ADD_TO_MLQUEUE, retries the mid-layer does not count, so the read
     * succeeds on the same path; the mid-layer alone counts unit attentions and fails the path after 5 retries.
     */
    @Test
    void aluaUnitAttentionsAreRetriedUncountedOnTheSamePath() throws Exception {
        FakeAluaArray array = array(InquiryData.TPGS_BOTH, AluaState.ACTIVE_OPTIMIZED, AluaState.STANDBY);
        load(true);
        assertThat(read()).isTrue();
        array.senseOnIo(1, 7, Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);

        assertThat(read()).isTrue();

        assertThat(reads("p1")).isEqualTo(1 + 8);
        assertThat(reads("p2")).isZero();
        assertThat(map.status()).isEqualTo(BOTH_ACTIVE_PG1);
    }

    @Test
    void withoutTheHooksSevenUnitAttentionsFailThePathAndTheReadMovesToTheOtherGroup() throws Exception {
        FakeAluaArray array = array(InquiryData.TPGS_BOTH, AluaState.ACTIVE_OPTIMIZED, AluaState.STANDBY);
        load(false);
        assertThat(read()).isTrue();
        array.senseOnIo(1, 7, Sense.ASYMMETRIC_ACCESS_STATE_CHANGED);

        assertThat(read()).isTrue();

        assertThat(reads("p1")).as("the first try and 5 retries").isEqualTo(1 + 6);
        assertThat(reads("p2")).isEqualTo(1);
        assertThat(array.stpgs()).containsExactly("group 2 → active/optimized");
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("failed p1 (I/O error IOERR: unit attention"));
    }

    // ------------------------------------------------------------------ prep_fn

    /**
     * Implicit-only ALUA with group 1 in standby: pg_init of PG 1 succeeds without STPG (there is none to send), then
     * alua_prep_fn refuses the read on p1 before any command goes out; the map fails p1, switches to PG 2, runs its
     * pg_init and reads through p2.
     */
    @Test
    void aStandbyPathRefusedByPrepFnIsFailedAndTheReadGoesToTheOtherGroupAfterPgInit() throws Exception {
        FakeAluaArray array = array(InquiryData.TPGS_IMPLICIT, AluaState.STANDBY, AluaState.ACTIVE_OPTIMIZED);
        load(true);

        assertThat(read()).isTrue();

        assertThat(reads("p1")).as("refused before sending").isZero();
        assertThat(reads("p2")).isEqualTo(1);
        assertThat(array.stpgs()).isEmpty();
        assertThat(events).containsExactly(
                "pg_init p1 " + ScsiDh.OK,
                "failed p1 (I/O error IOERR: hardware handler refuses I/O on path p1 (prep_fn))",
                "pg_init p2 " + ScsiDh.OK);
        assertThat(log).contains("device-mapper: multipath: 253:0: Failing path p1.");
        assertThat(map.status()).isEqualTo("2 0 1 0 2 2 E 0 1 0 p1 F 1 A 0 1 0 p2 A 0 ");
    }

    /**
     * The array fails over on its own while the map reads through PG 1: the next read gets 2A/06, alua re-reads
     * the states (RTPG 5 ms later) and has the command retried uncounted; by the retry, 8 ms later with a slower
     * requeue, prep_fn knows p1 is standby and refuses it. p1 fails and the map moves to PG 2.
     */
    @Test
    void anImplicitFailoverSeenOnIoMovesTheMapToTheOtherGroup() throws Exception {
        FakeAluaArray array = array(InquiryData.TPGS_IMPLICIT, AluaState.ACTIVE_OPTIMIZED, AluaState.STANDBY);
        ScsiPathIo.Settings slowRequeue = new ScsiPathIo.Settings(5, java.time.Duration.ofSeconds(180),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(8));
        load(true, slowRequeue);
        assertThat(read()).isTrue();
        array.failover(2);

        assertThat(read()).isTrue();

        assertThat(reads("p1")).as("the first read, then the one that got 2A/06").isEqualTo(2);
        assertThat(reads("p2")).as("its own 2A/06 first, retried").isEqualTo(2);
        assertThat(handlers.admits(map.groups().get(0).paths().get(0))).isFalse();
        assertThat(events).contains("failed p1 (I/O error IOERR: hardware handler refuses I/O on path p1 (prep_fn))");
        assertThat(map.status()).isEqualTo("2 0 1 0 2 2 E 0 1 0 p1 F 1 A 0 1 0 p2 A 0 ");
    }

    // ------------------------------------------------------------------ the adapter itself

    @ParameterizedTest
    @EnumSource(Disposition.class)
    void everyDispositionBecomesTheEnginesOfTheSameName(Disposition d) {
        assertThat(HandlerActivator.senseDisposition(d).name()).isEqualTo(d.name());
        assertThat(new HandlerActivator(Map.of("p1", stub(d, false))).checkSense(pathNamed("p1"), Sense.POWER_ON_RESET))
                .isEqualTo(SenseDisposition.valueOf(d.name()));
    }

    @Test
    void aPathWithoutAHandlerIsAdmittedAndItsSenseLeftToTheMidLayer() {
        HandlerActivator a = new HandlerActivator(Map.of("p1", stub(Disposition.SUCCESS, false)));
        Path p1 = pathNamed("p1");
        assertThat(a.admits(p1)).isFalse();
        assertThat(a.checkSense(p1, Sense.NOT_READY_STANDBY)).isEqualTo(SenseDisposition.SUCCESS);
        a.unbind("p1");
        assertThat(a.admits(p1)).isTrue();
        assertThat(a.checkSense(p1, Sense.NOT_READY_STANDBY)).isEqualTo(SenseDisposition.NOT_HANDLED);
    }

    static AttachedHandler stub(Disposition d, boolean admits) {
        return new AttachedHandler() {
            public HardwareHandler handler() {
                return AluaHandler.INSTANCE;
            }

            public CompletableFuture<Integer> activate() {
                return CompletableFuture.completedFuture(ScsiDh.OK);
            }

            public Disposition checkSense(Sense s) {
                return d;
            }

            public boolean admits() {
                return admits;
            }

            public AccessState accessState() {
                return AccessState.NONE;
            }

            public void detach() {
            }
        };
    }

    Path pathNamed(String name) {
        return new HandlerEngineTest().pathNamed(name);
    }
}
