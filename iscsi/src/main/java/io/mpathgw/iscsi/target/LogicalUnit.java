package io.mpathgw.iscsi.target;

import io.mpathgw.scsi.ScsiResponse;

import java.util.concurrent.CompletableFuture;

/**
 * A SCSI logical unit behind the iSCSI target: executes one command and answers with status, sense and
 * Data-In. The target turns the answer into Data-In / SCSI Response PDUs and computes residuals from the
 * Expected Data Transfer Length, so an LU may return more data than was asked for (the target trims it and
 * reports the overflow) or less (underflow).
 *
 * <p>Contract: {@link #execute} never throws; every failure is a {@link ScsiResponse} with CHECK CONDITION and
 * sense (e.g. ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE). The future completes exactly once; the caller
 * owns the response's data. It may complete on any thread.
 */
public interface LogicalUnit {

    CompletableFuture<ScsiResponse> execute(ScsiTask task);

    /** A new I_T nexus logged in (for the power-on unit attention, SPC-4 §6.x / SAM-5 §5.14). */
    default void nexusAdded(Nexus nexus) {
    }

    /** An I_T nexus ended (logout or connection loss). */
    default void nexusRemoved(Nexus nexus) {
    }

    /**
     * Whether the LU is present. An absent LU (e.g. a simulated permanent device loss) is left out of REPORT LUNS
     * and answered by the target exactly as a LUN it never had: LOGICAL UNIT NOT SUPPORTED, INQUIRY qualifier 011b.
     * May be called from any thread.
     */
    default boolean present() {
        return true;
    }

    /** LOGICAL UNIT RESET from a TMF (RFC 7143 §11.5.1): abort tasks, clear reservations as SPC-4 says, raise UAs. */
    default void reset(Nexus from) {
    }
}
