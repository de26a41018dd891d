package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.mpathgw.dm.handler.ScriptedTransport.Reply.check;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.fail;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;
import static org.assertj.core.api.Assertions.assertThat;

/** scsi_dh_hp_sw against canned answers (spec §6.4, §9 item 9). */
class HpSwHandlerTest {

    static final byte[] TUR = Cdb.testUnitReady();
    static final byte[] START = Cdb.startStopUnit(false, 0, false, true);

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final HandlerContext ctx = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);

    HpSwPath attached(ScriptedTransport t, ScriptedTransport.Reply tur) {
        t.expect(TUR, tur);
        CompletableFuture<AttachedHandler> f = HpSwHandler.INSTANCE.attach(t, List.of(), ctx);
        t.assertScriptDone();
        return (HpSwPath) f.join();
    }

    int activate(AttachedHandler p) {
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 600_000);
        return f.join();
    }

    @Test
    void startStopUnitIsTheKernelsSixBytes() {
        assertThat(java.util.HexFormat.of().formatHex(START)).isEqualTo("1b0000000100");
    }

    @Test
    void anActivePathNeedsNothing() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        HpSwPath p = attached(t, good());
        assertThat(p.admits()).isTrue();
        t.expect(TUR, good());
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void aStandbyPathIsStartedWithStartStopUnit() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        HpSwPath p = attached(t, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED));
        assertThat(p.admits()).as("passive: hp_sw_prep_fn refuses I/O").isFalse();
        assertThat(p.accessState()).isEqualTo(AccessState.of(AluaState.STANDBY, false));
        t.expect(TUR, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED)).expect(START, good());
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(p.admits()).isTrue();
        assertThat(t.last().direction()).isEqualTo(io.mpathgw.scsi.DataDirection.NONE);
    }

    @Test
    void aSwitchOverInProgressIsRetriedThreeTimesThenRetryIsLeftToDm() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        HpSwPath p = attached(t, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED));
        t.expect(TUR, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED))
                .expect(4, START, check(Sense.NOT_READY_MANUAL_INTERVENTION));
        assertThat(activate(p)).isEqualTo(ScsiDh.RETRY);
        t.assertScriptDone();
        t.expect(TUR, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED))
                .expect(2, START, check(Sense.NOT_READY_MANUAL_INTERVENTION)).expect(START, good());
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void otherStartStopFailuresAreIoErrors() {
        for (ScriptedTransport.Reply r : List.of(check(Sense.INVALID_FIELD_IN_CDB), check(Sense.POWER_ON_RESET),
                fail(TransportException.Kind.TIMEOUT), fail(TransportException.Kind.CONNECTION_LOST))) {
            ScriptedTransport t = new ScriptedTransport("sdb", clock);
            HpSwPath p = attached(t, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED));
            t.expect(TUR, check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED)).expect(START, r);
            assertThat(activate(p)).isEqualTo(ScsiDh.IO);
            t.assertScriptDone();
            assertThat(p.admits()).isFalse();
        }
    }

    @Test
    void unitAttentionsOnTurAreRetriedByTheMidLayer() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        t.expect(3, TUR, check(Sense.POWER_ON_RESET)).expect(TUR, good());
        assertThat(HpSwHandler.INSTANCE.attach(t, List.of(), ctx).join().admits()).isTrue();
        t.assertScriptDone();
    }

    @Test
    void aTurThatKeepsAnsweringUnitAttentionStopsAtTheCap() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        t.responder(s -> check(Sense.POWER_ON_RESET));
        assertAttachFails(t, ScsiDh.IO);
        assertThat(t.sent()).hasSize(RetryRule.NO_LIMIT_CAP + 1);
    }

    @Test
    void theFirstTurMustWork() {
        assertAttachFails(new ScriptedTransport("sdb", clock).expect(TUR, check(Sense.NOT_READY_MANUAL_INTERVENTION)),
                ScsiDh.IO);
        assertAttachFails(new ScriptedTransport("sdc", clock).expect(TUR, fail(TransportException.Kind.CLOSED)),
                ScsiDh.IO);
        assertThat(log).contains("sdb: hp_sw: TEST UNIT READY failed with sense NOT READY 04/03",
                "sdc: hp_sw: sending tur failed: CLOSED");
    }

    @Test
    void aTurFailureDuringActivationIsTheResult() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        HpSwPath p = attached(t, good());
        t.expect(TUR, fail(TransportException.Kind.CONNECTION_LOST));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.assertScriptDone();
    }

    @Test
    void hpSwHasNoCheckSenseAndNoParameters() {
        HpSwPath p = attached(new ScriptedTransport("sdb", clock), good());
        assertThat(p.checkSense(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED)).isEqualTo(Disposition.NOT_HANDLED);
        assertThat(HpSwHandler.INSTANCE.attach(new ScriptedTransport("sdc", clock), List.of("0"), ctx))
                .isCompletedExceptionally();
    }

    void assertAttachFails(ScriptedTransport t, int code) {
        CompletableFuture<AttachedHandler> f = HpSwHandler.INSTANCE.attach(t, List.of(), ctx);
        assertThat(f).isCompletedExceptionally();
        Throwable e = f.handle((v, x) -> x instanceof CompletionException ? x.getCause() : x).join();
        assertThat(((HandlerException) e).scsiDh()).as(e.getMessage()).isEqualTo(code);
        t.assertScriptDone();
    }
}
