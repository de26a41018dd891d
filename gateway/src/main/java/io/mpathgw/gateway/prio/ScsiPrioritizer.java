package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.CommandRun;
import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.gateway.check.VendorPage;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.ScsiCommand;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.ScsiTransport;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TransportException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A prioritizer that asks the device: one {@link CommandRun} per query, PRIO_UNDEF when it times out. */
abstract class ScsiPrioritizer implements Prioritizer {

    @Override
    public final CompletionStage<PrioResult> evaluate(ScsiTransport path, PathIdentity id, Duration timeout) {
        Objects.requireNonNull(path, "path");
        if (timeout == null || timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        CommandRun<PrioResult> run = new CommandRun<>(path, timeout, () -> undef("timed out"),
                e -> undef("bad answer: " + e.getMessage()), new AtomicInteger());
        try {
            start(run, id);
        } catch (RuntimeException e) {
            run.complete(undef("bad answer: " + e.getMessage()));
        }
        return run.result();
    }

    abstract void start(CommandRun<PrioResult> run, PathIdentity id);

    /** "{name} prio: {what}" with PRIO_UNDEF. */
    final PrioResult undef(String what) {
        return PrioResult.undef(name() + " prio: " + what);
    }

    final PrioResult prio(int prio, String what) {
        return PrioResult.of(prio, name() + " prio: " + what);
    }

    /** A command that got no SCSI status, for the log. */
    final PrioResult noAnswer(Throwable e) {
        TransportException.Kind k = CommandRun.transportKind(e);
        return undef(k == TransportException.Kind.TIMEOUT ? "timed out" : "sending command failed: " + e.getMessage());
    }

    /**
     * INQUIRY of a vendor VPD page read as the C prioritizers read it ({@link VendorPage}): no answer is PRIO_UNDEF,
     * an error answer goes to {@code error}, a good one's page to {@code decode}.
     */
    final void inquireVendorPage(CommandRun<PrioResult> run, int page, int length,
                                 Function<ScsiResponse, PrioResult> error, Function<byte[], PrioResult> decode) {
        run.send(ScsiCommand.read(Cdb.inquiryVpd(page, length), length), (r, e) -> {
            if (e != null) run.complete(noAnswer(e));
            else if (!r.isGood()) run.complete(error.apply(r));
            else run.complete(decode.apply(VendorPage.of(r, length)));
        });
    }

    static int senseKey(ScsiResponse r) {
        Sense s = r.sense();
        return s == null ? -1 : s.senseKey();
    }

    /** GOOD, or an error the device recovered from (RECOVERED ERROR counts as success everywhere in libmultipath). */
    static boolean good(ScsiResponse r) {
        return r.isGood() || senseKey(r) == Sense.RECOVERED_ERROR;
    }
}
