package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.Portal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A portal going down and up again and again ({@link ArraySimulator#flap}): up for a time drawn uniformly from
 * [minUp, maxUp], then killed (RST, refused connects) for one from [minDown, maxDown]. The times come from a seeded
 * {@link Random}, drawn up, down, up, down…, so the same seed replays the same pattern; {@link #history()} lists the
 * phases run so far. {@link #stop()} ends it with the portal up.
 */
public final class Flapper {

    private static final Logger LOG = Logger.getLogger(Flapper.class.getName());

    private final Portal portal;
    private final Random random;
    private final long minUp, maxUp, minDown, maxDown;
    private final ScheduledExecutorService scheduler;
    private final List<String> history = new ArrayList<>();       // guarded by this
    private ScheduledFuture<?> next;                               // guarded by this
    private boolean stopped;                                       // guarded by this

    Flapper(Portal portal, Random random, Duration minUp, Duration maxUp, Duration minDown, Duration maxDown,
            ScheduledExecutorService scheduler) {
        check("up", minUp, maxUp);
        check("down", minDown, maxDown);
        this.portal = portal;
        this.random = random;
        this.minUp = minUp.toMillis();
        this.maxUp = maxUp.toMillis();
        this.minDown = minDown.toMillis();
        this.maxDown = maxDown.toMillis();
        this.scheduler = scheduler;
    }

    private static void check(String phase, Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0)
            throw new IllegalArgumentException(phase + " time: " + min + ".." + max + " (expected: 0 <= min <= max)");
    }

    /**
     * The first {@code n} phase lengths in milliseconds a flapper with {@code random} would use: up, down, up, …
     * (for checking that a seed replays).
     */
    static List<Long> plan(Random random, Duration minUp, Duration maxUp, Duration minDown, Duration maxDown, int n) {
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            out.add(i % 2 == 0 ? draw(random, minUp.toMillis(), maxUp.toMillis())
                    : draw(random, minDown.toMillis(), maxDown.toMillis()));
        return out;
    }

    private static long draw(Random r, long min, long max) {
        return min + (max == min ? 0 : (long) (r.nextDouble() * (max - min + 1)));
    }

    synchronized void start() {
        up();
    }

    /** Schedules the end of an up phase. */
    private synchronized void up() {
        if (stopped) return;
        long ms = draw(random, minUp, maxUp);
        history.add("up " + ms + "ms");
        next = scheduler.schedule(this::goDown, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void goDown() {
        if (stopped) return;
        long ms = draw(random, minDown, maxDown);
        history.add("down " + ms + "ms");
        portal.kill();
        next = scheduler.schedule(this::goUp, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void goUp() {
        if (stopped) return;
        revive();
        up();
    }

    private void revive() {
        try {
            portal.revive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warning("flapping portal " + portal.describe() + " did not come back: " + e);
        }
    }

    /** Phases run so far: {@code "up 412ms"}, {@code "down 87ms"}, … */
    public synchronized List<String> history() {
        return List.copyOf(history);
    }

    /** Stops flapping and leaves the portal up. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        if (next != null) next.cancel(false);
        if (portal.killed()) revive();
    }
}
