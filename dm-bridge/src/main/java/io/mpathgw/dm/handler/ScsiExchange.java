package io.mpathgw.dm.handler;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.DataDirection;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TransportException;
import io.netty.buffer.Unpooled;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * scsi_execute_cmd() for handlers: sends one command through a path's {@link ScsiTransport}, retries it as a
 * {@link RetryRule} says, and completes with a {@link ScsiResult}, never exceptionally. Each attempt carries the
 * settings' command timeout, and a guard on the handler scheduler completes the attempt as
 * {@link TransportException.Kind#TIMEOUT} if the transport has not answered {@link HandlerSettings#COMMAND_GUARD}
 * after it, so every handler step is bounded in time even on a transport that breaks its contract. A response that
 * arrives after the guard fired is released and ignored.
 */
final class ScsiExchange {

    private final ScsiTransport transport;
    private final HandlerContext ctx;

    ScsiExchange(ScsiTransport transport, HandlerContext ctx) {
        this.transport = transport;
        this.ctx = ctx;
    }

    ScsiTransport transport() {
        return transport;
    }

    /** A command with a Data-In phase of at most {@code allocationLength} bytes. */
    CompletableFuture<ScsiResult> read(byte[] cdb, int allocationLength, RetryRule rule) {
        return send(cdb, DataDirection.READ, null, allocationLength, rule);
    }

    /**
     * INQUIRY of VPD page {@code page} (scsi_get_vpd_page): asks for {@code allocationLength} bytes and, when the
     * page says it is longer, once more for the whole page.
     */
    CompletableFuture<ScsiResult> vpd(int page, int allocationLength) {
        return read(Cdb.inquiryVpd(page, allocationLength), allocationLength, RetryRule.NONE).thenCompose(r -> {
            if (!r.good() || r.data().length < 4) return CompletableFuture.completedFuture(r);
            int whole = 4 + ((r.data()[2] & 0xFF) << 8 | (r.data()[3] & 0xFF));
            if (whole <= allocationLength) return CompletableFuture.completedFuture(r);
            return read(Cdb.inquiryVpd(page, whole), whole, RetryRule.NONE);
        });
    }

    /** A command without data (TEST UNIT READY, START STOP UNIT). */
    CompletableFuture<ScsiResult> none(byte[] cdb, RetryRule rule) {
        return send(cdb, DataDirection.NONE, null, 0, rule);
    }

    /** A command with {@code dataOut} as its Data-Out (a fresh buffer per attempt: the transport owns each). */
    CompletableFuture<ScsiResult> write(byte[] cdb, byte[] dataOut, RetryRule rule) {
        return send(cdb, DataDirection.WRITE, dataOut, dataOut.length, rule);
    }

    private CompletableFuture<ScsiResult> send(byte[] cdb, DataDirection dir, byte[] dataOut, int length,
                                               RetryRule rule) {
        CompletableFuture<ScsiResult> done = new CompletableFuture<>();
        attempt(cdb, dir, dataOut, length, rule.counter(), done);
        return done;
    }

    private void attempt(byte[] cdb, DataDirection dir, byte[] dataOut, int length, RetryRule.Counter retries,
                         CompletableFuture<ScsiResult> done) {
        once(cdb, dir, dataOut, length).whenComplete((r, unexpected) -> {
            if (unexpected != null) done.completeExceptionally(unexpected);
            else if (retries.retry(r)) attempt(cdb, dir, dataOut, length, retries, done);
            else done.complete(r);
        });
    }

    /** One attempt, guarded. */
    private CompletableFuture<ScsiResult> once(byte[] cdb, DataDirection dir, byte[] dataOut, int length) {
        Duration timeout = ctx.settings().commandTimeout();
        ScsiCommand c = new ScsiCommand(cdb.clone(), dir, dataOut == null ? null : Unpooled.wrappedBuffer(dataOut.clone()),
                length, timeout);
        CompletableFuture<ScsiResult> result = new CompletableFuture<>();
        HandlerScheduler.Cancellable guard = ctx.scheduler().schedule(
                () -> result.complete(ScsiResult.failed(TransportException.Kind.TIMEOUT)),
                timeout.plus(HandlerSettings.COMMAND_GUARD).toMillis());
        CompletableFuture<io.mpathgw.scsi.ScsiResponse> submitted;
        try {
            submitted = transport.submit(c);
        } catch (RuntimeException e) {          // a transport that throws instead of failing the future
            guard.cancel();
            result.complete(ScsiResult.failed(TransportException.Kind.CLOSED));
            return result;
        }
        submitted.whenComplete((response, error) -> {
            guard.cancel();
            ScsiResult r = response != null ? ScsiResult.of(response) : ScsiResult.failed(kindOf(error));
            result.complete(r);                 // false after the guard fired: the copy is simply dropped
        });
        return result;
    }

    private static TransportException.Kind kindOf(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof TransportException te ? te.kind() : TransportException.Kind.PROTOCOL_ERROR;
    }
}
