package io.mpathgw.dm.engine;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MapThread} on a Netty {@link EventExecutor}: typically the event loop of the map's first session, so that
 * its completions reach the map without a hop to another thread (MultipathBlockDevice's requests and the other
 * sessions' completions still hop, through the loop's lock-free task queue). Everything the map does on its thread
 * is short and never blocks, as an event loop requires. The executor is not owned: it is not shut down here.
 */
public final class EventLoopMapThread implements MapThread {

    private final EventExecutor loop;

    public EventLoopMapThread(EventExecutor loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public boolean inThread() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        ScheduledFuture<?> f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "map thread on " + loop;
    }
}
