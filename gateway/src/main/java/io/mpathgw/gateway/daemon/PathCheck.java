package io.mpathgw.gateway.daemon;

import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A path checker (multipath-tools' checker plugins, spec §7.1), asynchronous: {@link #check} never blocks and always
 * completes within the timeout given (then {@link CheckState#TIMEOUT}). The daemon's own tur, readsector0 and none;
 * the gateway's checker package supplies the full set.
 */
interface PathCheck {

    String name();

    /** Completes with the state and the checker's message suffix ("reports path is up"). */
    CompletionStage<Result> check(ScsiTransport path, Duration timeout);

    record Result(CheckState state, String message) {
    }

    /** tur (default), readsector0 or none; anything else is refused, naming the checker. */
    static PathCheck create(String name) {
        return switch (name) {
            case "tur" -> new ScsiCheck("tur", false);
            case "readsector0" -> new ScsiCheck("readsector0", true);
            case "none" -> new PathCheck() {
                public String name() { return "none"; }
                public CompletionStage<Result> check(ScsiTransport path, Duration timeout) {
                    return CompletableFuture.completedFuture(new Result(CheckState.UP, " reports path is up"));
                }
            };
            default -> throw new IllegalArgumentException("path_checker: \"" + name
                    + "\" (expected: tur, readsector0 or none in the daemon's own checkers)");
        };
    }

    /** TEST UNIT READY (tur) or READ(10) of block 0 (readsector0), mapped as libmultipath's tur.c does. */
    final class ScsiCheck implements PathCheck {
        private static final int RETRIES = 5;
        private final String name;
        private final boolean read;

        ScsiCheck(String name, boolean read) {
            this.name = name;
            this.read = read;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CompletionStage<Result> check(ScsiTransport path, Duration timeout) {
            return attempt(path, timeout, RETRIES).toCompletableFuture()
                    .orTimeout(timeout.toMillis() + 50, TimeUnit.MILLISECONDS)
                    .exceptionally(e -> failure(e instanceof CompletionException ? e.getCause() : e));
        }

        private CompletionStage<Result> attempt(ScsiTransport path, Duration timeout, int retries) {
            ScsiCommand c = read ? ScsiCommand.read(Cdb.read10(0, 1), 512) : ScsiCommand.none(Cdb.testUnitReady());
            return path.submit(c.withTimeout(timeout)).thenCompose(r -> {
                try {
                    Result res = classify(r);
                    if (res == null && retries > 0) return attempt(path, timeout, retries - 1);
                    return CompletableFuture.completedFuture(res != null ? res : down("unit attention persists"));
                } finally {
                    r.release();
                }
            });
        }

        /** null: retry (unit attention). */
        private Result classify(ScsiResponse r) {
            if (r.isGood() || r.status() == ScsiResponse.RESERVATION_CONFLICT)
                return new Result(CheckState.UP, " reports path is up");
            Sense s = r.sense();
            if (s == null) return down(ScsiResponse.statusName(r.status()));
            if (s.senseKey() == Sense.UNIT_ATTENTION) return null;
            if (s.senseKey() == Sense.NOT_READY && s.asc() == 0x04 && s.ascq() == 0x0B)
                return new Result(CheckState.GHOST, " reports path is ghost");
            if (s.senseKey() == Sense.NOT_READY && s.asc() == 0x04 && s.ascq() == 0x0A)
                return new Result(CheckState.PENDING, " reports path is transitioning");
            if (s.senseKey() == Sense.ILLEGAL_REQUEST && s.asc() == 0x25 && s.ascq() == 0x00)
                return new Result(CheckState.DISCONNECTED, " reports path is down: logical unit not supported");
            return down(s.toString());
        }

        private static Result down(String why) {
            return new Result(CheckState.DOWN, " reports path is down (" + why + ")");
        }

        private static Result failure(Throwable e) {
            if (e instanceof TimeoutException
                    || e instanceof TransportException t && t.kind() == TransportException.Kind.TIMEOUT)
                return new Result(CheckState.TIMEOUT, " timed out");
            return down(String.valueOf(e.getMessage()));
        }
    }
}
