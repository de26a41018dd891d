package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.scsi.ScsiResponse;

import java.util.concurrent.CompletableFuture;

/**
 * The hook of an array personality (ALUA, RDAC, EMC, HP active/standby): consulted for every command after the unit
 * attention and reservation checks and before the LU's own execution, so it can answer what the personality
 * changes — REPORT / SET TARGET PORT GROUPS, mode page 2Ch, VPD page C0h, START STOP UNIT, NOT READY states — and
 * leave the rest to the disk.
 *
 * <p>Contract: called on the thread that called {@link SbcLogicalUnit#execute}, possibly from several threads at
 * once; it must not block. Return {@code null} to let the LU execute the task; then it must not have touched
 * {@code task.dataOut()}. Return a future to answer it; then it owns {@code task.dataOut()} and releases it exactly
 * once, and the future must complete exactly once with a response whose data the caller will own. It should not
 * throw; if it does, the command ends in CHECK CONDITION, HARDWARE ERROR, INTERNAL TARGET FAILURE and the LU
 * releases the Data-Out.
 */
@FunctionalInterface
public interface Interceptor {

    /**
     * @param task the command; its CDB has not been validated yet
     * @param lu   the LU, for its unit attentions ({@link SbcLogicalUnit#unitAttention}) and settings
     * @return null to pass, or the answer
     */
    CompletableFuture<ScsiResponse> intercept(ScsiTask task, SbcLogicalUnit lu);
}
