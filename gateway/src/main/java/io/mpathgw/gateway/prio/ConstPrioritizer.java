package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.ScsiTransport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code const}: every path 1, multipathd's prioritizer when nothing else is detected or configured. */
final class ConstPrioritizer implements Prioritizer {

    static final String NAME = "const";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<PrioResult> evaluate(ScsiTransport path, PathIdentity id, Duration timeout) {
        return CompletableFuture.completedFuture(PrioResult.of(1, "const prio: 1"));
    }
}
