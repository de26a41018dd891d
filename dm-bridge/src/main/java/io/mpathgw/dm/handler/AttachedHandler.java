package io.mpathgw.dm.handler;

import io.mpathgw.scsi.Sense;

import java.util.concurrent.CompletableFuture;

/**
 * One hardware handler attached to one path (the kernel's {@code sdev->handler_data}). Thread-safe: activations,
 * sense checks and I/O gating may come from any thread, and nothing here blocks.
 */
public interface AttachedHandler {

    /** The handler type, for its name. */
    HardwareHandler handler();

    /**
     * {@code activate} (pg_init of this path, spec §4.5, §6): brings the path's group or controller into a state
     * that takes I/O. Completes exactly once, never exceptionally, with a {@code ScsiDh} code that the engine's
     * {@code pg_init_done} acts on. Bounded in time by the handler's own budget (transition timeout, command
     * timeouts).
     */
    CompletableFuture<Integer> activate();

    /**
     * {@code check_sense} for a CHECK CONDITION on normal I/O through this path: what the SCSI mid-layer does with
     * the command. May update the handler's state (e.g. ALUA marks its group transitioning and schedules an RTPG).
     */
    Disposition checkSense(Sense sense);

    /**
     * {@code prep_fn}: may a request be sent down this path now? When false, the request is to be completed at once
     * with a quiet I/O error (a path error: dm fails the path and requeues the request elsewhere).
     */
    boolean admits();

    /** What sysfs {@code access_state} and {@code preferred_path} would show for this path. */
    AccessState accessState();

    /** detach: the path leaves its shared group or controller. Activations still running complete normally. */
    void detach();
}
