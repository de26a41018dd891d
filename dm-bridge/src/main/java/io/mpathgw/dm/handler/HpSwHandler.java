package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.scsi.ScsiTransport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code hp_sw}: HP active/standby arrays (MSA1000, HSG80, old EVA firmware; scsi_dh_hp_sw, spec §6.4). A passive
 * controller answers TEST UNIT READY with NOT READY 04/02; START STOP UNIT (START=1) activates it. Attach fails when
 * the first TEST UNIT READY does. No check_sense, no table parameters.
 */
public final class HpSwHandler implements HardwareHandler {

    public static final String NAME = "hp_sw";
    static final HpSwHandler INSTANCE = new HpSwHandler();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<AttachedHandler> attach(ScsiTransport path, List<String> params, HandlerContext ctx) {
        if (!params.isEmpty())
            return CompletableFuture.failedFuture(new HandlerException(ScsiDh.INVALID_IO,
                    "hp_sw: parameters " + params + " (expected: none)"));
        HpSwPath p = new HpSwPath(path.describe(), new ScsiExchange(path, ctx), ctx);
        return HandlerException.unwrapped(p.tur().thenApply(err -> {
            if (err != ScsiDh.OK)
                throw new CompletionException(new HandlerException(err, p.name + ": hp_sw: TEST UNIT READY failed"));
            return p;
        }));
    }
}
