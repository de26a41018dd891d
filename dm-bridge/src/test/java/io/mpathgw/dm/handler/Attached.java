package io.mpathgw.dm.handler;

import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;

import java.util.List;

import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;

/** One attached handler of each kind, on a scripted path that answers its attach commands. */
final class Attached {

    private Attached() {
    }

    static AttachedHandler of(String handler, VirtualScheduler clock, HandlerContext ctx) {
        ScriptedTransport t = new ScriptedTransport("sd-" + handler, clock);
        AttachedHandler h = switch (handler) {
            case "alua" -> {
                t.expect(Cdb.inquiry(36), good(Pages.inquiry(3)))
                        .expect(Cdb.inquiryVpd(0x83, 255), good(Pages.vpd83(Pages.NAA, 1, 1)));
                t.responder(s -> good(Pages.rtpg(true, 0, Pages.group(1, AluaState.ACTIVE_OPTIMIZED, false,
                        Pages.SUPPORTS_TUSNA, 1))));
                yield AluaHandler.INSTANCE.attach(t, List.of(), ctx).join();
            }
            case "rdac" -> {
                t.expect(Cdb.inquiryVpd(0xC8, 175), good(Pages.rdacC8(1, "0102", "A")))
                        .expect(Cdb.inquiryVpd(0xC4, 32), good(Pages.rdacC4('1')))
                        .expect(Cdb.inquiryVpd(0xC9, 48), good(Pages.rdacC9(Pages.CVP_OWNED, true)))
                        .expect(Cdb.inquiryVpd(0xC2, 255), good(Pages.rdacC2(31)));
                yield RdacHandler.INSTANCE.attach(t, List.of(), ctx).join();
            }
            case "emc" -> {
                t.expect(Cdb.inquiry(255), good(Pages.emcInquiry("APM1", "CX4-120")))
                        .expect(Cdb.inquiryVpd(0xC0, 252), good(Pages.emcC0(Pages.LUN_OWNED, 0, 0, 4, false)));
                yield EmcHandler.INSTANCE.attach(t, List.of(), ctx).join();
            }
            case "hp_sw" -> {
                t.expect(Cdb.testUnitReady(), good());
                yield HpSwHandler.INSTANCE.attach(t, List.of(), ctx).join();
            }
            default -> throw new IllegalArgumentException("handler: " + handler);
        };
        clock.advance(10);
        return h;
    }
}
