package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.mpathgw.dm.handler.Pages.SUPPORTS_TUSNA;
import static io.mpathgw.dm.handler.Pages.group;
import static io.mpathgw.dm.handler.Pages.rtpg;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.check;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.fail;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;
import static io.mpathgw.scsi.AluaState.ACTIVE_NON_OPTIMIZED;
import static io.mpathgw.scsi.AluaState.ACTIVE_OPTIMIZED;
import static io.mpathgw.scsi.AluaState.LBA_DEPENDENT;
import static io.mpathgw.scsi.AluaState.OFFLINE;
import static io.mpathgw.scsi.AluaState.STANDBY;
import static io.mpathgw.scsi.AluaState.TRANSITIONING;
import static io.mpathgw.scsi.AluaState.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

/** scsi_dh_alua against canned answers (spec §6.1, §9 item 9). */
class AluaHandlerTest {

    static final byte[] RTPG_EXT = Cdb.reportTargetPortGroups(true, 128);
    static final byte[] RTPG = Cdb.reportTargetPortGroups(false, 128);
    static final byte[] INQUIRY = Cdb.inquiry(36);
    static final byte[] VPD83 = Cdb.inquiryVpd(0x83, 255);
    static final byte[] TUR = Cdb.testUnitReady();
    /** STPG of group 0x0102 to active/optimized: the CDB and its 8-byte parameter list (spec §6.1). */
    static final String STPG_CDB = "a40a00000000000000080000";
    static final String STPG_DATA = "0000000000000102";
    static final int OWN = 0x0102;
    static final int OTHER = 0x0207;

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final HandlerContext ctx = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);

    /** The first RTPG of an attach: own group active/non-optimized, the other active/optimized. */
    static byte[] answer(AluaState own, AluaState other) {
        return rtpg(true, 0, group(OWN, own, false, SUPPORTS_TUSNA, 1, 2), group(OTHER, other, true, SUPPORTS_TUSNA, 3));
    }

    ScriptedTransport path(String name) {
        return new ScriptedTransport(name, clock);
    }

    /** Scripts INQUIRY and VPD 0x83, attaches, lets the initial RTPG run with {@code initial}; the path is ready. */
    AluaPath attached(ScriptedTransport t, int tpgs, int groupId, List<String> params, byte[] initial) {
        t.expect(INQUIRY, good(Pages.inquiry(tpgs))).expect(VPD83, good(Pages.vpd83(Pages.NAA, groupId, 5)));
        if (initial != null) t.expect(RTPG_EXT, good(initial));
        CompletableFuture<AttachedHandler> f = AluaHandler.INSTANCE.attach(t, params, ctx);
        assertThat(f).isCompleted();
        clock.advance(10);
        t.assertScriptDone();
        return (AluaPath) f.join();
    }

    AluaPath attached(ScriptedTransport t, int tpgs, AluaState own) {
        return attached(t, tpgs, OWN, List.of(), answer(own, ACTIVE_OPTIMIZED));
    }

    int activate(AttachedHandler p) {
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 600_000);
        assertThat(f).as("activation completes").isDone();
        return f.join();
    }

    // --- attach

    @Test
    void attachReadsTpgsAndTheGroupThenQueuesAnRtpgFiveMillisecondsLater() {
        ScriptedTransport t = path("sdb");
        t.expect(INQUIRY, good(Pages.inquiry(InquiryData.TPGS_BOTH)))
                .expect(VPD83, good(Pages.vpd83(Pages.NAA, OWN, 5)))
                .expect(RTPG_EXT, good(answer(ACTIVE_NON_OPTIMIZED, ACTIVE_OPTIMIZED)));
        AluaPath p = (AluaPath) AluaHandler.INSTANCE.attach(t, List.of(), ctx).join();
        assertThat(t.cdbs()).hasSize(2);
        clock.advance(4);
        assertThat(t.cdbs()).hasSize(2);
        clock.advance(1);
        t.assertScriptDone();
        assertThat(p.groupId()).isEqualTo(OWN);
        assertThat(p.relPort).isEqualTo(5);
        assertThat(p.accessState()).isEqualTo(AccessState.of(ACTIVE_NON_OPTIMIZED, false));
        assertThat(log).containsExactly(
                "sdb: alua: supports implicit and explicit TPGS",
                "sdb: alua: device 3" + Pages.NAA + " port group 102 rel port 5",
                "sdb: alua: transition timeout set to 60 seconds",
                "sdb: alua: port group 102 state N non-preferred supports TolUSNA");
    }

    @Test
    void noTpgsMeansNoAlua() {
        ScriptedTransport t = path("sdb").expect(INQUIRY, good(Pages.inquiry(InquiryData.TPGS_NONE)));
        assertAttachFails(t, ScsiDh.DEV_UNSUPP);
        assertThat(log).containsExactly("sdb: alua: not supported");
    }

    @Test
    void notADiskMeansNoAlua() {
        ScriptedTransport t = path("sdb").expect(INQUIRY,
                good(Pages.inquiry(InquiryData.TYPE_ARRAY_CONTROLLER, 3, "MPATHGW", "CTRL")));
        assertAttachFails(t, ScsiDh.DEV_UNSUPP);
        assertThat(log).containsExactly("sdb: alua: disable for non-disk devices");
    }

    @Test
    void noTargetPortGroupDesignatorMeansNoAlua() {
        ScriptedTransport t = path("sdb").expect(INQUIRY, good(Pages.inquiry(InquiryData.TPGS_EXPLICIT)))
                .expect(VPD83, good(Pages.vpd83(Pages.NAA, -1, 5)));
        assertAttachFails(t, ScsiDh.DEV_UNSUPP);
        assertThat(log).contains("sdb: alua: No target port descriptors found");
    }

    @Test
    void transportErrorsDuringAttachAreIoErrors() {
        assertAttachFails(path("sdb").expect(INQUIRY, fail(TransportException.Kind.TIMEOUT)), ScsiDh.IO);
        assertAttachFails(path("sdc").expect(INQUIRY, good(Pages.inquiry(3)))
                .expect(VPD83, fail(TransportException.Kind.CONNECTION_LOST)), ScsiDh.IO);
        assertAttachFails(path("sdd").expect(INQUIRY, good(Pages.inquiry(3)))
                .expect(VPD83, check(Sense.INVALID_FIELD_IN_CDB)), ScsiDh.IO);
    }

    void assertAttachFails(ScriptedTransport t, int code) {
        CompletableFuture<AttachedHandler> f = AluaHandler.INSTANCE.attach(t, List.of(), ctx);
        clock.advance(100);
        assertThat(f).isCompletedExceptionally();
        Throwable e = f.handle((v, x) -> x instanceof CompletionException ? x.getCause() : x).join();
        assertThat(e).isInstanceOf(HandlerException.class);
        assertThat(((HandlerException) e).scsiDh()).as(e.getMessage()).isEqualTo(code);
        t.assertScriptDone();
    }

    // --- RTPG

    @Test
    void activeOptimizedNeedsNoStpg() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void arrayRefusingTheExtendedHeaderIsAskedAgainWithoutItAndNeverWithItAgain() {
        ScriptedTransport t = path("sdb");
        byte[] plain = rtpg(false, 0, group(OWN, ACTIVE_OPTIMIZED, true, SUPPORTS_TUSNA, 1));
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, OWN, List.of(), answer(ACTIVE_OPTIMIZED, STANDBY));
        t.expect(RTPG_EXT, check(Sense.INVALID_FIELD_IN_CDB)).expect(RTPG, good(plain));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.expect(RTPG, good(plain));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(p.accessState()).isEqualTo(AccessState.of(ACTIVE_OPTIMIZED, true));
    }

    @Test
    void illegalRequestWithAsc00AlsoDropsTheExtendedHeader() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, check(Sense.ILLEGAL_REQUEST, 0x00, 0x00))
                .expect(RTPG, good(rtpg(false, 0, group(OWN, ACTIVE_OPTIMIZED, false, SUPPORTS_TUSNA))));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void illegalRequestWithoutTheExtendedHeaderIsAnIoError() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, check(Sense.INVALID_FIELD_IN_CDB)).expect(RTPG, check(Sense.INVALID_FIELD_IN_CDB));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.assertScriptDone();
    }

    @Test
    void aLongAnswerIsAskedForAgainWithItsWholeLength() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        Integer[] ports = new Integer[40];
        for (int i = 0; i < ports.length; i++) ports[i] = i + 1;
        byte[] big = rtpg(true, 0, group(OWN, ACTIVE_OPTIMIZED, false, SUPPORTS_TUSNA, ports));
        assertThat(big.length).isEqualTo(8 + 8 + 160);
        t.expect(RTPG_EXT, good(java.util.Arrays.copyOf(big, 128)))
                .expect(Cdb.reportTargetPortGroups(true, big.length), good(big));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    // --- STPG: only when needed, byte for byte

    @Test
    void standbyWithExplicitAluaSendsStpgForItsOwnGroupThenReadsTheStateAgain() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, STANDBY);
        t.expect(RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED)))
                .expect(Cdb.setTargetPortGroups(8), good())
                .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        ScriptedTransport.Sent stpg = t.sent().get(t.sent().size() - 2);
        assertThat(stpg.cdbHex()).isEqualTo(STPG_CDB);
        assertThat(stpg.dataHex()).isEqualTo(STPG_DATA);
        assertThat(stpg.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.accessState()).isEqualTo(AccessState.of(ACTIVE_OPTIMIZED, false));
    }

    @Test
    void nonOptimizedAndUnavailableAreSwitchedToo() {
        for (AluaState s : List.of(ACTIVE_NON_OPTIMIZED, UNAVAILABLE)) {
            ScriptedTransport t = path("sd-" + s.letter());
            AluaPath p = attached(t, InquiryData.TPGS_EXPLICIT, s);
            t.expect(RTPG_EXT, good(answer(s, ACTIVE_OPTIMIZED))).expect(Cdb.setTargetPortGroups(8), good())
                    .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
            assertThat(activate(p)).as(s.kernelName()).isEqualTo(ScsiDh.OK);
            t.assertScriptDone();
        }
    }

    @Test
    void implicitOnlyNeverSendsStpgAndAStandbyGroupStaysUsableForTheEngine() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_IMPLICIT, STANDBY);
        // alua_stpg answers RETRY without a command, so the state is read once more, at once
        t.expect(2, RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED)));
        long start = clock.millis();
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(clock.millis() - start).isLessThan(20);
        assertThat(p.admits()).as("alua_prep_fn refuses I/O in standby").isFalse();
    }

    @Test
    void optimizeStpgKeepsANonPreferredNonOptimizedGroupWhenTheArrayAlsoSwitchesImplicitly() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, OWN, List.of("1"), answer(ACTIVE_NON_OPTIMIZED, ACTIVE_OPTIMIZED));
        t.expect(RTPG_EXT, good(answer(ACTIVE_NON_OPTIMIZED, ACTIVE_OPTIMIZED)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(p.admits()).isTrue();
    }

    @Test
    void optimizeStpgStillSwitchesAPreferredGroup() {
        ScriptedTransport t = path("sdb");
        byte[] preferredNonOptimized = rtpg(true, 0, group(OWN, ACTIVE_NON_OPTIMIZED, true, SUPPORTS_TUSNA, 1));
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, OWN, List.of("1"), preferredNonOptimized);
        t.expect(RTPG_EXT, good(preferredNonOptimized)).expect(Cdb.setTargetPortGroups(8), good())
                .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void theOptimizeSettingIsTheModuleParameterUntilATableSaysOtherwise() {
        HandlerContext optimizing = new HandlerContext(clock, HandlerSettings.KERNEL.withAluaOptimizeStpg(true),
                log::add);
        ScriptedTransport t = path("sdb");
        t.expect(INQUIRY, good(Pages.inquiry(3))).expect(VPD83, good(Pages.vpd83(Pages.NAA, OWN, 5)))
                .expect(RTPG_EXT, good(answer(ACTIVE_NON_OPTIMIZED, ACTIVE_OPTIMIZED)));
        AttachedHandler p = AluaHandler.INSTANCE.attach(t, List.of(), optimizing).join();
        clock.advance(10);
        t.expect(RTPG_EXT, good(answer(ACTIVE_NON_OPTIMIZED, ACTIVE_OPTIMIZED)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void stpgIsFollowedByRtpgWhateverItsOutcome() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, STANDBY);
        t.expect(RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED)))
                .expect(Cdb.setTargetPortGroups(8), check(Sense.INVALID_FIELD_IN_PARAMETER_LIST))
                .expect(RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED)));
        assertThat(activate(p)).as("the state read after STPG decides: standby is OK").isEqualTo(ScsiDh.OK);
        t.expect(RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED)))
                .expect(Cdb.setTargetPortGroups(8), fail(TransportException.Kind.TIMEOUT))
                .expect(RTPG_EXT, good(answer(OFFLINE, ACTIVE_OPTIMIZED)));
        assertThat(activate(p)).isEqualTo(ScsiDh.DEV_OFFLINED);
        t.assertScriptDone();
        assertThat(log).contains("sdb: alua: stpg failed ILLEGAL REQUEST 26/00", "sdb: alua: stpg failed, result TIMEOUT");
    }

    @Test
    void offlineIsDevOfflinedAndNoStpgIsSent() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, good(answer(OFFLINE, ACTIVE_OPTIMIZED)));
        assertThat(activate(p)).isEqualTo(ScsiDh.DEV_OFFLINED);
        t.assertScriptDone();
        assertThat(p.admits()).isFalse();
    }

    @Test
    void lbaDependentIsAStateStpgDoesNotHandle() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, good(answer(LBA_DEPENDENT, ACTIVE_OPTIMIZED)));
        assertThat(activate(p)).isEqualTo(ScsiDh.NOSYS);
        t.assertScriptDone();
        assertThat(log).contains("sdb: alua: stpg failed, unhandled TPGS state 4");
    }

    // --- transitioning within and past the deadline

    @Test
    void transitioningIsRetriedTwoSecondsApartWithTestUnitReadyUntilActive() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, good(answer(TRANSITIONING, STANDBY)))
                .expect(TUR, check(Sense.NOT_READY_TRANSITIONING))
                .expect(TUR, good())
                .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        long start = clock.millis();
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 60_000);
        assertThat(f).isCompletedWithValue(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(clock.millis() - start).isBetween(4_000L, 4_010L);
        assertThat(p.admits()).isTrue();
    }

    @Test
    void transitioningPastTheArraysTransitionTimeEndsInStandbyAndAnIoError() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        byte[] transitioning = rtpg(true, 7, group(OWN, TRANSITIONING, false, SUPPORTS_TUSNA, 1));
        t.responder(s -> s.cdb()[0] == 0 ? check(Sense.NOT_READY_TRANSITIONING) : good(transitioning));
        long start = clock.millis();
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 600_000);
        assertThat(f).isCompletedWithValue(ScsiDh.IO);
        t.assertScriptDone();
        long took = clock.millis() - start;
        assertThat(took).as("7 s implicit transition time, 2 s retry delay").isBetween(7_000L, 9_010L);
        assertThat(p.accessState()).isEqualTo(AccessState.of(STANDBY, false));
        assertThat(p.admits()).isFalse();
        assertThat(log).contains("sdb: alua: transition timeout set to 7 seconds");
    }

    @Test
    void theDefaultTransitionBudgetIsConfigurable() {
        HandlerContext quick = new HandlerContext(clock,
                HandlerSettings.KERNEL.withAluaFailoverTimeout(Duration.ofSeconds(5))
                        .withAluaRetryDelay(Duration.ofMillis(500)), log::add);
        ScriptedTransport t = path("sdb");
        t.expect(INQUIRY, good(Pages.inquiry(3))).expect(VPD83, good(Pages.vpd83(Pages.NAA, OWN, 5)));
        t.responder(s -> good(rtpg(false, 0, group(OWN, TRANSITIONING, false, SUPPORTS_TUSNA, 1))));
        AttachedHandler p = AluaHandler.INSTANCE.attach(t, List.of(), quick).join();
        long start = clock.millis();
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 600_000);
        assertThat(f).isCompletedWithValue(ScsiDh.IO);
        assertThat(clock.millis() - start).isBetween(5_000L, 5_600L);
        assertThat(t.cdbs()).as("TUR answers GOOD, so each round asks RTPG").contains("00".repeat(6));
    }

    @Test
    void notReadyTransitioningOnRtpgMeansTransitioningWithoutData() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, check(Sense.NOT_READY_TRANSITIONING))
                .expect(TUR, good())
                .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    @Test
    void aUnitAttentionOnRtpgIsRetriedAfterTheDelay() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, check(Sense.POWER_ON_RESET)).expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        long start = clock.millis();
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(clock.millis() - start).isBetween(2_000L, 2_010L);
    }

    @Test
    void otherSenseOnRtpgIsAnIoError() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, check(Sense.INTERNAL_TARGET_FAILURE));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.assertScriptDone();
        assertThat(log).contains("sdb: alua: rtpg failed HARDWARE ERROR 44/00");
    }

    @Test
    void aGroupThatSupportsOnlyActiveOptimizedIgnoresRtpgErrors() {
        ScriptedTransport t = path("sdb");
        byte[] aOnly = rtpg(true, 0, group(OWN, ACTIVE_OPTIMIZED, false, 0x01, 1));
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, OWN, List.of(), aOnly);
        t.expect(RTPG_EXT, check(Sense.INTERNAL_TARGET_FAILURE));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(log).anyMatch(l -> l.startsWith("sdb: alua: ignoring rtpg result"));
    }

    // --- transport errors at each step

    @Test
    void noConnectionOnTheOnlyPathIsResTempUnavail() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, fail(TransportException.Kind.CONNECTION_LOST));
        assertThat(activate(p)).isEqualTo(ScsiDh.RES_TEMP_UNAVAIL);
        t.assertScriptDone();
        assertThat(log).contains("alua: 3" + Pages.NAA + ": no device found for rtpg");
    }

    @Test
    void noConnectionRetriesTheRtpgAtOnceThroughAnotherPathOfTheGroup() {
        ScriptedTransport a = path("sdb");
        ScriptedTransport b = path("sdc");
        AluaPath pa = attached(a, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        AluaPath pb = attached(b, InquiryData.TPGS_BOTH, OWN, List.of(), answer(ACTIVE_OPTIMIZED, STANDBY));
        assertThat(pb.group).as("same LUN, same group id: one port group").isSameAs(pa.group);
        a.expect(RTPG_EXT, fail(TransportException.Kind.CLOSED));
        b.expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        long start = clock.millis();
        assertThat(activate(pa)).isEqualTo(ScsiDh.OK);
        assertThat(clock.millis() - start).isLessThan(20);
        a.assertScriptDone();
        b.assertScriptDone();
        assertThat(log).contains("sdc: alua: rtpg retry on different device");
    }

    @Test
    void aTimeoutOrAnAbortOnRtpgIsAnIoError() {
        for (TransportException.Kind k : List.of(TransportException.Kind.TIMEOUT, TransportException.Kind.ABORTED,
                TransportException.Kind.PROTOCOL_ERROR)) {
            ScriptedTransport t = path("sd-" + k);
            AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
            t.expect(RTPG_EXT, fail(k));
            assertThat(activate(p)).as(k.name()).isEqualTo(ScsiDh.IO);
            t.assertScriptDone();
        }
    }

    @Test
    void aTransportThatNeverAnswersIsCutOffAfterTheCommandTimeout() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, ScriptedTransport.Reply.never());
        long start = clock.millis();
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        assertThat(clock.millis() - start).isBetween(61_000L, 61_010L);
        assertThat(t.last().timeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aLateAnswerAfterTheGuardIsReleasedAndIgnored() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, ScriptedTransport.Reply.after(70_000, good(answer(ACTIVE_OPTIMIZED, STANDBY))));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        clock.advance(20_000);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void aTransportErrorOnTurStillAsksRtpg() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        t.expect(RTPG_EXT, good(answer(TRANSITIONING, STANDBY)))
                .expect(TUR, fail(TransportException.Kind.CONNECTION_LOST))
                .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
    }

    // --- shared port groups

    @Test
    void activationsOfTwoPathsInOneGroupShareOneRun() {
        ScriptedTransport a = path("sdb");
        ScriptedTransport b = path("sdc");
        AluaPath pa = attached(a, InquiryData.TPGS_BOTH, STANDBY);
        AluaPath pb = attached(b, InquiryData.TPGS_BOTH, OWN, List.of(), answer(STANDBY, ACTIVE_OPTIMIZED));
        a.expect(RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED))).expect(Cdb.setTargetPortGroups(8), good())
                .expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, STANDBY)));
        CompletableFuture<Integer> fa = pa.activate();
        CompletableFuture<Integer> fb = pb.activate();
        clock.runUntil(() -> fa.isDone() && fb.isDone(), 10_000);
        assertThat(fa).isCompletedWithValue(ScsiDh.OK);
        assertThat(fb).isCompletedWithValue(ScsiDh.OK);
        a.assertScriptDone();
        assertThat(b.sent()).as("INQUIRY, VPD 0x83, its attach RTPG; nothing for the activation").hasSize(3);
        assertThat(pb.accessState()).isEqualTo(AccessState.of(ACTIVE_OPTIMIZED, false));
    }

    @Test
    void anRtpgAnswerUpdatesTheOtherKnownGroupsOfTheLun() {
        ScriptedTransport a = path("sdb");
        ScriptedTransport b = path("sdc");
        AluaPath pa = attached(a, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        AluaPath pb = attached(b, InquiryData.TPGS_BOTH, OTHER, List.of(), answer(ACTIVE_OPTIMIZED, STANDBY));
        assertThat(pb.accessState()).isEqualTo(AccessState.of(STANDBY, true));
        a.expect(RTPG_EXT, good(answer(ACTIVE_OPTIMIZED, ACTIVE_NON_OPTIMIZED)));
        assertThat(activate(pa)).isEqualTo(ScsiDh.OK);
        a.assertScriptDone();
        assertThat(pb.accessState()).isEqualTo(AccessState.of(ACTIVE_NON_OPTIMIZED, true));
    }

    @Test
    void aDetachedPathCannotBeActivated() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        p.detach();
        assertThat(activate(p)).isEqualTo(ScsiDh.DEV_OFFLINED);
    }

    @Test
    void anActivationQueuedWhenTheLastPathLeavesIsAnsweredDevOfflined() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        CompletableFuture<Integer> f = p.activate();
        p.detach();
        clock.advance(10);
        assertThat(f).isCompletedWithValue(ScsiDh.DEV_OFFLINED);
        t.assertScriptDone();
    }

    @Test
    void attachFailuresAreHandlerExceptionsThemselves() {
        ScriptedTransport t = path("sdb").expect(INQUIRY, good(Pages.inquiry(InquiryData.TPGS_NONE)));
        CompletableFuture<AttachedHandler> f = AluaHandler.INSTANCE.attach(t, List.of(), ctx);
        assertThat(f.handle((v, x) -> x).join()).isInstanceOf(HandlerException.class)
                .hasMessage("sdb: alua: not supported (SCSI_DH_DEV_UNSUPP)");
    }

    // --- check_sense side effects

    @Test
    void transitioningSenseMarksTheGroupAndQueuesAnRtpg() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        assertThat(p.checkSense(Sense.NOT_READY_TRANSITIONING)).isEqualTo(Disposition.NEEDS_RETRY);
        assertThat(p.accessState().state()).contains(TRANSITIONING);
        assertThat(p.admits()).as("I/O keeps flowing while transitioning").isTrue();
        t.expect(TUR, good()).expect(RTPG_EXT, good(answer(ACTIVE_NON_OPTIMIZED, ACTIVE_OPTIMIZED)));
        clock.advance(10);
        t.assertScriptDone();
        assertThat(p.accessState().state()).contains(ACTIVE_NON_OPTIMIZED);
    }

    @Test
    void stateChangedSenseForcesAnRtpg() {
        ScriptedTransport t = path("sdb");
        AluaPath p = attached(t, InquiryData.TPGS_BOTH, ACTIVE_OPTIMIZED);
        assertThat(p.checkSense(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED)).isEqualTo(Disposition.ADD_TO_MLQUEUE);
        t.expect(RTPG_EXT, good(answer(STANDBY, ACTIVE_OPTIMIZED)));
        clock.advance(10);
        t.assertScriptDone();
        assertThat(p.admits()).isFalse();
        assertThat(p.checkSense(Sense.MODE_PARAMETERS_CHANGED)).isEqualTo(Disposition.ADD_TO_MLQUEUE);
        clock.advance(10);
        assertThat(t.sent()).as("2A/01 only retries").hasSize(4);
    }
}
