package io.mpathgw.dm.engine;

/**
 * The one thread that owns a map's state (ARCHITECTURE: each map's mutable state is touched from one thread, so
 * selectors, queues and path states need no locks). Every method of {@link MultipathDevice} runs on it; completions
 * arriving from other threads are handed over with {@link #execute}.
 */
public interface MapThread {

    boolean inThread();

    /**
     * Runs {@code task} on the map thread, after the current task. Callable from any thread; what the caller did
     * before happens-before the task runs (as for an {@link java.util.concurrent.Executor}), which the engine relies
     * on to hand a path's outcome over in plain fields.
     */
    void execute(Runnable task);

    /** Runs {@code task} on the map thread after {@code delayMillis}. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** The monotonic clock selectors are timed with (System.nanoTime() outside tests). */
    long nanoTime();

    interface Cancellable {
        void cancel();
    }
}
