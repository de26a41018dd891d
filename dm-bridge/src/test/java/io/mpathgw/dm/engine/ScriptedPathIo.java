package io.mpathgw.dm.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Paths for tests: each request completes OK after {@value #SERVICE_MS} virtual ms, unless the test holds
 * completions (a slow device) or scripts a status; remembers which path each request went to.
 */
final class ScriptedPathIo implements PathIo {

    static final long SERVICE_MS = 1;

    private final MapThread thread;
    private final List<String> sentTo = new ArrayList<>();
    private final List<Runnable> heldCompletions = new ArrayList<>();
    private boolean hold;
    private BlkStatus next = BlkStatus.OK;

    ScriptedPathIo(MapThread thread) {
        this.thread = thread;
    }

    @Override
    public void submit(Path path, MapRequest request, Done done) {
        sentTo.add(path.name());
        BlkStatus s = next;
        next = BlkStatus.OK;
        Runnable complete = () -> done.accept(s);
        if (hold) heldCompletions.add(complete);
        else thread.schedule(complete, SERVICE_MS);
    }

    /** Keep completions until {@link #release()}: the device answers slowly. */
    void hold(boolean on) {
        hold = on;
    }

    /** The next request ends with {@code s} instead of OK. */
    void failNext(BlkStatus s) {
        next = s;
    }

    void release() {
        hold = false;
        heldCompletions.forEach(c -> thread.schedule(c, SERVICE_MS));
        heldCompletions.clear();
    }

    List<String> sentTo() {
        return sentTo;
    }
}
