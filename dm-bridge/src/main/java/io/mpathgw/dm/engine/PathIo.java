package io.mpathgw.dm.engine;

import java.util.function.Consumer;

/**
 * Sends a mapped request down one path. A later step binds it to {@code io.mpathgw.scsi.ScsiTransport} (one
 * session per path); tests bind it to a script.
 */
@FunctionalInterface
public interface PathIo {

    /**
     * Called on the map thread. {@code done} is called exactly once, from any thread, with the request's outcome on
     * this path; the map hops back onto its own thread.
     */
    void submit(Path path, MapRequest request, Consumer<BlkStatus> done);
}
