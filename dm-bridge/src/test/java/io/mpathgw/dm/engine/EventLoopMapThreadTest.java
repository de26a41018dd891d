package io.mpathgw.dm.engine;

import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A map's thread on a Netty event loop: tasks run on the loop, timers fire or are cancelled, in order. */
class EventLoopMapThreadTest {

    final DefaultEventLoop loop = new DefaultEventLoop();
    final EventLoopMapThread thread = new EventLoopMapThread(loop);

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void tasksRunOnTheLoopInOrderAndCancelledTimersNever() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> inThread = new CompletableFuture<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        assertThat(thread.inThread()).isFalse();

        thread.execute(() -> inThread.complete(thread.inThread()));
        thread.execute(() -> ran.add("first"));
        MapThread.Cancellable never = thread.schedule(() -> ran.add("cancelled"), 20);
        thread.schedule(() -> ran.add("timer"), 30);
        thread.schedule(() -> last.complete(null), 60);
        thread.execute(() -> ran.add("second"));
        never.cancel();

        last.get(5, TimeUnit.SECONDS);
        assertThat(inThread.get()).isTrue();
        assertThat(ran).containsExactly("first", "second", "timer");
    }

    /** A map built on the loop takes requests there; its scripted path completes them on the same loop. */
    @Test
    void aMapRunsOnTheLoop() throws Exception {
        CompletableFuture<BlkStatus> status = new CompletableFuture<>();
        MultipathDevice m = MultipathDevice.builder("mpatha", 8, io.mpathgw.dm.table.MultipathTable.parse(
                        "0 0 1 1 round-robin 0 1 1 p0 1")).thread(thread)
                .pathIo((p, rq, done) -> loop.execute(() -> done.accept(BlkStatus.OK))).log(l -> { }).build();
        thread.execute(() -> m.submit(new MapRequest() {
            @Override
            public long nrBytes() {
                return 512;
            }

            @Override
            public void complete(BlkStatus s) {
                status.complete(thread.inThread() ? s : null);
            }
        }));
        assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo(BlkStatus.OK);
    }
}
