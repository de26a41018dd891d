package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MultipathTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * multipath_busy (spec §4.9) as {@link MultipathDevice#busy()}: busy while pg_init runs; without a valid path and
 * with queue_if_no_path only for a bio map; otherwise only when every active path of the next group is at its
 * transport's queue depth (refused a command with back-pressure and still has requests in flight). A busy map makes
 * its {@link MultipathBlockDevice} unwritable.
 */
class MultipathBusyTest {

    /** What a path does with one request: end with {@code status} after 1 virtual ms, or hold it until released. */
    record Step(BlkStatus status, boolean hold) {
        static final Step HOLD = new Step(null, true);
        static final Step REFUSE = new Step(BlkStatus.DEV_RESOURCE, false);
    }

    final VirtualMapThread thread = new VirtualMapThread();
    final Map<String, Deque<Step>> scripts = new HashMap<>();
    final List<Runnable> held = new ArrayList<>();
    final List<String> sentTo = new ArrayList<>();
    final List<String> busyChanges = new ArrayList<>();
    /** Activations complete OK after this many virtual ms. */
    long activationMillis = 50;

    final PathIo pathIo = (path, request, done) -> {
        sentTo.add(path.name());
        Step s = scripts.computeIfAbsent(path.name(), n -> new ArrayDeque<>()).poll();
        if (s != null && s.hold()) held.add(() -> done.accept(BlkStatus.OK));
        else thread.schedule(() -> done.accept(s == null ? BlkStatus.OK : s.status()), 1);
    };

    MultipathDevice map(String table) throws Exception {
        MultipathDevice m = MultipathDevice.builder("mpatha", 2048, MultipathTable.parse(table)).devName("253:0")
                .thread(thread).pathIo(pathIo).log(l -> { })
                .activator((p, done) -> thread.schedule(() -> done.accept(ScsiDh.OK), activationMillis)).build();
        m.addBusyListener(() -> busyChanges.add(m.busyNow() ? "busy" : "idle"));
        return m;
    }

    void script(String path, Step... steps) {
        scripts.computeIfAbsent(path, n -> new ArrayDeque<>()).addAll(List.of(steps));
    }

    TestRequest submit(MultipathDevice m) {
        TestRequest rq = new TestRequest(4096);
        m.submit(rq);
        return rq;
    }

    void releaseHeld() {
        held.forEach(r -> thread.schedule(r, 1));
        held.clear();
    }

    @Test
    void busyWhilePgInitRunsThenIdle() throws Exception {
        MultipathDevice m = map("0 1 alua 1 1 round-robin 0 2 0 p0 p1");
        assertThat(m.busy()).as("before the first request: no pg_init yet").isFalse();

        TestRequest rq = submit(m);

        assertThat(m.busy()).isTrue();
        assertThat(m.busyNow()).isTrue();
        thread.advance(activationMillis - 1);
        assertThat(m.busy()).as("both activations still running").isTrue();
        thread.advance(10);
        assertThat(m.busy()).isFalse();
        assertThat(rq.status()).isEqualTo(BlkStatus.OK);
        assertThat(busyChanges).containsExactly("busy", "idle");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1 queue_if_no_path, false",
        "3 queue_if_no_path queue_mode mq, false",
        "3 queue_if_no_path queue_mode rq, false",
        "3 queue_if_no_path queue_mode bio, true",
        "2 queue_mode bio, false"})
    void withoutAValidPathOnlyAQueueingBioMapIsBusy(String features, boolean busy) throws Exception {
        MultipathDevice m = map(features + " 0 1 1 round-robin 0 2 0 p0 p1");
        m.message(0, "fail_path p0");
        m.message(0, "fail_path p1");
        TestRequest rq = submit(m);
        thread.advance(1);

        assertThat(m.busy()).isEqualTo(busy);
        assertThat(m.busyNow()).isEqualTo(busy);
        assertThat(rq.done()).as("held while queueing, failed otherwise").isEqualTo(!features.contains("queue_if"));
    }

    /**
     * p0 and p1 each hold a request; then each refuses one for a full queue. Only when both have refused (and
     * still hold theirs) is the map busy; the next completion on either ends it.
     */
    @Test
    void busyOnlyWhileEveryActivePathOfTheGroupIsFull() throws Exception {
        MultipathDevice m = map("0 0 1 1 round-robin 0 2 1 p0 1 p1 1");
        script("p0", Step.HOLD, Step.REFUSE);
        script("p1", Step.HOLD, Step.REFUSE);
        TestRequest a = submit(m);
        TestRequest b = submit(m);
        TestRequest c = submit(m);
        assertThat(sentTo).containsExactly("p0", "p1", "p0");

        thread.runUntil(() -> sentTo.size() == 4 && !m.busy(), 10);
        assertThat(m.busy()).as("p0 refused, but p1 can still be chosen").isFalse();
        thread.runUntil(m::busyNow, 10);
        assertThat(sentTo).containsExactly("p0", "p1", "p0", "p1");
        assertThat(m.busy()).as("both refused and both still hold a request").isTrue();

        thread.runUntil(c::done, 100);
        assertThat(c.status()).as("retried until a path took it").isEqualTo(BlkStatus.OK);
        assertThat(m.busy()).isFalse();
        releaseHeld();
        thread.advance(2);
        assertThat(a.status()).isEqualTo(BlkStatus.OK);
        assertThat(b.status()).isEqualTo(BlkStatus.OK);
        assertThat(busyChanges).containsExactly("busy", "idle");
    }

    @Test
    void aPathThatRefusedButHoldsNothingOfOursIsNotBusy() throws Exception {
        MultipathDevice m = map("0 0 1 1 round-robin 0 1 1 p0 1");
        script("p0", Step.REFUSE, Step.REFUSE);
        TestRequest rq = submit(m);
        thread.runUntil(rq::done, 100);

        assertThat(rq.status()).isEqualTo(BlkStatus.OK);
        assertThat(sentTo).containsExactly("p0", "p0", "p0");
        assertThat(busyChanges).as("nothing in flight could ever clear it: never busy").isEmpty();
    }

    @Test
    void aGroupWithoutAnActivePathIsNotBusy() throws Exception {
        MultipathDevice m = map("0 0 2 1 round-robin 0 1 1 p0 1 round-robin 0 1 1 p1 1");
        script("p0", Step.HOLD);
        submit(m);
        m.message(0, "fail_path p0");

        assertThat(m.busy()).as("PG 1 is current but has no active path: the next mapping switches").isFalse();
    }

    /** pg_init makes the block device unwritable; an export waiting with whenWritable() resumes when it ends. */
    @Test
    void aBusyMapIsNotWritable() throws Exception {
        MultipathDevice m = map("0 1 alua 1 1 round-robin 0 1 0 p0");
        MultipathBlockDevice dev = MultipathBlockDevice.builder(m).build();
        List<Boolean> writability = new ArrayList<>();
        dev.addWritabilityListener(() -> writability.add(dev.writable()));

        CompletableFuture<Void> flush = dev.flush();
        thread.advance(1);
        CompletableFuture<Void> room = dev.whenWritable();

        assertThat(dev.writable()).isFalse();
        assertThat(room).isNotDone();
        thread.runUntil(flush::isDone, 1_000);
        assertThat(flush).isCompleted();
        assertThat(room).isCompleted();
        assertThat(dev.writable()).isTrue();
        assertThat(writability).containsExactly(false, true);
    }
}
