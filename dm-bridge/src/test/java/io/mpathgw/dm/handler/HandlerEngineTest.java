package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.BlkStatus;
import io.mpathgw.dm.engine.MapRequest;
import io.mpathgw.dm.engine.MultipathDevice;
import io.mpathgw.dm.engine.PathIo;
import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.selector.Selectors;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.InquiryData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handlers plugged into the engine through {@link HandlerActivator}, the engine's PathActivator (spec §4.5):
 * pg_init of a map runs the alua handler against a fake array, and the engine acts on its results.
 */
class HandlerEngineTest {

    static final String TABLE = "1 queue_if_no_path 1 alua 2 1 round-robin 0 1 0 p1 round-robin 0 1 0 p2";

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final HandlerContext ctx = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);
    final HandlerActivator activator = new HandlerActivator();
    final List<String> sentTo = new ArrayList<>();

    /** The path binding the engine will get: prep_fn first, then the command (here: always GOOD). */
    final PathIo pathIo = (path, request, done) -> {
        AttachedHandler h = activator.handlerOf(path.name()).orElseThrow();
        if (!h.admits()) {
            done.accept(BlkStatus.IOERR);       // quiet I/O error of prep_fn: a path error
            return;
        }
        sentTo.add(path.name());
        done.accept(BlkStatus.OK);
    };

    static final class Read implements MapRequest {
        BlkStatus status;

        @Override
        public long nrBytes() {
            return 4096;
        }

        @Override
        public void complete(BlkStatus s) {
            status = s;
        }
    }

    void bind(String name, ScriptedTransport t, String... params) {
        CompletableFuture<AttachedHandler> f = HardwareHandlers.REGISTRY.find("alua").orElseThrow()
                .attach(t, List.of(params), ctx);
        clock.runUntil(f::isDone, 1_000);
        activator.bind(name, f.join());
    }

    MultipathDevice map() throws TableException {
        MultipathTable table = MultipathTable.parse(TABLE, Selectors.REGISTRY, HardwareHandlers.TABLE_ATTACH);
        return MultipathDevice.builder("mpatha", 2097152, table).devName("253:0").thread(clock.mapThread())
                .pathIo(pathIo).activator(activator).log(log::add).build();
    }

    Read read(MultipathDevice m) {
        Read r = new Read();
        m.submit(r);
        clock.runUntil(() -> r.status != null, 120_000);
        return r;
    }

    @Test
    void pgInitSwitchesAStandbyGroupWithStpgBeforeTheFirstRead() throws Exception {
        FakeAluaArray array = new FakeAluaArray(clock, InquiryData.TPGS_BOTH)
                .group(1, AluaState.STANDBY).group(2, AluaState.ACTIVE_OPTIMIZED);
        bind("p1", array.port("sdb", 1, 1));
        bind("p2", array.port("sdc", 2, 2));
        MultipathDevice m = map();
        assertThat(read(m).status).isEqualTo(BlkStatus.OK);
        assertThat(sentTo).containsExactly("p1");
        assertThat(array.stpgs()).containsExactly("group 1 → active/optimized");
        assertThat(array.state(2)).isEqualTo(AluaState.STANDBY);
        assertThat(m.status()).isEqualTo("2 0 1 0 2 1 A 0 1 0 p1 A 0 E 0 1 0 p2 A 0 ");
    }

    @Test
    void anOfflineGroupFailsItsPathAndTheNextGroupIsInitialised() throws Exception {
        FakeAluaArray array = new FakeAluaArray(clock, InquiryData.TPGS_BOTH)
                .group(1, AluaState.OFFLINE).group(2, AluaState.ACTIVE_OPTIMIZED);
        bind("p1", array.port("sdb", 1, 1));
        bind("p2", array.port("sdc", 2, 2));
        MultipathDevice m = map();
        assertThat(read(m).status).isEqualTo(BlkStatus.OK);
        assertThat(sentTo).containsExactly("p2");
        assertThat(array.stpgs()).isEmpty();
        assertThat(log).contains("device-mapper: multipath: 253:0: Failing path p1.");
        assertThat(m.status()).isEqualTo("2 0 1 0 2 2 E 0 1 0 p1 F 1 A 0 1 0 p2 A 0 ");
    }

    @Test
    void implicitOnlyStandbyIsActivatedWithoutStpgAndPrepFnThenFailsThePath() throws Exception {
        FakeAluaArray array = new FakeAluaArray(clock, InquiryData.TPGS_IMPLICIT)
                .group(1, AluaState.STANDBY).group(2, AluaState.ACTIVE_OPTIMIZED);
        bind("p1", array.port("sdb", 1, 1));
        bind("p2", array.port("sdc", 2, 2));
        MultipathDevice m = map();
        assertThat(read(m).status).isEqualTo(BlkStatus.OK);
        assertThat(array.stpgs()).isEmpty();
        assertThat(sentTo).as("alua_prep_fn refused p1: a path error, the request went to PG 2").containsExactly("p2");
        assertThat(log).contains("device-mapper: multipath: 253:0: Failing path p1.");
    }

    @Test
    void aPathWithoutAnAttachedHandlerAnswersNosysAndIsFailed() throws Exception {
        FakeAluaArray array = new FakeAluaArray(clock, InquiryData.TPGS_BOTH)
                .group(1, AluaState.ACTIVE_OPTIMIZED).group(2, AluaState.STANDBY);
        bind("p2", array.port("sdc", 2, 2));
        MultipathDevice m = map();
        assertThat(read(m).status).isEqualTo(BlkStatus.OK);
        assertThat(log).contains(
                "device-mapper: multipath: Could not failover the device: Handler scsi_dh_alua Error 16.",
                "device-mapper: multipath: 253:0: Failing path p1.");
        assertThat(sentTo).containsExactly("p2");
        assertThat(array.stpgs()).containsExactly("group 2 → active/optimized");
    }

    @Test
    void theActivatorPassesTheHandlersCodeAndMapsAnUnexpectedFailureToIo() {
        List<Integer> codes = new ArrayList<>();
        HandlerActivator a = new HandlerActivator();
        AttachedHandler failing = new AttachedHandler() {
            public HardwareHandler handler() {
                return AluaHandler.INSTANCE;
            }

            public CompletableFuture<Integer> activate() {
                return CompletableFuture.failedFuture(new IllegalStateException("bug"));
            }

            public Disposition checkSense(io.mpathgw.scsi.Sense s) {
                return Disposition.NOT_HANDLED;
            }

            public boolean admits() {
                return true;
            }

            public AccessState accessState() {
                return AccessState.NONE;
            }

            public void detach() {
            }
        };
        a.bind("p1", failing);
        io.mpathgw.dm.engine.Path p1 = pathNamed("p1");
        a.activate(p1, codes::add);
        a.unbind("p1");
        a.activate(p1, codes::add);
        assertThat(codes).containsExactly(ScsiDh.IO, ScsiDh.NOSYS);
    }

    /** An engine Path by name, taken from a map (Path has no public constructor). */
    io.mpathgw.dm.engine.Path pathNamed(String name) {
        try {
            MultipathTable t = MultipathTable.parse("0 0 1 1 round-robin 0 1 0 " + name);
            MultipathDevice m = MultipathDevice.builder("x", 8, t).thread(clock.mapThread())
                    .pathIo((p, r, d) -> d.accept(BlkStatus.OK)).log(l -> { }).build();
            return m.groups().get(0).paths().get(0);
        } catch (TableException e) {
            throw new AssertionError(e);
        }
    }
}
