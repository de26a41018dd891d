package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.Errno;
import io.mpathgw.dm.table.MessageException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request mapping, completion, queueing and suspend (spec §4.2, §4.4, §4.6, §9 items 6–7). */
class MapIoTest {

    private static final String RR_2X2 =
            "1 queue_if_no_path 0 2 1 round-robin 0 2 0 8:16 8:32 round-robin 0 2 0 8:48 8:64";

    @Test
    void aPathErrorFailsThePathAndTheRequestGoesToAnother() throws Exception {
        MapHarness h = new MapHarness(RR_2X2);
        h.paths.failNext(BlkStatus.TRANSPORT);
        assertThat(h.read().status()).isEqualTo(BlkStatus.OK);
        assertThat(h.paths.sentTo()).containsExactly("8:16", "8:32");
        assertThat(h.log).containsExactly("device-mapper: multipath: 253:0: Failing path 8:16.");
        assertThat(h.status()).isEqualTo("2 0 0 0 2 1 A 0 2 0 8:16 F 1 8:32 A 0 E 0 2 0 8:48 A 0 8:64 A 0 ");
    }

    @Test
    void aTargetErrorGoesBackToTheCallerAndTheFailedPathStays() throws Exception {
        MapHarness h = new MapHarness(RR_2X2);
        h.paths.failNext(BlkStatus.MEDIUM);
        assertThat(h.read().status()).isEqualTo(BlkStatus.MEDIUM);
        assertThat(h.log).isEmpty();
        assertThat(h.status()).contains("8:16 A 0 8:32 A 0");
    }

    @Test
    void withoutQueueingTheLastPathErrorIsReturned() throws Exception {
        MapHarness h = new MapHarness("0 0 1 1 round-robin 0 1 0 8:16");
        h.paths.failNext(BlkStatus.TIMEOUT);
        assertThat(h.read().status()).isEqualTo(BlkStatus.TIMEOUT);
        assertThat(h.status()).isEqualTo("2 0 0 0 1 1 A 0 1 0 8:16 F 1 ");
    }

    @Test
    void queuedReadWaitsForAReinstatedPath() throws Exception {
        MapHarness h = new MapHarness(RR_2X2);
        for (String p : new String[]{"8:16", "8:32", "8:48", "8:64"}) h.message("fail_path " + p);
        TestRequest rq = h.submit();
        h.thread.advance(5000);
        assertThat(rq.done()).isFalse();
        assertThat(h.map.queuedRequests()).isEqualTo(1);
        h.message("reinstate_path 8:48");
        h.thread.advance(10);
        assertThat(rq.status()).isEqualTo(BlkStatus.OK);
        assertThat(h.paths.sentTo()).containsExactly("8:48");
    }

    @Test
    void failIfNoPathFailsTheQueuedRead() throws Exception {
        MapHarness h = new MapHarness("1 queue_if_no_path 0 1 1 round-robin 0 1 0 8:16");
        h.message("fail_path 8:16");
        TestRequest rq = h.submit();
        h.thread.advance(1000);
        h.message("fail_if_no_path");
        h.thread.advance(1);
        assertThat(rq.status()).isEqualTo(BlkStatus.IOERR);
    }

    @Test
    void flushSuspendDrainsQueuedIoAndResumeRestoresQueueing() throws Exception {
        MapHarness h = new MapHarness("1 queue_if_no_path 0 1 1 round-robin 0 1 0 8:16");
        h.message("fail_path 8:16");
        TestRequest rq = h.submit();
        h.thread.advance(300);
        var suspended = h.map.suspend(false).toCompletableFuture();
        h.thread.advance(1);
        assertThat(suspended).isDone();
        assertThat(rq.status()).isEqualTo(BlkStatus.IOERR);
        assertThat(h.map.table()).startsWith("0 0 1 1 ");
        assertThatThrownBy(() -> h.map.message(0, "queue_if_no_path"))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
        h.map.resume();
        assertThat(h.map.table()).startsWith("1 queue_if_no_path 0 1 1 ");
    }

    @Test
    void failIfNoPathWhileSuspendingIsNotUndoneByResume() throws Exception {
        MapHarness h = new MapHarness("1 queue_if_no_path 0 1 1 round-robin 0 1 0 8:16");
        h.paths.hold(true);
        TestRequest rq = h.submit();
        h.thread.advance(1);
        var suspended = h.map.suspend(false).toCompletableFuture();
        h.thread.advance(1);
        assertThat(suspended).as("waits for the request on the path").isNotDone();
        h.message("fail_if_no_path");
        h.paths.release();
        h.thread.advance(10);
        assertThat(suspended).isDone();
        assertThat(rq.status()).isEqualTo(BlkStatus.OK);
        h.map.resume();
        assertThat(h.map.table()).startsWith("0 0 1 1 ");
    }

    @Test
    void noflushSuspendKeepsQueueingAndHoldsNewIo() throws Exception {
        MapHarness h = new MapHarness("0 0 1 1 round-robin 0 1 0 8:16");
        h.map.suspend(true);
        h.thread.advance(1);
        assertThat(h.map.isSuspended()).isTrue();
        TestRequest rq = h.submit();
        h.thread.advance(1000);
        assertThat(rq.done()).isFalse();
        h.map.resume();
        h.thread.advance(10);
        assertThat(rq.status()).isEqualTo(BlkStatus.OK);
    }

    @Test
    void messageDeviceLookupErrors() throws Exception {
        MapHarness h = new MapHarness(RR_2X2);
        assertThatThrownBy(() -> h.message("fail_path 99:99"))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENXIO));
        assertThatThrownBy(() -> h.message("reinstate_path portal-z"))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
        assertThat(h.log).containsExactly("device-mapper: multipath: message: error getting device 99:99",
                "device-mapper: multipath: message: error getting device portal-z");
        assertThatThrownBy(() -> h.message("")).isInstanceOf(MessageException.class);
        assertThatThrownBy(() -> h.message("@stats_list")).isInstanceOf(MessageException.class);
    }

    @Test
    void eventsFollowStateChanges() throws Exception {
        MapHarness h = new MapHarness(RR_2X2);
        h.message("fail_path 8:16");
        h.message("fail_path 8:16");
        h.message("disable_group 2");
        h.message("switch_group 1");
        assertThat(h.map.eventNr()).isEqualTo(3);
    }

    @Test
    void theMapLivesOnItsThread() throws Exception {
        try (ExecutorMapThread thread = new ExecutorMapThread("map-test")) {
            MultipathDevice map = MultipathDevice.builder("m", 8, io.mpathgw.dm.table.MultipathTable.parse(
                            "0 0 1 1 round-robin 0 1 0 8:16"))
                    .thread(thread).log(DmLog.NONE)
                    .pathIo((p, rq, done) -> done.accept(BlkStatus.OK))
                    .build();
            assertThatThrownBy(map::status).isInstanceOf(IllegalStateException.class);
            CompletableFuture<BlkStatus> read = new CompletableFuture<>();
            thread.execute(() -> map.submit(new MapRequest() {
                public long nrBytes() {
                    return 512;
                }

                public void complete(BlkStatus s) {
                    read.complete(s);
                }
            }));
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(BlkStatus.OK);
            CompletableFuture<String> status = new CompletableFuture<>();
            thread.execute(() -> status.complete(map.status()));
            assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo("2 0 0 0 1 1 A 0 1 0 8:16 A 0 ");
        }
    }
}
