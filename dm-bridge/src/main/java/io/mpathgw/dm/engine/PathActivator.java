package io.mpathgw.dm.engine;

import java.util.function.IntConsumer;

/**
 * Activates one path of the PG being initialised (pg_init, spec §4.5): the hardware handler's {@code activate}.
 * The handler package's {@code HandlerActivator} implements it (alua, rdac, emc, hp_sw), together with the
 * {@link PathHandlerHooks} of the same paths; {@link #IMMEDIATE_SUCCESS} stands in where no handler runs.
 */
@FunctionalInterface
public interface PathActivator {

    /**
     * Called on the map thread for an active path. {@code done} is called exactly once, from any thread, with a
     * {@link ScsiDh} code.
     */
    void activate(Path path, IntConsumer done);

    /**
     * STUB, not a hardware handler: every activation succeeds at once (SCSI_DH_OK) without sending a command. It
     * reproduces what the kernel-golden sequences saw from scsi_debug with {@code alua} (every pg_init succeeded);
     * a real array needs the handler's RTPG/STPG exchange.
     */
    PathActivator IMMEDIATE_SUCCESS = (path, done) -> done.accept(ScsiDh.OK);
}
