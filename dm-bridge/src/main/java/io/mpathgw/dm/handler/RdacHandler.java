package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code rdac}: LSI/Engenio/NetApp E-Series and OEM arrays (scsi_dh_rdac, spec §6.2). Attach reads the vendor VPD
 * pages 0xC8 (LUN and array identity), 0xC4 (controller slot), 0xC9 (mode and ownership) and 0xC2 (LUN count: more
 * than 31 means the expanded page and MODE SELECT(10)). Activation re-reads 0xC9 and, when this controller must take
 * the LUN, joins the controller's batched MODE SELECT of page 0x2C. No table parameters.
 */
public final class RdacHandler implements HardwareHandler {

    public static final String NAME = "rdac";
    static final RdacHandler INSTANCE = new RdacHandler();

    /** Allocation lengths: the kernel's struct c8_inquiry, c4_inquiry and c2_inquiry. */
    static final int C8_SIZE = 175;
    static final int C4_SIZE = 32;
    static final int C2_SIZE = 255;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<AttachedHandler> attach(ScsiTransport path, List<String> params, HandlerContext ctx) {
        if (!params.isEmpty())
            return CompletableFuture.failedFuture(new HandlerException(ScsiDh.INVALID_IO,
                    "rdac: parameters " + params + " (expected: none)"));
        ScsiExchange x = new ScsiExchange(path, ctx);
        String name = path.describe();
        return HandlerException.unwrapped(x.read(Cdb.inquiryVpd(0xC8, C8_SIZE), C8_SIZE, RetryRule.NONE).thenCompose(c8 -> {
            LunInfo info = lunInfo(name, c8);
            return x.read(Cdb.inquiryVpd(0xC4, C4_SIZE), C4_SIZE, RetryRule.NONE).thenCompose(c4 -> {
                RdacPath p = new RdacPath(name, x, controller(name, c4, info, ctx), info.lun);
                p.controller.add(p);
                return p.checkOwnership().thenCompose(err -> {
                    if (err != ScsiDh.OK) throw drop(p, err, "VPD page 0xC9 failed");
                    return x.read(Cdb.inquiryVpd(0xC2, C2_SIZE), C2_SIZE, RetryRule.NONE)
                            .thenApply(c2 -> (AttachedHandler) finish(p, c2, ctx));
                });
            });
        }));
    }

    private record LunInfo(int lun, String arrayId, String arrayName) {
    }

    /** get_lun_info: VPD 0xC8 "edid" — LUN (byte 174), array unique id (len 89, bytes 90..), array label. */
    private static LunInfo lunInfo(String name, ScsiResult r) {
        if (!r.good()) throw fail(ScsiDh.IO, name, "VPD page 0xC8 failed: " + r);
        byte[] c8 = Arrays.copyOf(r.data(), C8_SIZE);
        if ((c8[1] & 0xFF) != 0xC8 || !"edid".equals(new String(c8, 4, 4, StandardCharsets.ISO_8859_1)))
            throw fail(ScsiDh.NOSYS, name, "VPD page 0xC8 is not \"edid\"");
        int idLen = Math.min(c8[89] & 0xFF, 16);
        String arrayId = HexFormat.of().formatHex(c8, 90, 90 + idLen);
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < 30 && c8[107 + 2 * i + 1] != 0; i++) label.append((char) (c8[107 + 2 * i + 1] & 0xFF));
        return new LunInfo(c8[174] & 0xFF, arrayId, label.toString());
    }

    /** initialize_controller: VPD 0xC4 "subs" — slot id byte 29 '1' is controller 0, anything else controller 1. */
    private static RdacController controller(String name, ScsiResult r, LunInfo info, HandlerContext ctx) {
        if (!r.good()) throw fail(ScsiDh.IO, name, "VPD page 0xC4 failed: " + r);
        byte[] c4 = Arrays.copyOf(r.data(), C4_SIZE);
        int index = c4[29] == 0x31 ? 0 : 1;
        return ctx.rdacControllers.getOrCreate(info.arrayId, index, info.arrayName, ctx);
    }

    /** set_mode_select: VPD 0xC2 "swr4" byte 15, max_lun_supported; 32 or more takes MODE SELECT(10). */
    private static RdacPath finish(RdacPath p, ScsiResult r, HandlerContext ctx) {
        if (!r.good()) throw drop(p, ScsiDh.IO, "VPD page 0xC2 failed: " + r);
        byte[] c2 = Arrays.copyOf(r.data(), C2_SIZE);
        p.controller.useMs10((c2[15] & 0xFF) >= RdacModeSelect.LEGACY_LUNS);
        ctx.log(p.name, NAME, "LUN " + p.lun + " (" + p.mode() + ") (" + (p.owned() ? "owned" : "unowned") + ")");
        return p;
    }

    /** Attach failed after the path joined its controller: leave it again. */
    private static CompletionException drop(RdacPath p, int code, String why) {
        p.detach();
        return fail(code, p.name, why);
    }

    static CompletionException fail(int code, String path, String why) {
        return new CompletionException(new HandlerException(code, path + ": " + NAME + ": " + why));
    }
}
