package io.mpathgw.dm.engine;

import io.mpathgw.dm.table.MessageException;
import io.mpathgw.dm.table.MultipathTable;
import io.mpathgw.dm.table.TableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Table reload of a running map (multipath-tools' TABLE_LOAD + noflush resume; spec §1.8, §4.6): drain, swap,
 * resume, on a virtual map thread with scripted paths, so every interleaving is exact. The kernel-golden data has no
 * reload case; a reload builds a new target (multipath_ctr), so with {@link TableReload.PathStates#FRESH} the status
 * after a reload must be the golden status right after a load, which {@link #freshReloadOfEveryGoldenTable} checks
 * for every table of tables-status.golden.
 */
class MultipathDeviceReloadTest {

    static final long LENGTH = 2097152;
    /** The kernel-golden sequences' table, and its status right after load (README §2a.1). */
    static final String T1 = "1 queue_if_no_path 0 2 1 round-robin 0 2 1 8:16 1 8:32 1 round-robin 0 2 1 8:48 1 8:64 1";
    static final String T1_LOADED = "2 1 0 0 2 1 E 0 2 0 8:16 A 0 8:32 A 0 E 0 2 0 8:48 A 0 8:64 A 0 ";
    static final String T1_AFTER_READ = "2 0 0 0 2 1 A 0 2 0 8:16 A 0 8:32 A 0 E 0 2 0 8:48 A 0 8:64 A 0 ";

    final VirtualMapThread thread = new VirtualMapThread();
    final ScriptedPathIo paths = new ScriptedPathIo(thread);
    final List<String> log = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<String> activated = new ArrayList<>();
    MultipathDevice map;

    MultipathDevice load(String params) throws TableException {
        map = MultipathDevice.builder("mpatha", LENGTH, MultipathTable.parse(params)).devName("253:0")
                .thread(thread).pathIo(paths).log(log::add).events(recorder())
                .activator((p, done) -> {
                    activated.add(p.name());
                    thread.schedule(() -> done.accept(ScsiDh.OK), 5);
                }).build();
        return map;
    }

    MapEvents recorder() {
        return new MapEvents() {
            @Override
            public void tableLoaded(long mapLoads) {
                events.add("loaded " + mapLoads + " [" + map.status() + "]");
            }

            @Override
            public void pathFailed(Path path, String cause, int nrValidPaths) {
                events.add("failed " + path + " (" + cause + ") valid " + nrValidPaths);
            }

            @Override
            public void queueIfNoPath(boolean on, String cause) {
                events.add("queue_if_no_path " + on + " (" + cause + ")");
            }
        };
    }

    TestRequest submit() {
        TestRequest rq = new TestRequest(4096);
        map.submit(rq);
        return rq;
    }

    TestRequest read() {
        TestRequest rq = submit();
        assertThat(thread.runUntil(rq::done, 30_000)).as("read done; status %s", map.status()).isTrue();
        assertThat(rq.status()).isEqualTo(BlkStatus.OK);
        return rq;
    }

    void message(String text) throws MessageException {
        map.message(0, text);
    }

    /** Runs the map until the stage completes (10 virtual s at most); its failure as an exception. */
    static <T> T finish(VirtualMapThread thread, CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        thread.runUntil(f::isDone, 10_000);
        assertThat(f).as("reload completed").isDone();
        return f.join();
    }

    Throwable refusal(CompletionStage<?> stage) {
        CompletableFuture<?> f = stage.toCompletableFuture();
        assertThat(f).as("refused at once").isCompletedExceptionally();
        Throwable t = catchThrowable(f::join);
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    static TableReload fresh(String params) throws TableException {
        return TableReload.of(LENGTH, MultipathTable.parse(params)).pathStates(TableReload.PathStates.FRESH);
    }

    static TableReload kept(String params) throws TableException {
        return TableReload.of(LENGTH, MultipathTable.parse(params));
    }

    // ------------------------------------------------------------------ state after a reload

    @Test
    void aFreshReloadLooksLikeTheKernelsNewTarget() throws Exception {
        load(T1);
        read();
        message("fail_path 8:16");
        message("reinstate_path 8:16");
        message("fail_path 8:16");
        message("switch_group 2");
        read();
        assertThat(map.status()).isEqualTo("2 0 0 0 2 2 E 0 2 0 8:16 F 2 8:32 A 0 A 0 2 0 8:48 A 0 8:64 A 0 ");
        long eventNr = map.eventNr();

        finish(thread, map.reload(fresh(T1)));

        assertThat(map.status()).isEqualTo(T1_LOADED);
        assertThat(map.table()).isEqualTo(MultipathTable.parse(T1).toString());
        assertThat(map.mapLoads()).isEqualTo(2);
        assertThat(map.eventNr()).as("event_nr is the device's; a reload does not raise it").isEqualTo(eventNr);
        assertThat(events).contains("loaded 2 [" + T1_LOADED + "]");
        assertThat(map.isReloading()).isFalse();
        read();
        assertThat(map.status()).isEqualTo(T1_AFTER_READ);
    }

    @Test
    void pathsKnownDownAreFailedBeforeResumeAsMultipathdsFailPathWould() throws Exception {
        load(T1);
        read();
        log.clear();
        finish(thread, map.reload(fresh(T1).failing(Set.of("8:16", "8:48"))));

        assertThat(map.status()).isEqualTo("2 1 0 0 2 1 E 0 2 0 8:16 F 1 8:32 A 0 E 0 2 0 8:48 F 1 8:64 A 0 ");
        assertThat(log).containsExactly("device-mapper: multipath: 253:0: Failing path 8:16.",
                "device-mapper: multipath: 253:0: Failing path 8:48.");
        assertThat(events).containsSubsequence("failed 8:16 (known down at reload) valid 3",
                "failed 8:48 (known down at reload) valid 2",
                "loaded 2 [2 1 0 0 2 1 E 0 2 0 8:16 F 1 8:32 A 0 E 0 2 0 8:48 F 1 8:64 A 0 ]");
        int before = paths.sentTo().size();
        for (int i = 0; i < 4; i++) read();
        assertThat(paths.sentTo().subList(before, before + 4)).as("no I/O to a path failed at reload")
                .containsOnly("8:32");
    }

    @Test
    void keptStatesFollowTheDeviceNotItsPosition() throws Exception {
        load(T1);
        read();
        message("fail_path 8:16");
        message("reinstate_path 8:16");
        message("fail_path 8:16");
        message("fail_path 8:48");
        // 8:32 leaves, 8:80 comes, 8:48 moves to PG 1, the selectors change, queue_if_no_path goes
        String t2 = "0 0 2 1 service-time 0 2 2 8:48 1 1 8:80 1 1 round-robin 0 2 1 8:16 1 8:64 1";

        finish(thread, map.reload(kept(t2)));

        assertThat(map.status()).isEqualTo("2 1 0 0 2 1 E 0 2 2 8:48 F 1 0 1 8:80 A 0 0 1 E 0 2 0 8:16 F 2 8:64 A 0 ");
        assertThat(map.table()).isEqualTo(MultipathTable.parse(t2).toString());
        assertThat(map.queueIfNoPath()).isFalse();
        assertThat(map.nrValidPaths()).isEqualTo(2);
        assertThat(events).contains("queue_if_no_path false (table reload)");
        read();
        assertThat(paths.sentTo().get(paths.sentTo().size() - 1)).isEqualTo("8:80");
        assertThat(map.currentGroup().pgNum()).isEqualTo(1);
        assertThat(map.groupState(map.groups().get(0))).isEqualTo('A');
        assertThat(map.groupState(map.groups().get(1))).isEqualTo('E');

        message("fail_path 8:80");      // the new path is known to messages…
        assertThat(map.status()).contains("8:80 F 1");
        Throwable gone = catchThrowable(() -> message("fail_path 8:32"));     // …the removed one is not
        assertThat(gone).isInstanceOf(MessageException.class);
    }

    @Test
    void statesLearnedOnAReloadedTableAreKeptByTheNextReload() throws Exception {
        load("1 queue_if_no_path 0 1 1 round-robin 0 3 1 p0 1 p1 1 p2 1");
        read();
        finish(thread, map.reload(kept("1 queue_if_no_path 0 1 1 round-robin 0 3 1 p0 1 p1 1 p3 1")));
        for (int i = 0; i < 3; i++) {
            paths.failNext(BlkStatus.TRANSPORT);
            submit();
            thread.advance(5);
        }
        assertThat(map.status()).isEqualTo("2 0 0 0 1 1 E 0 3 0 p0 F 1 p1 F 1 p3 F 1 ");
        finish(thread, map.reload(kept("1 queue_if_no_path 0 1 1 round-robin 0 3 1 p0 1 p3 1 p2 1")));
        assertThat(map.status()).isEqualTo("2 1 0 0 1 1 E 0 3 0 p0 F 1 p3 F 1 p2 A 0 ");
    }

    // ------------------------------------------------------------------ requests across a reload

    @Test
    void queuedRequestsAreKeptAndFlowOnTheNewTable() throws Exception {
        load(T1);
        for (String p : List.of("8:16", "8:32", "8:48", "8:64")) message("fail_path " + p);
        List<TestRequest> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) queued.add(submit());
        thread.advance(1000);
        assertThat(queued).noneMatch(TestRequest::done);
        assertThat(map.queuedRequests()).isEqualTo(5);
        int before = paths.sentTo().size();

        // 8:16 stays failed, 8:80 is new: the queued requests may go there only
        CompletionStage<Void> reload = map.reload(kept("1 queue_if_no_path 0 1 1 round-robin 0 2 1 8:16 1 8:80 1"));
        finish(thread, reload);
        thread.runUntil(() -> queued.stream().allMatch(TestRequest::done), 5000);

        assertThat(queued).allMatch(r -> r.status() == BlkStatus.OK);
        assertThat(paths.sentTo().subList(before, paths.sentTo().size())).hasSize(5).containsOnly("8:80");
        assertThat(map.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 8:16 F 1 8:80 A 0 ");
    }

    @Test
    void queuedRequestsStayQueuedWhenTheNewTableHasNoValidPathEither() throws Exception {
        load(T1);
        for (String p : List.of("8:16", "8:32", "8:48", "8:64")) message("fail_path " + p);
        List<TestRequest> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) queued.add(submit());
        finish(thread, map.reload(kept("1 queue_if_no_path 0 1 1 round-robin 0 2 1 8:16 1 8:80 1")
                .failing(Set.of("8:80"))));
        thread.advance(2000);
        assertThat(queued).as("queued, not failed: queue_if_no_path").noneMatch(TestRequest::done);
        assertThat(map.queuedRequests()).isEqualTo(3);

        message("reinstate_path 8:80");
        thread.runUntil(() -> queued.stream().allMatch(TestRequest::done), 5000);
        assertThat(queued).allMatch(r -> r.status() == BlkStatus.OK);
    }

    @Test
    void inFlightRequestsDrainBeforeTheSwapAndNewOnesWaitForTheResume() throws Exception {
        load(T1);
        paths.hold(true);                   // the old paths answer only when released
        paths.failNext(BlkStatus.TRANSPORT);    // and the first will fail: requeued, not failed (noflush)
        List<TestRequest> rqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) rqs.add(submit());
        thread.advance(10);
        assertThat(paths.sentTo()).containsExactly("8:16", "8:32", "8:16");
        assertThat(map.inFlightRequests()).isEqualTo(3);

        // the new table has neither 8:16 nor 8:32
        CompletableFuture<Void> reload = map.reload(kept("0 0 1 1 round-robin 0 2 1 8:48 1 8:64 1"))
                .toCompletableFuture();
        thread.advance(1000);
        assertThat(reload).as("waits for the requests on the old paths").isNotDone();
        assertThat(map.isReloading()).isTrue();
        for (int i = 0; i < 2; i++) rqs.add(submit());     // arrive while suspending: held
        thread.advance(1000);
        assertThat(paths.sentTo()).hasSize(3);
        assertThat(map.queuedRequests()).isEqualTo(2);
        Throwable second = refusal(map.reload(kept(T1)));
        assertThat(second).isInstanceOf(IllegalStateException.class)
                .hasMessage("map mpatha: a reload is in progress (expected: one at a time; reload again when it completed)");

        paths.release();
        finish(thread, reload);
        thread.runUntil(() -> rqs.stream().allMatch(TestRequest::done), 5000);

        assertThat(rqs).allMatch(r -> r.status() == BlkStatus.OK);
        assertThat(paths.sentTo().subList(3, paths.sentTo().size())).hasSize(3).containsOnly("8:48", "8:64");
        assertThat(events).containsSubsequence("failed 8:16 (I/O error TRANSPORT) valid 3", "loaded 2 [2 1 0 0 1 1 E 0 2 0 8:48 A 0 8:64 A 0 ]");
        assertThat(map.status()).isEqualTo("2 0 0 0 1 1 A 0 2 0 8:48 A 0 8:64 A 0 ");
    }

    // ------------------------------------------------------------------ pg_init and queueing state

    @Test
    void pgInitStartsOverAsAfterALoad() throws Exception {
        String alua = "0 1 alua 2 1 round-robin 0 1 1 8:16 1 round-robin 0 1 1 8:32 1";
        load(alua);
        read();
        assertThat(map.status()).isEqualTo("2 0 1 0 2 1 A 0 1 0 8:16 A 0 E 0 1 0 8:32 A 0 ");
        assertThat(activated).containsExactly("8:16");

        TestRequest during = submit();          // on the old table: the reload waits for it
        CompletableFuture<Void> reload = map.reload(fresh(alua.replace("2 1 round", "2 2 round")))
                .toCompletableFuture();
        finish(thread, reload);
        assertThat(during.status()).isEqualTo(BlkStatus.OK);
        assertThat(map.status()).isEqualTo("2 1 0 0 2 2 E 0 1 0 8:16 A 0 E 0 1 0 8:32 A 0 ");
        read();
        assertThat(activated).as("the new table's initial group is initialised").containsExactly("8:16", "8:32");
        assertThat(map.status()).isEqualTo("2 0 1 0 2 2 E 0 1 0 8:16 A 0 A 0 1 0 8:32 A 0 ");
    }

    @Test
    void aReloadWaitsForARunningActivation() throws Exception {
        load("0 1 alua 1 1 round-robin 0 2 1 8:16 1 8:32 1");
        TestRequest first = submit();           // starts pg_init: two activations, 5 ms each
        CompletableFuture<Void> reload = map.reload(kept("0 1 alua 1 1 round-robin 0 1 1 8:32 1"))
                .toCompletableFuture();
        assertThat(reload).isNotDone();
        finish(thread, reload);
        assertThat(activated).containsExactly("8:16", "8:32");
        thread.runUntil(first::done, 5000);
        assertThat(first.status()).isEqualTo(BlkStatus.OK);
        assertThat(activated).containsExactly("8:16", "8:32", "8:32");
        assertThat(paths.sentTo()).containsExactly("8:32");
    }

    @Test
    void disabledQueueingStaysOffAcrossAReload() throws Exception {
        map = MultipathDevice.builder("mpatha", LENGTH, MultipathTable.parse(T1)).thread(thread).pathIo(paths)
                .log(log::add).events(recorder()).noPathRetry(NoPathRetry.QUEUE, Duration.ofSeconds(5)).build();
        map.disableQueueing();
        finish(thread, map.reload(kept(T1)));
        assertThat(map.queueIfNoPath()).isFalse();
        assertThat(map.table()).startsWith("0 0 2 1 ");
        map.restoreQueueing();
        assertThat(map.table()).startsWith("1 queue_if_no_path 0 2 1 ");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void refusalsLeaveTheMapAsItWas() throws Exception {
        load(T1);
        read();
        String status = map.status();

        assertThat(refusal(map.reload(TableReload.of(1000, MultipathTable.parse(T1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("map mpatha: reload length: 1000 sectors"
                        + " (expected: 2097152, the map's length; a reload does not resize)");
        assertThat(refusal(map.reload(kept("2 queue_mode bio 0 1 1 round-robin 0 1 1 8:16 1"))))
                .isInstanceOf(TableException.class)
                .hasMessage("can't change device type (old=2 vs new=1) after initial table load.");
        assertThat(log).containsExactly(
                "device-mapper: ioctl: can't change device type (old=2 vs new=1) after initial table load.");
        assertThat(refusal(map.reload(kept(T1).failing(Set.of("8:99")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("map mpatha: reload failed path: '8:99'"
                        + " (expected: a path of the new table: 8:16, 8:32, 8:48, 8:64)");
        map.suspend(true);
        thread.advance(10);
        assertThat(refusal(map.reload(kept(T1)))).isInstanceOf(IllegalStateException.class)
                .hasMessage("map mpatha is suspended (expected: a running map; resume it before a reload)");
        map.resume();

        assertThat(map.status()).isEqualTo(status);
        assertThat(map.mapLoads()).isEqualTo(1);
        assertThat(map.isReloading()).isFalse();
    }

    @Test
    void reloadAsyncHopsOntoTheMapThread() throws Exception {
        load(T1);
        CompletableFuture<Void> ok = map.reloadAsync(fresh(T1).failing(Set.of("8:64")));
        assertThat(ok).as("nothing runs before the map thread does").isNotDone();
        thread.runUntil(ok::isDone, 1000);
        assertThat(ok).isCompleted();
        assertThat(map.status()).isEqualTo("2 1 0 0 2 1 E 0 2 0 8:16 A 0 8:32 A 0 E 0 2 0 8:48 A 0 8:64 F 1 ");
        CompletableFuture<Void> refused = map.reloadAsync(TableReload.of(8, MultipathTable.parse(T1)));
        thread.runUntil(refused::isDone, 1000);
        assertThat(refused).isCompletedExceptionally();
        assertThat(map.mapLoads()).isEqualTo(2);
    }

    @Test
    void aHandlerNeedsTheActivatorTheMapWasBuiltWith() throws Exception {
        map = MultipathDevice.builder("mpatha", LENGTH, MultipathTable.parse("0 0 1 1 round-robin 0 1 1 8:16 1"))
                .thread(thread).pathIo(paths).log(log::add).build();
        assertThat(refusal(map.reload(kept("0 1 alua 1 1 round-robin 0 1 1 8:16 1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("map mpatha: hardware handler alua (expected: a map built with an activator to run pg_init)");
    }

    // ------------------------------------------------------------------ kernel-golden

    static List<String> goldenLines() throws Exception {
        return LoadStatusGoldenTest.golden().map(a -> a.get()[0] + "|" + a.get()[1]).toList();
    }

    /**
     * Every table of tables-status.golden, loaded by a reload into a map that did I/O and failed 8:16 under an
     * older table of the same queue_mode: with FRESH path states the status is the kernel's right after a load; with
     * KEPT it differs only in 8:16's state (F, fail_count 1).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenLines")
    void freshReloadOfEveryGoldenTable(String line) throws Exception {
        String params = line.substring(0, line.indexOf('|'));
        String loaded = line.substring(line.indexOf('|') + 1) + " ";
        boolean bio = MultipathTable.parse(params).features().queueMode() == io.mpathgw.dm.table.QueueMode.BIO;
        String older = (bio ? "2 queue_mode bio" : "1 queue_if_no_path") + " 0 1 1 round-robin 0 2 1 8:16 1 8:99 1";

        load(older);
        read();
        message("fail_path 8:16");
        finish(thread, map.reload(fresh(params)));
        assertThat(map.status()).isEqualTo(loaded);
        assertThat(map.table()).isEqualTo(MultipathTable.parse(params).toString());

        load(older);
        read();
        message("fail_path 8:16");
        finish(thread, map.reload(kept(params)));
        assertThat(map.status()).isEqualTo(loaded.replace("8:16 A 0", "8:16 F 1"));
    }
}
