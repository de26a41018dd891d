package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.MapThread;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A {@link HandlerScheduler} with a virtual clock for tests: nothing runs until the test advances time, tasks due at
 * the same instant run in submission order, so every run is deterministic and a 60 s transition takes no real time.
 * {@link #mapThread()} is the same clock seen as an engine {@link MapThread}, so a map and its handlers share it.
 */
public final class VirtualScheduler implements HandlerScheduler {

    private static final long MS = 1_000_000L;

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000 * MS;
    private long seq;

    private static final class Task implements Comparable<Task>, Cancellable, MapThread.Cancellable {
        final long due;
        final long order;
        final Runnable run;
        boolean cancelled;

        Task(long due, long order, Runnable run) {
            this.due = due;
            this.order = order;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        return add(task, delayMillis);
    }

    private Task add(Runnable task, long delayMillis) {
        Task t = new Task(now + delayMillis * MS, seq++, task);
        tasks.add(t);
        return t;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Milliseconds since the start (the clock starts at 1 s). */
    public long millis() {
        return now / MS - 1_000;
    }

    /** Runs every task due by now + {@code millis}, each at its own instant, then sets the clock there. */
    public void advance(long millis) {
        long end = now + millis * MS;
        runUntilNanos(() -> false, end);
        now = end;
    }

    /** Runs tasks in time order until {@code done} holds or the clock would pass now + {@code maxMillis}. */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        return runUntilNanos(done, now + maxMillis * MS);
    }

    private boolean runUntilNanos(BooleanSupplier done, long end) {
        while (!done.getAsBoolean()) {
            Task t = tasks.peek();
            if (t == null || t.due > end) return false;
            tasks.poll();
            now = Math.max(now, t.due);
            if (!t.cancelled) t.run.run();
        }
        return true;
    }

    /** Tasks still waiting (cancelled ones excluded). */
    public long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    /** The same clock and queue as the engine's map thread (the test thread is the map thread). */
    public MapThread mapThread() {
        return new MapThread() {
            @Override
            public boolean inThread() {
                return true;
            }

            @Override
            public void execute(Runnable task) {
                add(task, 0);
            }

            @Override
            public MapThread.Cancellable schedule(Runnable task, long delayMillis) {
                return add(task, delayMillis);
            }

            @Override
            public long nanoTime() {
                return now;
            }
        };
    }
}
