package io.mpathgw.gateway.failover;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A verifying writer over one NBD connection: a QD-N stream of 4 KiB writes to random blocks of a region, each block
 * stamped with its block number and the write's sequence number (its generation) and filled with a pattern derived
 * from both. Never two writes to one block in flight at once, so the last acknowledged generation of a block is what
 * the array must hold at the end, or a later one that was sent but not acknowledged; anything older is a lost write
 * or a stale one that overwrote it ({@link StampCheck}). Every write is timed in an {@link OpLog}.
 */
final class StampStream implements AutoCloseable {

    static final int BLOCK = 4096;

    final OpLog log = new OpLog();
    final int blocks;
    /** Highest acknowledged generation per block (0: none). Written by the receiver only. */
    final AtomicLongArray acked;
    private final AtomicIntegerArray inFlight;
    private final ConcurrentHashMap<Long, Integer> pending = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private final NbdWireClient wire;
    private final Random random;
    private final boolean stopOnError;
    private final Thread sender, receiver;
    private volatile boolean running = true;
    private volatile Throwable broken;
    private long seq;

    /**
     * Starts writing at once.
     *
     * @param blocks      the region: blocks 0..blocks-1 of the export
     * @param depth       writes in flight (QD)
     * @param stopOnError stop sending after the first write that fails
     */
    StampStream(int nbdPort, String export, int blocks, int depth, long seed, boolean stopOnError) throws IOException {
        this.wire = new NbdWireClient(nbdPort, export);
        if (wire.exportSize < (long) blocks * BLOCK)
            throw new IllegalArgumentException("region of " + blocks + " blocks > export of " + wire.exportSize
                    + " bytes");
        this.blocks = blocks;
        this.acked = new AtomicLongArray(blocks);
        this.inFlight = new AtomicIntegerArray(blocks);
        this.slots = new Semaphore(depth);
        this.random = new Random(seed);
        this.stopOnError = stopOnError;
        this.sender = new Thread(this::send, "stamp-send-" + export);
        this.receiver = new Thread(this::receive, "stamp-recv-" + export);
        sender.setDaemon(true);
        receiver.setDaemon(true);
        receiver.start();
        sender.start();
    }

    /** Block {@code block}'s content for generation {@code gen}. */
    static byte[] stamp(int block, long gen) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        b.putLong(block).putLong(gen);
        long x = block * 0x9E3779B97F4A7C15L ^ gen;
        while (b.hasRemaining()) {
            x = mix(x);
            b.putLong(x);
        }
        return b.array();
    }

    private static long mix(long z) {                                    // splitmix64's finaliser
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void send() {
        try {
            while (running) {
                if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) continue;
                if (!running) break;
                int block = freeBlock();
                long gen = ++seq;
                byte[] data = stamp(block, gen);
                log.issued(gen, block, System.nanoTime());
                pending.put(gen, block);
                wire.write(gen, (long) block * BLOCK, data);
            }
        } catch (IOException | RuntimeException e) {
            if (running) broken = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int freeBlock() {
        while (true) {
            int b = random.nextInt(blocks);
            if (inFlight.compareAndSet(b, 0, 1)) return b;
        }
    }

    private void receive() {
        try {
            while (true) {
                NbdWireClient.Reply r = wire.reply();
                long now = System.nanoTime();
                Integer block = pending.remove(r.handle());
                if (block == null) throw new IOException("reply to unknown handle " + r.handle());
                boolean ok = r.error() == 0;
                if (ok && acked.get(block) < r.handle()) acked.set(block, r.handle());
                log.completed(r.handle(), ok, now);
                inFlight.set(block, 0);
                slots.release();
                if (!ok && stopOnError) running = false;
            }
        } catch (IOException | RuntimeException e) {
            if (running) broken = e;
            running = false;
        }
    }

    /** Stops sending and waits up to {@code drain} for the replies of what is in flight. */
    void stop(long drainMillis) throws InterruptedException {
        running = false;
        sender.join(2000);
        long end = System.currentTimeMillis() + drainMillis;
        while (!pending.isEmpty() && System.currentTimeMillis() < end && receiver.isAlive()) Thread.sleep(5);
    }

    boolean running() {
        return running;
    }

    /** Writes sent and not answered. */
    int pendingCount() {
        return pending.size();
    }

    /** When the oldest write still unanswered was sent (System.nanoTime), or 0 when none is. */
    long oldestPendingIssued() {
        long oldest = 0;
        for (Long seq : pending.keySet()) {
            long t = log.issuedAt(seq);
            if (oldest == 0 || t < oldest) oldest = t;
        }
        return oldest;
    }

    /** A broken connection or protocol error, or null. */
    Throwable broken() {
        return broken;
    }

    /** Writes answered OK. */
    long okCount() {
        long n = log.last(), ok = 0;
        for (long s = 1; s <= n; s++) if (log.status(s) == OpLog.OK) ok++;
        return ok;
    }

    @Override
    public void close() {
        running = false;
        wire.close();
    }
}
