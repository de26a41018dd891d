package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.mpathgw.dm.handler.Pages.LUN_BOUND;
import static io.mpathgw.dm.handler.Pages.LUN_OWNED;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.check;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.fail;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;
import static org.assertj.core.api.Assertions.assertThat;

/** scsi_dh_emc against canned answers (spec §6.3, §9 item 9). */
class EmcHandlerTest {

    static final byte[] INQUIRY = Cdb.inquiry(255);
    static final byte[] C0 = Cdb.inquiryVpd(0xC0, 252);
    static final int SP_A = 0;
    static final int SP_B = 1;
    static final int PNR = 4;
    static final int ALUA_MODE = 6;

    /** Long trespass: MODE SELECT(10) of 19 bytes; short: MODE SELECT(6) PF of 8 bytes (spec §6.3). */
    static final String LONG_CDB = "55000000000000001300";
    static final String SHORT_CDB = "151000000800";

    final VirtualScheduler clock = new VirtualScheduler();
    final List<String> log = new ArrayList<>();
    final HandlerContext ctx = new HandlerContext(clock, HandlerSettings.KERNEL, log::add);

    EmcPath attached(ScriptedTransport t, byte[] inquiry, byte[] c0, List<String> params) {
        t.expect(INQUIRY, good(inquiry)).expect(C0, good(c0));
        CompletableFuture<AttachedHandler> f = EmcHandler.INSTANCE.attach(t, params, ctx);
        assertThat(f).isCompleted();
        return (EmcPath) f.join();
    }

    EmcPath cx(ScriptedTransport t, int lunState, List<String> params) {
        return attached(t, Pages.emcInquiry("APM00112233", "CX4-480"), Pages.emcC0(lunState, SP_A, SP_B, PNR, false),
                params);
    }

    int activate(AttachedHandler p) {
        CompletableFuture<Integer> f = p.activate();
        clock.runUntil(f::isDone, 600_000);
        return f.join();
    }

    @Test
    void attachReadsTheModelAndTheSpState() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        EmcPath p = cx(t, LUN_BOUND, List.of());
        t.assertScriptDone();
        assertThat(p.shortTrespass()).isFalse();
        assertThat(p.admits()).isFalse();
        assertThat(p.accessState()).isEqualTo(AccessState.of(AluaState.STANDBY, false));
        assertThat(log).containsExactly("sdb: emc: detected Clariion CX4-480, flags 0",
                "sdb: emc: connected to SP B Port 3 (bound, default SP A)");
    }

    @Test
    void anOwnedLunIsActiveAtOnce() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        EmcPath p = attached(t, Pages.emcInquiry("APM00112233", "CX4-480"),
                Pages.emcC0(LUN_OWNED, SP_B, SP_B, PNR, false), List.of());
        t.expect(C0, good(Pages.emcC0(LUN_OWNED, SP_B, SP_B, PNR, false)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        assertThat(p.accessState()).isEqualTo(AccessState.of(AluaState.ACTIVE_OPTIMIZED, true));
        assertThat(p.admits()).isTrue();
    }

    /** Table {@code 3 emc <st> <hr>} and the trespass bytes it produces; without parameters: long, 0x81. */
    @ParameterizedTest(name = "params [{0}]: {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "   |" + LONG_CDB + "|00000000000000002209" + "81ffff000000000000",
        "0 0|" + LONG_CDB + "|00000000000000002209" + "81ffff000000000000",
        "0 1|" + LONG_CDB + "|00000000000000002209" + "01ffff000000000000",
        "1 0|" + SHORT_CDB + "|000000002202" + "81ff",
        "1 1|" + SHORT_CDB + "|000000002202" + "01ff"})
    void trespassesAnUnownedLunWithTheTablesFlags(String params, String cdb, String data) {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        List<String> words = params == null ? List.of() : List.of(params.split(" "));
        EmcPath p = cx(t, LUN_BOUND, words);
        t.expect(C0, good(Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false)))
                .expect(java.util.HexFormat.of().parseHex(cdb), good())
                .expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, false)));
        assertThat(activate(p)).isEqualTo(ScsiDh.OK);
        t.assertScriptDone();
        ScriptedTransport.Sent trespass = t.sent().get(t.sent().size() - 2);
        assertThat(trespass.dataHex()).isEqualTo(data);
        assertThat(trespass.dataOut()).hasSize(data.length() / 2);
        assertThat(p.admits()).isTrue();
        assertThat(log).contains("sdb: emc: " + (cdb.equals(SHORT_CDB) ? "short" : "long") + " trespass command sent",
                "sdb: emc: at SP A Port 3 (owned, default SP A)");
    }

    @Test
    void honorReservationsSetAfterAPathWithoutItStillSendsTheBitClear() {
        // [Q] the kernel's page templates are static and keep 0x80 once any path set it; mpathgw does not copy that
        ScriptedTransport a = new ScriptedTransport("sdb", clock);
        EmcPath pa = cx(a, LUN_BOUND, List.of("0", "0"));
        a.expect(C0, good(Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false))).expect(Cdb.modeSelect10(false, false, 19),
                good()).expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, false)));
        assertThat(activate(pa)).isEqualTo(ScsiDh.OK);
        ScriptedTransport b = new ScriptedTransport("sdc", clock);
        EmcPath pb = cx(b, LUN_BOUND, List.of("0", "1"));
        b.expect(C0, good(Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false))).expect(Cdb.modeSelect10(false, false, 19),
                good()).expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, false)));
        assertThat(activate(pb)).isEqualTo(ScsiDh.OK);
        assertThat(b.sent().get(b.sent().size() - 2).dataOut()[10]).isEqualTo((byte) 0x01);
    }

    @Test
    void fcSeriesModelsAndNamelessModelsTakeTheShortTrespass() {
        EmcPath fc = attached(new ScriptedTransport("sdb", clock), Pages.emcInquiry("F20001", "FC4700"),
                Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false), List.of());
        assertThat(fc.shortTrespass()).isTrue();
        EmcPath legacy = attached(new ScriptedTransport("sdc", clock), Pages.shortInquiry("DGC"),
                Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false), List.of());
        assertThat(legacy.shortTrespass()).isTrue();
        assertThat(log).contains("sdc: emc: Invalid information section length 36",
                "sdc: emc: detected Clariion FC (Legacy), flags 1");
    }

    @Test
    void aShortInquiryFromAnotherVendorIsNotAClariion() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock).expect(INQUIRY, good(Pages.shortInquiry("NETAPP")));
        assertAttachFails(t, ScsiDh.DEV_UNSUPP);
    }

    @Test
    void pageC0DecidesWhetherTheDeviceCanBeDriven() {
        assertAttachFails(c0Answer("sdb", Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, true)), ScsiDh.DEV_TEMP_BUSY);
        assertAttachFails(c0Answer("sdc", Pages.emcC0(3, SP_A, SP_A, PNR, false)), ScsiDh.NOSYS);
        assertAttachFails(c0Answer("sdd", Pages.emcC0(LUN_OWNED, SP_A, SP_A, 1, false)), ScsiDh.NOSYS);
        assertThat(log).contains(
                "sdb: emc: Detected in-progress ucode upgrade NDU operation while finding current active SP.",
                "sdc: emc: invalid VPD page 0xC0 format", "sdd: emc: Invalid failover mode 1");
        EmcPath alua = attached(new ScriptedTransport("sde", clock), Pages.emcInquiry("APM1", "VNX5300"),
                Pages.emcC0(LUN_OWNED, SP_A, SP_A, ALUA_MODE, false), List.of());
        assertThat(alua.admits()).isTrue();
        assertThat(log).contains("sde: emc: ALUA failover mode detected");
        assertAttachFails(new ScriptedTransport("sdf", clock)
                .expect(INQUIRY, good(Pages.emcInquiry("APM1", "CX3-20"))).expect(C0, fail(TransportException.Kind.TIMEOUT)),
                ScsiDh.IO);
    }

    ScriptedTransport c0Answer(String name, byte[] c0) {
        return new ScriptedTransport(name, clock).expect(INQUIRY, good(Pages.emcInquiry("APM00112233", "CX4-480")))
                .expect(C0, good(c0));
    }

    void assertAttachFails(ScriptedTransport t, int code) {
        CompletableFuture<AttachedHandler> f = EmcHandler.INSTANCE.attach(t, List.of(), ctx);
        assertThat(f).isCompletedExceptionally();
        Throwable e = f.handle((v, x) -> x instanceof CompletionException ? x.getCause() : x).join();
        assertThat(((HandlerException) e).scsiDh()).as(e.getMessage()).isEqualTo(code);
        t.assertScriptDone();
    }

    /** send_trespass_cmd's answer (spec §6.3): copy or NDU in progress → TEMP_BUSY, other sense → DEV_FAILED. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "sense 05/04/00, 2",
        "sense 02/04/03, 2",
        "sense 05/24/00, 1",
        "sense 06/29/00, 1",
        "BUSY, 8",
        "CONNECTION_LOST, 8",
        "TIMEOUT, 8"})
    void aFailedTrespass(String answer, int code) {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        EmcPath p = cx(t, LUN_BOUND, List.of());
        ScriptedTransport.Reply r;
        if (answer.startsWith("sense ")) {
            String[] k = answer.substring(6).split("/");
            r = check(Integer.parseInt(k[0], 16), Integer.parseInt(k[1], 16), Integer.parseInt(k[2], 16));
        } else if (answer.equals("BUSY")) {
            r = ScriptedTransport.Reply.status(ScsiResponse.BUSY);
        } else {
            r = fail(TransportException.Kind.valueOf(answer));
        }
        t.expect(C0, good(Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false))).expect(Cdb.modeSelect10(false, false, 19), r);
        assertThat(activate(p)).isEqualTo(code);
        t.assertScriptDone();
        assertThat(p.admits()).isFalse();
    }

    @Test
    void aFailedSpReadBeforeOrAfterTheTrespassIsTheActivationsResult() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        EmcPath p = cx(t, LUN_BOUND, List.of());
        t.expect(C0, fail(TransportException.Kind.CONNECTION_LOST));
        assertThat(activate(p)).isEqualTo(ScsiDh.IO);
        t.expect(C0, good(Pages.emcC0(LUN_BOUND, SP_A, SP_B, PNR, false))).expect(Cdb.modeSelect10(false, false, 19),
                good()).expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, true)));
        assertThat(activate(p)).isEqualTo(ScsiDh.DEV_TEMP_BUSY);
        t.assertScriptDone();
    }

    @Test
    void tableParametersOnAnOwnedPathTrespassAtOnceWithTheNewFlags() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        t.expect(INQUIRY, good(Pages.emcInquiry("APM00112233", "CX4-480")))
                .expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, false)))
                .expect(Cdb.modeSelect6(true, false, 8), good())
                .expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, false)));
        AttachedHandler p = EmcHandler.INSTANCE.attach(t, List.of("1", "1"), ctx).join();
        t.assertScriptDone();
        assertThat(t.sent().get(2).dataHex()).isEqualTo("00000000220201ff");
        assertThat(p.admits()).isTrue();
    }

    @Test
    void aFailedTrespassInSetParamsDoesNotFailTheAttach() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        t.expect(INQUIRY, good(Pages.emcInquiry("APM00112233", "CX4-480")))
                .expect(C0, good(Pages.emcC0(LUN_OWNED, SP_A, SP_A, PNR, false)))
                .expect(Cdb.modeSelect10(false, false, 19), check(Sense.INVALID_FIELD_IN_PARAMETER_LIST));
        CompletableFuture<AttachedHandler> f = EmcHandler.INSTANCE.attach(t, List.of("0", "1"), ctx);
        assertThat(f).isCompleted();
        t.assertScriptDone();
        assertThat(f.join().admits()).as("the LUN state was forgotten before the trespass").isFalse();
    }

    @Test
    void badParametersFailTheAttachBeforeAnyCommand() {
        ScriptedTransport t = new ScriptedTransport("sdb", clock);
        assertThat(EmcHandler.INSTANCE.attach(t, List.of("2", "0"), ctx)).isCompletedExceptionally();
        assertThat(t.sent()).isEmpty();
    }

    @Test
    void sense() {
        EmcPath p = cx(new ScriptedTransport("sdb", clock), LUN_OWNED, List.of());
        assertThat(p.checkSense(Sense.NOT_READY_MANUAL_INTERVENTION)).isEqualTo(Disposition.SUCCESS);
        assertThat(p.checkSense(Sense.of(Sense.ILLEGAL_REQUEST, 0x25, 0x01))).isEqualTo(Disposition.SUCCESS);
        assertThat(p.checkSense(Sense.POWER_ON_RESET)).isEqualTo(Disposition.ADD_TO_MLQUEUE);
        assertThat(p.checkSense(Sense.LOGICAL_UNIT_NOT_SUPPORTED)).isEqualTo(Disposition.NOT_HANDLED);
    }
}
