package io.mpathgw.gateway.check;

import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

import static io.mpathgw.gateway.check.SimPaths.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The asynchronous frame every checker shares, with a scripted transport: a late answer is released and ignored, a
 * transport that never answers cannot pile up commands (tur.c's stalled-thread rule), the transport failures map to
 * states, and the factory names what it does not know.
 */
class CheckerFrameTest {

    static final Duration SHORT = Duration.ofMillis(150);

    @Test
    void aLateAnswerIsReleasedAndIgnored() throws Exception {
        CompletableFuture<ScsiResponse> late = new CompletableFuture<>();
        CannedTransport t = new CannedTransport().then(c -> late);
        CheckResult r = await(Checkers.create("tur").check(t, SHORT));
        assertThat(r.state()).isEqualTo(PathState.TIMEOUT);
        ScsiResponse answer = t.response(ScsiResponse.GOOD, null, new byte[0]);
        late.complete(answer);
        assertThat(answer.refCnt()).isZero();
        assertThat(t.allReleased()).isTrue();
    }

    /** Every answer a check consumed is released, also the ones of retried commands and of a malformed page. */
    @Test
    void everyConsumedAnswerIsReleased() throws Exception {
        CannedTransport t = new CannedTransport().check(Sense.POWER_ON_RESET).check(Sense.POWER_ON_RESET)
                .status(ScsiResponse.GOOD);
        assertThat(await(Checkers.create("tur").check(t, SHORT)).state()).isEqualTo(PathState.UP);
        CannedTransport e = new CannedTransport().good(new byte[] {0, (byte) 0xC0});
        assertThat(await(Checkers.create("emc_clariion").check(e, SHORT)).state()).isEqualTo(PathState.DOWN);
        assertThat(t.allReleased() && e.allReleased()).isTrue();
        assertThat(t.commands).hasSize(3);
    }

    /** One extra check may go out beside a stalled one; then the checker times out without sending anything. */
    @Test
    void stalledCommandsStopNewOnes() throws Exception {
        CannedTransport t = new CannedTransport().otherwise(c -> new CompletableFuture<>());
        PathChecker tur = Checkers.create("tur");
        assertThat(await(tur.check(t, SHORT)).state()).isEqualTo(PathState.TIMEOUT);
        assertThat(await(tur.check(t, SHORT)).state()).isEqualTo(PathState.TIMEOUT);
        assertThat(t.commands).hasSize(2);
        long t0 = System.nanoTime();
        assertThat(await(tur.check(t, SHORT))).isEqualTo(new CheckResult(PathState.TIMEOUT, "tur checker timed out"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SHORT);
        assertThat(t.commands).hasSize(2);
    }

    /** 300 paths that never answer: every check ends in time, on one timer thread, not a thread per check. */
    @Test
    void manyHungPathsTimeOutTogetherOnOneTimerThread() throws Exception {
        // the shared timer exists once a check has run; a Quarkus test earlier in the same JVM loads this class
        // again in its own class loader with a timer of its own, so count what these 300 checks add
        CannedTransport warm = new CannedTransport().otherwise(c -> new CompletableFuture<>());
        await(Checkers.create("tur").check(warm, Duration.ofMillis(1)));
        long timersBefore = timerThreads();
        java.util.List<CompletableFuture<CheckResult>> all = new java.util.ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            CannedTransport t = new CannedTransport().otherwise(c -> new CompletableFuture<>());
            all.add(Checkers.create(i % 2 == 0 ? "tur" : "emc_clariion").check(t, Duration.ofMillis(300))
                    .toCompletableFuture());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("starting 300 checks").isLessThan(Duration.ofMillis(300));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(900));
        assertThat(all).allSatisfy(f -> assertThat(f.join().state()).isEqualTo(PathState.TIMEOUT));
        assertThat(timerThreads()).as("timer threads after 300 checks").isEqualTo(timersBefore);
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(CommandRun.TIMER_THREAD)).count();
    }

    @Test
    void aCheckStillRunningIsPending() throws Exception {
        CompletableFuture<ScsiResponse> slow = new CompletableFuture<>();
        CannedTransport t = new CannedTransport().then(c -> slow);
        PathChecker c = Checkers.create("hp_sw");
        CompletionStage<CheckResult> first = c.check(t, Duration.ofSeconds(5));
        assertThat(await(c.check(t, Duration.ofSeconds(5))))
                .isEqualTo(new CheckResult(PathState.PENDING, "hp_sw checker still running"));
        slow.complete(t.response(ScsiResponse.CHECK_CONDITION, Sense.INVALID_FIELD_IN_CDB, new byte[0]));
        assertThat(await(first)).isEqualTo(new CheckResult(PathState.WILD, "hp_sw checker doesn't support this device"));
        assertThat(t.commands).hasSize(1);
    }

    @Test
    void transportFailuresMapToStates() throws Exception {
        assertThat(state(new TransportException(TransportException.Kind.CONNECTION_LOST, "gone"))).isEqualTo(PathState.DOWN);
        assertThat(state(new TransportException(TransportException.Kind.CLOSED, "closed"))).isEqualTo(PathState.DOWN);
        assertThat(state(new TransportException(TransportException.Kind.ABORTED, "lu reset"))).isEqualTo(PathState.DOWN);
        assertThat(state(new TransportException(TransportException.Kind.TIMEOUT, "30 s"))).isEqualTo(PathState.TIMEOUT);
        assertThat(state(new RejectedExecutionException("queueDepth"))).isEqualTo(PathState.PENDING);
        // a protocol error is retried like DID_ERROR: five tries, then down
        CannedTransport t = new CannedTransport().otherwise(c -> CompletableFuture.failedFuture(
                new TransportException(TransportException.Kind.PROTOCOL_ERROR, "reject")));
        assertThat(await(Checkers.create("tur").check(t, SHORT)).state()).isEqualTo(PathState.DOWN);
        assertThat(t.commands).hasSize(5);
    }

    private static PathState state(Throwable failure) throws Exception {
        CannedTransport t = new CannedTransport().then(c -> CompletableFuture.failedFuture(failure));
        return await(Checkers.create("tur").check(t, SHORT)).state();
    }

    @Test
    void reservationConflictIsUp() throws Exception {
        CannedTransport t = new CannedTransport().status(ScsiResponse.RESERVATION_CONFLICT);
        assertThat(await(Checkers.create("tur").check(t, SHORT)).state()).isEqualTo(PathState.UP);
        CannedTransport busy = new CannedTransport().status(ScsiResponse.BUSY);
        assertThat(await(Checkers.create("tur").check(busy, SHORT)).state()).isEqualTo(PathState.DOWN);
    }

    @Test
    void noneIsUpWithoutSendingAnything() throws Exception {
        CannedTransport t = new CannedTransport();
        assertThat(await(Checkers.create("none").check(t, SHORT)))
                .isEqualTo(new CheckResult(PathState.UP, "none checker reports path is up"));
        assertThat(t.commands).isEmpty();
    }

    @Test
    void theFactoryNamesWhatItDoesNotKnow() {
        assertThat(Checkers.names()).containsExactly("directio", "emc_clariion", "hp_sw", "none", "rdac",
                "readsector0", "tur");
        for (String n : Checkers.names()) assertThat(Checkers.create(n).name()).isEqualTo(n);
        assertThat(Checkers.create("tur")).isNotSameAs(Checkers.create("tur"));
        assertThatThrownBy(() -> Checkers.create("cciss_tur")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path_checker: \"cciss_tur\" (expected: one of directio, emc_clariion, hp_sw, none, rdac,"
                        + " readsector0, tur)");
        assertThatThrownBy(() -> Checkers.create("tur").check(new CannedTransport(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("checker_timeout: PT0S (expected: > 0)");
    }

    @Test
    void displayNamesAreMultipathLlColumns() {
        assertThat(PathState.UP.displayName()).isEqualTo("ready");
        assertThat(PathState.DOWN.displayName()).isEqualTo("faulty");
        assertThat(PathState.GHOST.displayName()).isEqualTo("ghost");
        assertThat(PathState.PENDING.displayName()).isEqualTo("i/o pending");
        assertThat(PathState.WILD.displayName()).isEqualTo("undef");
        assertThat(PathState.GHOST.usable()).isTrue();
        assertThat(PathState.SHAKY.usable()).isFalse();
        assertThat(PathState.TIMEOUT.stored()).isEqualTo(PathState.DOWN);
        assertThat(PathState.UP.stored()).isEqualTo(PathState.UP);
        assertThat(PathState.values()[10]).isEqualTo(PathState.DISCONNECTED);
    }
}
