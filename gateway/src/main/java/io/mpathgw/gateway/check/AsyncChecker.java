package io.mpathgw.gateway.check;

import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What every checker here shares: the asynchronous frame of multipath-tools' tur checker, applied to all of them.
 * A check runs as one {@link CommandRun}; asked again while it runs, the checker answers "still running"
 * ({@link PathState#PENDING}); when commands of timed-out checks are still unanswered beyond
 * {@link #MAX_STALLED}, it answers {@link PathState#TIMEOUT} without sending anything (tur.c's "waiting for stalled
 * tur thread to finish": one extra check may run beside a stalled one, not more).
 */
abstract class AsyncChecker implements PathChecker {

    /** tur.c MAX_NR_TIMEOUTS. */
    static final int MAX_STALLED = 1;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger outstanding = new AtomicInteger();

    @Override
    public final CompletionStage<CheckResult> check(ScsiTransport path, Duration timeout) {
        Objects.requireNonNull(path, "path");
        if (timeout == null || timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("checker_timeout: " + timeout + " (expected: > 0)");
        if (!running.compareAndSet(false, true))
            return CompletableFuture.completedFuture(result(PathState.PENDING, CheckResult.RUNNING));
        if (outstanding.get() > MAX_STALLED) {
            running.set(false);
            return CompletableFuture.completedFuture(result(PathState.TIMEOUT, CheckResult.TIMED_OUT));
        }
        CommandRun<CheckResult> run = new CommandRun<>(path, timeout,
                () -> result(PathState.TIMEOUT, CheckResult.TIMED_OUT), this::malformed, outstanding);
        CompletableFuture<CheckResult> done = run.result().whenComplete((r, e) -> running.set(false));
        try {
            start(run);
        } catch (RuntimeException e) {
            run.complete(malformed(e));
        }
        return done;
    }

    /** Sends the first command of a check; each step ends the run or sends the next command. */
    abstract void start(CommandRun<CheckResult> run);

    /** Commands of this checker not answered yet, those of timed-out checks included. */
    int outstanding() {
        return outstanding.get();
    }

    final CheckResult result(PathState state, String suffix) {
        return CheckResult.of(state, name(), suffix);
    }

    /** An answer the checker could not decode: the path is not usable. */
    CheckResult malformed(Throwable e) {
        return result(PathState.DOWN, CheckResult.DOWN + ": " + e.getMessage());
    }

    /**
     * A command that got no SCSI status: its own timeout → {@link PathState#TIMEOUT}; a full transport queue is
     * back-pressure, not a path failure → {@link PathState#PENDING}; anything else (connection lost, session closed,
     * aborted, protocol error) → {@link PathState#DOWN}, as DID_NO_CONNECT and friends are for multipath-tools.
     */
    CheckResult transportFailure(Throwable e, String downSuffix) {
        if (e instanceof RejectedExecutionException)
            return result(PathState.PENDING, CheckResult.RUNNING + ": transport queue full");
        if (CommandRun.transportKind(e) == TransportException.Kind.TIMEOUT)
            return result(PathState.TIMEOUT, CheckResult.TIMED_OUT);
        return result(PathState.DOWN, downSuffix);
    }

    /** What a step sends its command again after, tries permitting: each C checker retries differently. */
    enum Retry {
        /** directio: an O_DIRECT read is not repeated. */
        NONE(false, false),
        /** emc_clariion, rdac INQUIRY: DID_ERROR and friends only. */
        TRANSPORT(true, false),
        /** libsg.c sg_read (readsector0, emc_clariion's read): UNIT ATTENTION only. */
        UNIT_ATTENTION(false, true),
        /** tur.c: both. */
        BOTH(true, true);

        final boolean transport;
        final boolean unitAttention;

        Retry(boolean transport, boolean unitAttention) {
            this.transport = transport;
            this.unitAttention = unitAttention;
        }
    }

    /**
     * The preamble every step's answer goes through: with tries left, a failure {@code retry} names runs
     * {@code again} (which sends the command anew); a transport error not retried ends the run as
     * {@link #transportFailure}; every SCSI answer left goes to {@code answer}.
     */
    final BiConsumer<ScsiResponse, Throwable> retrying(CommandRun<CheckResult> run, Retry retry, int tries,
                                                       String downSuffix, Runnable again, Consumer<ScsiResponse> answer) {
        return (r, e) -> {
            if (e != null) {
                if (retry.transport && retryableTransport(e) && tries > 1) again.run();
                else run.complete(transportFailure(e, downSuffix));
            } else if (retry.unitAttention && senseKey(r) == Sense.UNIT_ATTENTION && tries > 1) {
                again.run();
            } else {
                answer.accept(r);
            }
        };
    }

    /**
     * Transport errors multipath-tools retries (DID_ERROR, DID_SOFT_ERROR, DID_BUS_BUSY: the command may succeed
     * when sent again): for us a protocol error on a connection that is still up.
     */
    static boolean retryableTransport(Throwable e) {
        return CommandRun.transportKind(e) == TransportException.Kind.PROTOCOL_ERROR;
    }

    /** The sense key of a CHECK CONDITION, or -1 when there is no sense. */
    static int senseKey(ScsiResponse r) {
        Sense s = r.sense();
        return s == null ? -1 : s.senseKey();
    }
}
