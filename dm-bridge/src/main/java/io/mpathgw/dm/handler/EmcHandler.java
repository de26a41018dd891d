package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.table.TableException;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiTransport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code emc}: EMC CLARiiON/VNX in PNR failover mode (scsi_dh_emc, spec §6.3). Attach reads the SP model from the
 * standard INQUIRY (an FC-series or unnamed model takes the short trespass) and the SP and LUN state from VPD 0xC0.
 * Activation trespasses an unowned LUN to this SP. Table parameters {@code 3 emc <short_trespass> <hr>}: 0 or 1
 * each; when given for an owned path, a trespass with the new flags is sent at once.
 */
public final class EmcHandler implements HardwareHandler {

    public static final String NAME = "emc";
    static final EmcHandler INSTANCE = new EmcHandler();
    static final String[] PARAMS = {"short_trespass", "honor_reservations"};
    /** The standard INQUIRY as the SCSI scan keeps it (up to 255 bytes): the SP model is past byte 160. */
    static final int INQUIRY_SIZE = 255;

    @Override
    public String name() {
        return NAME;
    }

    /** clariion_set_params: exactly two values, each 0 or 1. */
    @Override
    public void checkParams(List<String> params) throws TableException {
        ParamWords.flags(NAME, params, PARAMS);
    }

    @Override
    public CompletableFuture<AttachedHandler> attach(ScsiTransport path, List<String> params, HandlerContext ctx) {
        boolean[] flags;
        try {
            flags = params.isEmpty() ? null : ParamWords.flags(NAME, params, PARAMS);
        } catch (TableException e) {
            return CompletableFuture.failedFuture(new HandlerException(ScsiDh.INVALID_IO, e.getMessage()
                    + ": " + e.detail()));
        }
        ScsiExchange x = new ScsiExchange(path, ctx);
        String name = path.describe();
        return HandlerException.unwrapped(x.read(Cdb.inquiry(INQUIRY_SIZE), INQUIRY_SIZE, RetryRule.NONE).thenCompose(r -> {
            String model = spModel(name, r, ctx);
            boolean shortTrespass = model.isEmpty() || model.startsWith("FC");    // FC series: no long trespass
            ctx.log(name, NAME, "detected Clariion " + model + ", flags " + (shortTrespass ? 1 : 0));
            EmcPath p = new EmcPath(name, x, ctx, shortTrespass);
            return p.spInfo().thenCompose(err -> {
                if (err != ScsiDh.OK) throw fail(err, name, "VPD page 0xC0");
                ctx.log(name, NAME, "connected to " + p.where());
                return flags == null ? CompletableFuture.completedFuture((AttachedHandler) p) : setParams(p, flags);
            });
        }));
    }

    /**
     * clariion_set_params on the attached path: the flags, then a trespass with them if the path owns the LUN. Its
     * failure is logged and does not fail the attach (dm only refuses a negative errno, i.e. bad values).
     */
    private static CompletableFuture<AttachedHandler> setParams(EmcPath p, boolean[] flags) {
        p.flags(flags[0], flags[1]);
        if (!p.owned()) return CompletableFuture.completedFuture(p);
        p.forgetLunState();
        return p.trespass().thenCompose(err -> err == ScsiDh.OK ? p.spInfo() : CompletableFuture.completedFuture(err))
                .thenApply(err -> p);
    }

    /**
     * parse_sp_model: the model name at 161 + serial length, its length at byte 99, the serial's at byte 160; an
     * answer shorter than 160 bytes is an old FC array if the vendor is DGC, else not a CLARiiON.
     */
    static String spModel(String name, ScsiResult r, HandlerContext ctx) {
        if (!r.good()) throw fail(ScsiDh.IO, name, "INQUIRY failed: " + r);
        byte[] b = Arrays.copyOf(r.data(), 256);
        int len = (b[4] & 0xFF) + 5;
        if (len < 160) {
            ctx.log(name, NAME, "Invalid information section length " + len);
            if ("DGC".equals(new String(b, 8, 3, StandardCharsets.ISO_8859_1))) return "FC (Legacy)";
            throw fail(ScsiDh.DEV_UNSUPP, name, "not a CLARiiON");
        }
        int serialLen = b[160] & 0xFF;
        if (serialLen == 0 || serialLen + 161 > len) {
            ctx.log(name, NAME, "Invalid array serial number length " + serialLen);
            throw fail(ScsiDh.DEV_UNSUPP, name, "no SP model");
        }
        int spLen = b[99] & 0xFF;
        if (spLen == 0 || serialLen + spLen + 161 > len) {
            ctx.log(name, NAME, "Invalid model number length " + spLen);
            throw fail(ScsiDh.DEV_UNSUPP, name, "no SP model");
        }
        int at = serialLen + 161;
        while (spLen > 1 && b[at + spLen - 1] == ' ') spLen--;
        return new String(b, at, spLen, StandardCharsets.ISO_8859_1);
    }

    static CompletionException fail(int code, String path, String why) {
        return new CompletionException(new HandlerException(code, path + ": " + NAME + ": " + why));
    }
}
