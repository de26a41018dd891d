package io.mpathgw.dm.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A {@link MapThread} on its own daemon thread (one per map, or shared by several maps). */
public final class ExecutorMapThread implements MapThread, AutoCloseable {

    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    public ExecutorMapThread(String threadName) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.prestartCoreThread();
        this.executor = ex;
    }

    @Override
    public boolean inThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        var f = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
