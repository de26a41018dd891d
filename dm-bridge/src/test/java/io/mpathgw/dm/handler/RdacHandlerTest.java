package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.mpathgw.dm.handler.Pages.AVT;
import static io.mpathgw.dm.handler.Pages.CVP_OWNED;
import static io.mpathgw.dm.handler.Pages.IOSHIP;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.check;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.fail;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;
import static org.assertj.core.api.Assertions.assertThat;

/** scsi_dh_rdac against canned answers (spec §6.2, §9 item 9). */
class RdacHandlerTest {

    static final byte[] C8 = Cdb.inquiryVpd(0xC8, 175);
    static final byte[] C4 = Cdb.inquiryVpd(0xC4, 32);
    static final byte[] C9 = Cdb.inquiryVpd(0xC9, 48);
    static final byte[] C2 = Cdb.inquiryVpd(0xC2, 255);
    static final byte[] MS6 = Cdb.modeSelect6(false, false, 110);
    static final byte[] MS10 = Cdb.modeSelect10(false, false, 308);
    static final String ARRAY = "600a0b80002f1a2b0000c0de4f5e6d7c";
    static final int UNOWNED = 0;

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final HandlerContext ctx = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);

    RdacPath attached(ScriptedTransport t, int lun, char slot, int c9, boolean preferred, int maxLun) {
        t.expect(C8, good(Pages.rdacC8(lun, ARRAY, "ARRAY-7"))).expect(C4, good(Pages.rdacC4(slot)))
                .expect(C9, good(Pages.rdacC9(c9, preferred))).expect(C2, good(Pages.rdacC2(maxLun)));
        CompletableFuture<AttachedHandler> f = RdacHandler.INSTANCE.attach(t, List.of(), ctx);
        t.assertScriptDone();
        return (RdacPath) f.join();
    }

    int activate(AttachedHandler p) {
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 600_000);
        assertThat(f).as("activation completes").isDone();
        return f.join();
    }

    /** The legacy page as spec §6.2 lays it out, written out independently of the handler's builder. */
    static String legacyPage(int... luns) {
        StringBuilder lunTable = new StringBuilder("00".repeat(32));
        for (int lun : luns) lunTable.replace(2 * lun, 2 * lun + 2, "81");
        return "00000000" + "2c68" + "00".repeat(32) + "0002" + "0000" + "14" + "02" + lunTable + "00".repeat(34);
    }

    static String expandedPage(int... luns) {
        StringBuilder lunTable = new StringBuilder("00".repeat(256));
        for (int lun : luns) lunTable.replace(2 * lun, 2 * lun + 2, "81");
        return "00".repeat(8) + "6c010128" + "00".repeat(32) + "0002" + "0000" + "14" + "02" + lunTable + "0000";
    }

    @Test
    void attachReadsTheVendorPagesInTheKernelsOrder() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', UNOWNED, false, 31);
        assertThat(t.cdbs()).containsExactly("1201c800af00", "1201c4002000", "1201c9003000", "1201c200ff00");
        assertThat(p.lun).isEqualTo(5);
        assertThat(p.controller.index).isZero();
        assertThat(p.controller.arrayId).isEqualTo(ARRAY);
        assertThat(p.controller.arrayName).isEqualTo("ARRAY-7");
        assertThat(p.controller.usesMs10()).isFalse();
        assertThat(p.accessState()).isEqualTo(AccessState.of(AluaState.STANDBY, false));
        assertThat(p.admits()).as("unowned in RDAC mode: passive").isFalse();
        assertThat(log).containsExactly("sdb: rdac: LUN 5 (RDAC) (unowned)");
    }

    @Test
    void pageC8MustBeEdid() {
        byte[] notEdid = Pages.rdacC8(5, ARRAY, "X");
        notEdid[7] = 'x';
        assertAttachFails(new ScriptedTransport("sdb", clock).expect(C8, good(notEdid)), ScsiDh.NOSYS);
        byte[] wrongCode = Pages.rdacC8(5, ARRAY, "X");
        wrongCode[1] = (byte) 0xC9;
        assertAttachFails(new ScriptedTransport("sdc", clock).expect(C8, good(wrongCode)), ScsiDh.NOSYS);
    }

    @Test
    void aFailedInquiryAtAnyStepFailsTheAttach() {
        assertAttachFails(new ScriptedTransport("sdb", clock).expect(C8, check(Sense.INVALID_FIELD_IN_CDB)),
                ScsiDh.IO);
        assertAttachFails(new ScriptedTransport("sdc", clock).expect(C8, good(Pages.rdacC8(1, ARRAY, "A")))
                .expect(C4, fail(TransportException.Kind.TIMEOUT)), ScsiDh.IO);
        assertAttachFails(new ScriptedTransport("sdd", clock).expect(C8, good(Pages.rdacC8(1, ARRAY, "A")))
                .expect(C4, good(Pages.rdacC4('1'))).expect(C9, fail(TransportException.Kind.CONNECTION_LOST)),
                ScsiDh.IO);
        assertAttachFails(new ScriptedTransport("sde", clock).expect(C8, good(Pages.rdacC8(1, ARRAY, "A")))
                .expect(C4, good(Pages.rdacC4('1'))).expect(C9, good(Pages.rdacC9(0, false)))
                .expect(C2, check(Sense.INVALID_FIELD_IN_CDB)), ScsiDh.IO);
    }

    void assertAttachFails(ScriptedTransport t, int code) {
        CompletableFuture<AttachedHandler> f = RdacHandler.INSTANCE.attach(t, List.of(), ctx);
        assertThat(f).isCompletedExceptionally();
        Throwable e = f.handle((v, x) -> x instanceof CompletionException ? x.getCause() : x).join();
        assertThat(((HandlerException) e).scsiDh()).as(e.getMessage()).isEqualTo(code);
        t.assertScriptDone();
    }

    @Test
    void anOwnedLunNeedsNoModeSelect() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', CVP_OWNED, true, 31);
        t.expect(C9, good(Pages.rdacC9(CVP_OWNED, true)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(p.accessState()).isEqualTo(AccessState.of(AluaState.ACTIVE_OPTIMIZED, true));
    }

    @Test
    void anUnownedLunMovesWithTheLegacy110ByteModeSelect() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', UNOWNED, false, 31);
        t.expect(C9, good(Pages.rdacC9(UNOWNED, false))).expect(MS6, good());
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(t.last().cdbHex()).isEqualTo("1500" + "0000" + "6e00");
        assertThat(t.last().dataOut()).hasSize(110);
        assertThat(t.last().dataHex()).isEqualTo(legacyPage(5));
        assertThat(p.admits()).isTrue();
        assertThat(log).contains("sdb: rdac: array ARRAY-7, ctlr 0, queueing MODE_SELECT command",
                "sdb: rdac: array ARRAY-7, ctlr 0, MODE_SELECT completed");
    }

    @Test
    void moreThan31LunsTakeTheExpanded308BytePageAndModeSelect10() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 200, '2', UNOWNED, false, 255);
        assertThat(p.controller.index).isEqualTo(1);
        t.expect(C9, good(Pages.rdacC9(UNOWNED, false))).expect(MS10, good());
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(t.last().cdbHex()).isEqualTo("55000000000000013400");
        assertThat(t.last().dataOut()).hasSize(308);
        assertThat(t.last().dataHex()).isEqualTo(expandedPage(200));
    }

    @Test
    void lunsQueuedForOneControllerShareOneModeSelect() {
        ScriptedTransport a = new ScriptedTransport("sdb", clock);
        ScriptedTransport b = new ScriptedTransport("sdc", clock);
        RdacPath pa = attached(a, 3, '1', UNOWNED, false, 31);
        RdacPath pb = attached(b, 9, '1', UNOWNED, false, 31);
        assertThat(pb.controller).isSameAs(pa.controller);
        a.expect(C9, good(Pages.rdacC9(UNOWNED, false))).expect(MS6, good());
        b.expect(C9, good(Pages.rdacC9(UNOWNED, false)));
        CompletableFuture<Integer> fa = pa.activate();
        CompletableFuture<Integer> fb = pb.activate();
        clock.runUntil(() -> fa.isDone() && fb.isDone(), 1_000);
        assertThat(fa).isCompletedWithValue(ScsiDh.OK);
        assertThat(fb).isCompletedWithValue(ScsiDh.OK);
        a.assertScriptDone();
        b.assertScriptDone();
        assertThat(a.last().dataHex()).isEqualTo(legacyPage(3, 9));
        assertThat(pb.admits()).isTrue();
    }

    @Test
    void avtModeNeverMovesAndIoshipMovesOnlyToThePreferredController() {
        ScriptedTransport avt = new ScriptedTransport("sdb", clock);
        RdacPath pAvt = attached(avt, 1, '1', AVT, true, 31);
        avt.expect(C9, good(Pages.rdacC9(AVT, true)));
        assertThat(activate(pAvt)).isEqualTo(ScsiDh.OK);
        avt.assertScriptDone();
        assertThat(pAvt.accessState()).isEqualTo(AccessState.of(AluaState.ACTIVE_NON_OPTIMIZED, true));
        assertThat(pAvt.admits()).isTrue();

        ScriptedTransport notPreferred = new ScriptedTransport("sdc", clock);
        RdacPath pNp = attached(notPreferred, 2, '1', IOSHIP | AVT, false, 31);
        notPreferred.expect(C9, good(Pages.rdacC9(IOSHIP | AVT, false)));
        assertThat(activate(pNp)).isEqualTo(ScsiDh.OK);
        notPreferred.assertScriptDone();

        ScriptedTransport preferred = new ScriptedTransport("sdd", clock);
        RdacPath pP = attached(preferred, 3, '2', IOSHIP, true, 31);
        preferred.expect(C9, good(Pages.rdacC9(IOSHIP, true))).expect(MS6, good());
        assertThat(activate(pP)).isEqualTo(ScsiDh.OK);
        preferred.assertScriptDone();
        assertThat(preferred.last().dataHex()).isEqualTo(legacyPage(3));
    }

    @Test
    void theModeSelectIsRetriedForTheListedConditionsUpToFiveTimes() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', UNOWNED, false, 31);
        t.expect(C9, good(Pages.rdacC9(UNOWNED, false)))
                .expect(MS6, check(Sense.POWER_ON_RESET))
                .expect(MS6, check(Sense.ILLEGAL_REQUEST, 0x91, 0x36))
                .expect(MS6, check(Sense.NOT_READY_BECOMING_READY))
                .expect(MS6, check(Sense.ABORTED_COMMAND, 0x47, 0x00))
                .expect(MS6, check(Sense.NO_SENSE, 0x00, 0x00))
                .expect(MS6, good());
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void aSixthFailureIsAnIoError() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', UNOWNED, false, 31);
        t.expect(C9, good(Pages.rdacC9(UNOWNED, false))).expect(6, MS6, check(Sense.ILLEGAL_REQUEST, 0x91, 0x36));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.assertScriptDone();
        assertThat(p.admits()).isFalse();
        assertThat(log).contains("sdb: rdac: array ARRAY-7, ctlr 0, MODE_SELECT returned with sense 05/91/36");
    }

    @Test
    void otherFailuresOfTheModeSelectAreIoErrorsAtOnce() {
        for (ScriptedTransport.Reply r : List.of(check(Sense.NOT_READY_INITIALIZING_COMMAND_REQUIRED),
                check(Sense.INVALID_FIELD_IN_PARAMETER_LIST), ScriptedTransport.Reply.status(ScsiResponse.BUSY),
                fail(TransportException.Kind.CONNECTION_LOST), fail(TransportException.Kind.TIMEOUT))) {
            HandlerContext own = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);
            ScriptedTransport t = new ScriptedTransport("sdb", clock);
            t.expect(C8, good(Pages.rdacC8(5, ARRAY, "A"))).expect(C4, good(Pages.rdacC4('1')))
                    .expect(C9, good(Pages.rdacC9(UNOWNED, false))).expect(C2, good(Pages.rdacC2(31)));
            AttachedHandler p = RdacHandler.INSTANCE.attach(t, List.of(), own).join();
            t.expect(C9, good(Pages.rdacC9(UNOWNED, false))).expect(MS6, r);
            assertThat(activate(p)).isEqualTo(ScsiDh.IO);
            t.assertScriptDone();
        }
    }

    @Test
    void aFailedOwnershipCheckDuringActivationIsAnIoError() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', CVP_OWNED, false, 31);
        t.expect(C9, fail(TransportException.Kind.CONNECTION_LOST));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.assertScriptDone();
    }

    @Test
    void aFailedOwnershipCheckLeavesAPassivePathActiveAsTheKernelDoes() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', UNOWNED, false, 31);
        assertThat(p.admits()).isFalse();
        t.expect(C9, check(Sense.INVALID_FIELD_IN_CDB));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        assertThat(p.admits()).isTrue();
    }

    @Test
    void aLunBeyondTheLegacyTableIsRefusedInsteadOfWrittenPastIt() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 40, '1', UNOWNED, false, 31);
        t.expect(C9, good(Pages.rdacC9(UNOWNED, false)));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.assertScriptDone();
    }

    @Test
    void notTheOwnerOnIoMakesThePathPassive() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        RdacPath p = attached(t, 5, '1', CVP_OWNED, false, 31);
        assertThat(p.admits()).isTrue();
        assertThat(p.checkSense(Sense.of(Sense.ILLEGAL_REQUEST, 0x94, 0x01))).isEqualTo(Disposition.SUCCESS);
        assertThat(p.admits()).isFalse();
    }

    @Test
    void rdacTakesNoTableParameters() {
        CompletableFuture<AttachedHandler> f = RdacHandler.INSTANCE.attach(new ScriptedTransport("sdb", clock),
                List.of("1"), ctx);
        assertThat(f).isCompletedExceptionally();
    }
}
