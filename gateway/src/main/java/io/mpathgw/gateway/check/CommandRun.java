package io.mpathgw.gateway.check;

import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.TransportException;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One check or priority query against one path: the SCSI commands it sends and the verdict it ends with, bounded by
 * a deadline. What multipath-tools gets from a thread per check and {@code pthread_cancel}, this gets from one timer
 * for the whole process: when the deadline passes the verdict is the timeout one, whatever the path does; an answer
 * that arrives afterwards is released and ignored, and no step runs any more.
 *
 * <p>Each command goes out with the time left as its own timeout, so the transport aborts it too. Commands still
 * unanswered are counted in the {@code outstanding} counter the caller passes in (one per checker, i.e. per path),
 * which is how a checker sees that earlier checks are stalled.
 *
 * <p>Threads: steps run on the transport's I/O thread, the timeout on the shared timer thread; the result completes
 * exactly once, on one of them. Keep steps short and non-blocking.
 *
 * @param <T> the verdict type
 */
public final class CommandRun<T> {

    /**
     * One wheel for every check and prioritizer of the process: 10 ms ticks, 512 buckets (about 5 s per turn, the
     * order of a checker_timeout), one daemon thread, never stopped. No
     * cap on pending timeouts: there is at most one per check or query in flight, i.e. a few per path.
     */
    static final String TIMER_THREAD = "mpathgw-check-timer";
    private static final HashedWheelTimer TIMER = new HashedWheelTimer(
            new DefaultThreadFactory(TIMER_THREAD, true), 10, TimeUnit.MILLISECONDS, 512, true, -1);
    /** A command never goes out with less than this timeout (the transport treats zero as "its default"). */
    private static final long MIN_COMMAND_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ScsiTransport path;
    private final long deadline;
    private final Function<Throwable, T> onError;
    private final AtomicInteger outstanding;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final Timeout timer;

    /**
     * Starts the clock.
     *
     * @param timeout     how long the run may take, &gt; 0
     * @param onTimeout   the verdict when the deadline passes first
     * @param onError     the verdict when a step throws (a malformed answer)
     * @param outstanding counts this run's commands until they are answered, also after the run ended
     */
    public CommandRun(ScsiTransport path, Duration timeout, Supplier<T> onTimeout, Function<Throwable, T> onError,
                      AtomicInteger outstanding) {
        this.path = Objects.requireNonNull(path, "path");
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.onError = onError;
        this.outstanding = outstanding;
        this.timer = TIMER.newTimeout(t -> result.complete(onTimeout.get()), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The verdict; completes exactly once. */
    public CompletableFuture<T> result() {
        return result;
    }

    public ScsiTransport path() {
        return path;
    }

    public boolean done() {
        return result.isDone();
    }

    /** Time left before the deadline (zero or negative once passed). */
    public Duration remaining() {
        return Duration.ofNanos(deadline - System.nanoTime());
    }

    /** Ends the run with {@code verdict} unless it already ended; stops the timer. */
    public void complete(T verdict) {
        if (result.complete(verdict)) timer.cancel();
    }

    /**
     * Sends {@code command} with the remaining time as its timeout and runs {@code step} with the answer or the
     * failure (unwrapped: a {@link TransportException}, a {@link java.util.concurrent.RejectedExecutionException}…),
     * unless the run has ended by then: a late answer is released and the step never runs. The response is released
     * after {@code step} returns: a step reads what it needs and keeps no reference to the buffer. A step that throws
     * ends the run with the {@code onError} verdict.
     */
    public void send(ScsiCommand command, BiConsumer<ScsiResponse, Throwable> step) {
        if (done()) {
            if (command.dataOut() != null) command.dataOut().release();
            return;
        }
        long left = Math.max(MIN_COMMAND_NANOS, deadline - System.nanoTime());
        outstanding.incrementAndGet();
        CompletableFuture<ScsiResponse> f;
        try {
            f = path.submit(command.withTimeout(Duration.ofNanos(left)));
        } catch (RuntimeException e) {          // a transport that throws instead of failing the future
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, e) -> {
            outstanding.decrementAndGet();
            if (done()) {
                if (r != null) r.release();     // the late answer of a run that timed out
                return;
            }
            try {
                step.accept(r, e == null ? null : cause(e));
            } catch (RuntimeException bug) {
                complete(onError.apply(bug));
            } finally {
                if (r != null) r.release();
            }
        });
    }

    /** The cause inside a {@link CompletionException} or {@link ExecutionException}. */
    public static Throwable cause(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null)
            e = e.getCause();
        return e;
    }

    /** The transport's failure kind, or null when {@code e} is not a {@link TransportException}. */
    public static TransportException.Kind transportKind(Throwable e) {
        return cause(e) instanceof TransportException t ? t.kind() : null;
    }
}
