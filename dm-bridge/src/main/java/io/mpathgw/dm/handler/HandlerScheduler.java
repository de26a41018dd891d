package io.mpathgw.dm.handler;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The timer and clock hardware handlers run their delayed work on: the kernel's kaluad / kmpath_rdacd delayed work
 * (retry intervals, the 5 ms RTPG coalescing delay) and the guard that bounds every command. Handlers never block;
 * whatever waits, waits here.
 */
public interface HandlerScheduler {

    /** Runs {@code task} once after {@code delayMillis} (0: soon, never inline). Callable from any thread. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** The monotonic clock the transition deadlines are measured with. */
    long nanoTime();

    interface Cancellable {
        void cancel();
    }

    /** A scheduler on {@code executor}, timed by {@link System#nanoTime()}. */
    static HandlerScheduler of(ScheduledExecutorService executor) {
        return new HandlerScheduler() {
            @Override
            public Cancellable schedule(Runnable task, long delayMillis) {
                var f = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }
        };
    }
}
