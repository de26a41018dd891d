package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.ScsiTransport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/** {@code random}: 1..10, drawn anew at every query (a test aid in multipath-tools too). */
final class RandomPrioritizer implements Prioritizer {

    static final String NAME = "random";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<PrioResult> evaluate(ScsiTransport path, PathIdentity id, Duration timeout) {
        int p = 1 + ThreadLocalRandom.current().nextInt(10);
        return CompletableFuture.completedFuture(PrioResult.of(p, "random prio: " + p));
    }
}
