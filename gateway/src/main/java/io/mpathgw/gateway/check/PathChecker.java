package io.mpathgw.gateway.check;

import io.mpathgw.scsi.ScsiTransport;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A multipathd path checker ({@code struct checker_class}): one instance per path, since checkers keep state between
 * checks (the block size, the LUN WWN emc_clariion remembers, whether a check is still running). Create with
 * {@link Checkers#create}.
 *
 * <p>Threads: {@link #check} may be called from any thread and returns at once; the stage completes on the
 * transport's I/O thread or on the shared timer thread — do not block in its callbacks. Before calling, the daemon
 * consults the session as multipathd consults sysfs {@code state}: a session that is not logged in is down without a
 * check, one in recovery is pending.
 */
public interface PathChecker {

    /** The checker's name as multipath.conf spells it: "tur", "rdac", "emc_clariion"… */
    String name();

    /**
     * Checks {@code path} once. Never blocks; the stage completes exactly once, within {@code timeout} plus the
     * timer's tick even when the path never answers (then {@link PathState#TIMEOUT}; an answer that comes later is
     * released and ignored). Called again while the previous check on this path has not completed, it completes at
     * once with {@link PathState#PENDING} "still running".
     *
     * @param timeout checker_timeout, &gt; 0
     */
    CompletionStage<CheckResult> check(ScsiTransport path, Duration timeout);
}
