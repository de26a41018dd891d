package io.mpathgw.dm.handler;

import io.mpathgw.dm.Named;
import io.mpathgw.dm.table.DmEmit;
import io.mpathgw.dm.table.HandlerAttach;
import io.mpathgw.dm.table.TableException;
import io.mpathgw.scsi.ScsiTransport;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A SCSI device handler (struct scsi_device_handler, spec §6.0), registered under its kernel name: {@code alua},
 * {@code rdac}, {@code emc}, {@code hp_sw}. The type itself holds no state; {@link #attach} returns the per-path
 * {@link AttachedHandler} (the kernel's {@code sdev->handler_data}) that activates the path (pg_init), classifies
 * the sense of its failed I/O and gates I/O, and shares state with the other paths of its LUN or controller
 * through the {@link HandlerContext}.
 */
public interface HardwareHandler extends Named {

    /**
     * {@code set_params} at table load (spec §1.6): vets the table's handler parameters (the words after the name),
     * called only when there are some. Throws {@link HandlerAttach#PARAMS_FAILED}, the kernel's ti->error, with a
     * detail naming the word. Handlers without {@code set_params} (rdac, hp_sw) refuse any parameter.
     */
    default void checkParams(List<String> params) throws TableException {
        throw new TableException(HandlerAttach.PARAMS_FAILED, name() + ": parameters " + params
                + " (expected: none, scsi_dh_" + name() + " has no set_params)");
    }

    /**
     * attach, then set_params when {@code params} is not empty: the handler's discovery commands through
     * {@code path} (INQUIRY, vendor VPD pages, TEST UNIT READY…). Never blocks. The future fails with a
     * {@link HandlerException} carrying the SCSI_DH code when the handler does not take the device (the table load
     * would then fail with "error attaching hardware handler", or "unable to set hardware handler parameters").
     *
     * @param path   the path's transport; the attached handler sends everything through it
     * @param params as {@link #checkParams} accepted them (empty: none)
     */
    CompletableFuture<AttachedHandler> attach(ScsiTransport path, List<String> params, HandlerContext ctx);

    /** The handler part of {@code dmsetup table}: {@code 1 <name>}; parameters are never printed (spec §2.2). */
    default void emitTable(DmEmit out) {
        out.number(1).token(name());
    }

    /** The handler part of {@code dmsetup status}: always {@code 0}, even with a handler (spec §2.1). */
    default void emitStatus(DmEmit out) {
        out.number(0);
    }
}
