package io.mpathgw.dm.engine;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A map thread for tests: the test thread itself, with a virtual clock. Nothing runs until the test advances time,
 * so every run is deterministic; tasks due at the same instant run in submission order.
 */
final class VirtualMapThread implements MapThread {

    private static final long MS = 1_000_000L;

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000 * MS;
    private long seq;

    private static final class Task implements Comparable<Task>, Cancellable {
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
    public boolean inThread() {
        return true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        Task t = new Task(now + delayMillis * MS, seq++, task);
        tasks.add(t);
        return t;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Runs every task due by now + {@code millis}, each at its own instant, then sets the clock there. */
    void advance(long millis) {
        long end = now + millis * MS;
        runUntilNanos(() -> false, end);
        now = end;
    }

    /** Runs tasks in time order until {@code done} holds (true) or the clock would pass now + {@code maxMillis}. */
    boolean runUntil(BooleanSupplier done, long maxMillis) {
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
}
