package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.ScsiDh;
import io.mpathgw.dm.table.TableException;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.InquiryData;
import io.mpathgw.scsi.ScsiDataException;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.VpdPage;
import io.mpathgw.scsi.Vpd83;
import io.mpathgw.scsi.Wwid;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * {@code alua}: SPC-3/4 asymmetric logical unit access (scsi_dh_alua "2.0", spec §6.1). Attach reads TPGS from the
 * standard INQUIRY and the target port group and relative port from VPD 0x83, joins the port group shared by every
 * path of the LUN in that group, and queues a first RTPG. Activation re-reads the state with RTPG (extended header
 * first, without it when the array refuses), sends STPG only when explicit ALUA is supported and the group is not
 * active/optimized, and waits out a transition within its deadline. Table parameter: {@code 2 alua <0|1>},
 * optimize_stpg for the group.
 */
public final class AluaHandler implements HardwareHandler {

    public static final String NAME = "alua";
    static final AluaHandler INSTANCE = new AluaHandler();

    /** alua_set_params: exactly one value, 0 or 1. */
    @Override
    public void checkParams(List<String> params) throws TableException {
        ParamWords.flags(NAME, params, "optimize_stpg");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<AttachedHandler> attach(ScsiTransport path, List<String> params, HandlerContext ctx) {
        Boolean optimize;
        try {
            optimize = params.isEmpty() ? null : ParamWords.flags(NAME, params, "optimize_stpg")[0];
        } catch (TableException e) {
            return CompletableFuture.failedFuture(new HandlerException(ScsiDh.INVALID_IO, e.getMessage()
                    + ": " + e.detail()));
        }
        ScsiExchange x = new ScsiExchange(path, ctx);
        String name = path.describe();
        return HandlerException.unwrapped(x.read(Cdb.inquiry(InquiryData.MIN_LENGTH), InquiryData.MIN_LENGTH, RetryRule.NONE)
                .thenCompose(r -> {
                    int tpgs = checkTpgs(name, r, ctx);
                    return x.vpd(VpdPage.DEVICE_IDENTIFICATION, 255)
                            .thenApply(v -> (AttachedHandler) join(name, x, tpgs, v, optimize, ctx));
                }));
    }

    /** alua_check_tpgs: 0 (or not a disk) means no ALUA, and the handler refuses the device. */
    private static int checkTpgs(String name, ScsiResult r, HandlerContext ctx) {
        if (!r.good()) throw fail(ScsiDh.IO, name, "INQUIRY failed: " + r);
        InquiryData inq;
        try {
            inq = InquiryData.parse(r.data());
        } catch (ScsiDataException e) {
            throw fail(ScsiDh.IO, name, "INQUIRY: " + e.getMessage());
        }
        if (inq.peripheralDeviceType() != InquiryData.TYPE_DISK) {
            ctx.log(name, NAME, "disable for non-disk devices");
            throw fail(ScsiDh.DEV_UNSUPP, name, "disable for non-disk devices");
        }
        switch (inq.tpgs()) {
            case InquiryData.TPGS_BOTH -> ctx.log(name, NAME, "supports implicit and explicit TPGS");
            case InquiryData.TPGS_EXPLICIT -> ctx.log(name, NAME, "supports explicit TPGS");
            case InquiryData.TPGS_IMPLICIT -> ctx.log(name, NAME, "supports implicit TPGS");
            default -> {
                ctx.log(name, NAME, "not supported");
                throw fail(ScsiDh.DEV_UNSUPP, name, "not supported");
            }
        }
        return inq.tpgs();
    }

    /** alua_check_vpd: the group id is required; the group object is found or made, and a first RTPG queued. */
    private static AluaPath join(String name, ScsiExchange x, int tpgs, ScsiResult r, Boolean optimize,
                                 HandlerContext ctx) {
        if (!r.good()) throw fail(ScsiDh.IO, name, "VPD page 0x83 failed: " + r);
        Vpd83 page;
        try {
            page = Vpd83.parse(r.data());
        } catch (ScsiDataException e) {
            throw fail(ScsiDh.IO, name, "VPD page 0x83: " + e.getMessage());
        }
        OptionalInt groupId = page.targetPortGroup();
        if (groupId.isEmpty()) {
            ctx.log(name, NAME, "No target port descriptors found");
            throw fail(ScsiDh.DEV_UNSUPP, name, "No target port descriptors found");
        }
        int relPort = page.relativeTargetPort().orElse(-1);
        String lunId = Wwid.of(page).map(Wwid::value).orElse("");
        if (lunId.isEmpty()) ctx.log(name, NAME, "No device descriptors found");
        AluaPortGroup group = ctx.aluaGroups.getOrCreate(lunId, groupId.getAsInt(), tpgs, ctx);
        ctx.log(name, NAME, (lunId.isEmpty() ? "" : "device " + lunId + " ") + "port group "
                + Integer.toHexString(groupId.getAsInt()) + " rel port " + Integer.toHexString(relPort));
        AluaPath p = new AluaPath(name, x, group, relPort);
        group.add(p);
        if (optimize != null) group.setOptimizeStpg(optimize);
        group.queue(p, null, true);
        return p;
    }

    static java.util.concurrent.CompletionException fail(int code, String path, String why) {
        return new java.util.concurrent.CompletionException(new HandlerException(code, path + ": " + NAME + ": " + why));
    }
}
