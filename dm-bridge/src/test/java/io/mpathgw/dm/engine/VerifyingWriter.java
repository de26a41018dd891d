package io.mpathgw.dm.engine;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live map tests' load: one thread issuing write n to block n (its {@code pattern} names n), at most
 * {@code window} outstanding, one every {@code pauseNanos}; each acknowledged write is read back through the map
 * before its slot is free again, so a lost or stale write shows as an error. Stops at the device's last block.
 */
public final class VerifyingWriter implements Runnable {

    private final MultipathBlockDevice dev;
    private final int window;
    private final long pauseNanos;
    private final IntFunction<byte[]> pattern;
    private final Supplier<String> context;
    private final Thread runner;
    private final Semaphore slots;
    private final BitSet acked = new BitSet();
    private final AtomicInteger ackedCount = new AtomicInteger();
    private final AtomicInteger submitted = new AtomicInteger();
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final long limit;
    private volatile boolean stopping;

    /** @param context what the test adds to a failure message (map state, counters) */
    public VerifyingWriter(String name, MultipathBlockDevice dev, int window, long pauseNanos,
                           IntFunction<byte[]> pattern, Supplier<String> context) {
        this.dev = dev;
        this.window = window;
        this.pauseNanos = pauseNanos;
        this.pattern = pattern;
        this.context = context;
        this.runner = new Thread(this, name);
        this.slots = new Semaphore(window);
        this.limit = dev.blockCount();
    }

    public void start() {
        runner.setDaemon(true);
        runner.start();
    }

    @Override
    public void run() {
        try {
            while (!stopping && submitted.get() < limit) {
                slots.acquire();
                if (stopping) {
                    slots.release();
                    break;
                }
                write(submitted.getAndIncrement());  // counted first: n >= a count read earlier is issued later
                LockSupport.parkNanos(pauseNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(int n) {
        dev.write(n, Unpooled.wrappedBuffer(pattern.apply(n)), false).whenComplete((v, e) -> {
            if (e != null) {
                errors.add(new AssertionError("write " + n + " failed", e));
                slots.release();
                return;
            }
            synchronized (acked) {
                acked.set(n);
            }
            ackedCount.incrementAndGet();
            dev.read(n, 1).whenComplete((data, re) -> {
                if (re != null) errors.add(new AssertionError("read back " + n + " failed", re));
                else {
                    if (!Arrays.equals(ByteBufUtil.getBytes(data), pattern.apply(n)))
                        errors.add(new AssertionError("read back " + n + ": other data"));
                    data.release();
                }
                slots.release();
            });
        });
    }

    /** Stops issuing and waits for every outstanding write and read-back. */
    public void stop() throws Exception {
        stopping = true;
        runner.join(5000);
        assertThat(slots.tryAcquire(window, 10, TimeUnit.SECONDS)).as("writes outstanding; " + context.get()).isTrue();
    }

    /** Stops issuing without waiting (test teardown). */
    public void halt() {
        stopping = true;
    }

    public int submitted() {
        return submitted.get();
    }

    public int acked() {
        return ackedCount.get();
    }

    public int freeSlots() {
        return slots.availablePermits();
    }

    /** How many writes numbered n or later were acknowledged. */
    public int ackedAtOrAfter(int n) {
        synchronized (acked) {
            return acked.get(n, Math.max(n, acked.length())).cardinality();
        }
    }

    public boolean isAcked(int from, int to) {
        synchronized (acked) {
            return acked.get(from, to + 1).cardinality() == to - from + 1;
        }
    }

    public BitSet ackedSet() {
        synchronized (acked) {
            return (BitSet) acked.clone();
        }
    }

    public void assertNoErrors() {
        assertThat(errors).as("no write or read-back failed; " + context.get()).isEmpty();
    }
}
