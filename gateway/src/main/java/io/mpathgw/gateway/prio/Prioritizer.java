package io.mpathgw.gateway.prio;

import io.mpathgw.gateway.check.PathIdentity;
import io.mpathgw.scsi.ScsiTransport;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A multipathd prioritizer ({@code struct prio}): the priority of one path, higher is better; group_by_prio groups
 * paths of equal priority and the PG priority is their average (spec §7.2, §7.3). Created with its {@code prio_args}
 * by {@link Prioritizers#create}; instances keep no per-path state and may serve several paths.
 *
 * <p>Failures: what the device answered is judged as the multipath-tools prioritizer of the same name judges it
 * ({@code rdac} and {@code hp_sw} give 0 to an error answer, {@code alua} and {@code emc} give PRIO_UNDEF); a command
 * that got no answer at all — the deadline passed, the connection is down — gives {@link #PRIO_UNDEF} for every
 * prioritizer, since the path's priority is then unknown (multipathd keeps the previous one for a path that is down).
 *
 * <p>Threads: callable from any thread, never blocks; the stage completes exactly once within {@code timeout} (plus
 * the shared timer's tick), on the transport's I/O thread or the timer thread. A late answer is released and
 * ignored.
 */
public interface Prioritizer {

    /** libmultipath's PRIO_UNDEF. */
    int PRIO_UNDEF = -1;

    /** As multipath.conf's {@code prio} spells it: "alua", "const", "weightedpath"… */
    String name();

    /** The priority, with the details of {@link PrioResult}. */
    CompletionStage<PrioResult> evaluate(ScsiTransport path, PathIdentity id, Duration timeout);

    /** The priority alone; {@link #PRIO_UNDEF} on failure. */
    default CompletionStage<Integer> priority(ScsiTransport path, PathIdentity id, Duration timeout) {
        return evaluate(path, id, timeout).thenApply(PrioResult::prio);
    }
}
