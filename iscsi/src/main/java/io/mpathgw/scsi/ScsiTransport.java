package io.mpathgw.scsi;

import java.util.concurrent.CompletableFuture;

/**
 * A path to one logical unit: submit a SCSI command, get its outcome asynchronously. An iSCSI initiator session
 * bound to a LUN implements it; hardware handlers, path checkers and the multipath engine use nothing else of a
 * path.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #submit} may be called from any thread and never blocks.</li>
 *   <li>The future completes exactly once: normally with the device's {@link ScsiResponse} (whatever its SCSI
 *       status), or exceptionally with a {@link TransportException} when the path failed the command (connection
 *       lost, timeout, protocol error, aborted). It always completes: a dead portal never leaves it pending
 *       beyond the command's timeout.</li>
 *   <li>A transport that already holds its configured number of commands refuses more at once: the future
 *       completes exceptionally with {@link java.util.concurrent.RejectedExecutionException}, which is
 *       back-pressure, not a path failure; the caller retries when earlier commands complete.</li>
 *   <li>Ownership of {@link ScsiCommand#dataOut()} passes to the transport; ownership of
 *       {@link ScsiResponse#data()} passes to whoever completes the future's chain last.</li>
 *   <li>Completion runs on the transport's I/O thread; do not block in a callback.</li>
 * </ul>
 */
public interface ScsiTransport {

    CompletableFuture<ScsiResponse> submit(ScsiCommand command);

    /** A short stable name for logs and events, e.g. {@code 127.0.0.1:3260,1 iqn…:lun0}. */
    String describe();
}
