package io.mpathgw.dm.handler;

import java.time.Duration;
import java.util.Objects;

/**
 * The constants and module parameters of the kernel's scsi_dh handlers, as values a gateway may change (spec §6).
 * {@link #KERNEL} holds the kernel's own; tests shrink the times.
 *
 * @param commandTimeout      every handler command's timeout: ALUA_FAILOVER_TIMEOUT, CLARIION_TIMEOUT,
 *                            HP_SW_TIMEOUT and RDAC_TIMEOUT are all 60 s. A command the transport has not finished
 *                            {@link #COMMAND_GUARD} after it is treated as timed out.
 * @param aluaFailoverTimeout how long a port group may stay transitioning when the array names no implicit
 *                            transition time (RTPG extended header byte 5 absent or 0): ALUA_FAILOVER_TIMEOUT, 60 s
 * @param aluaRetryDelay      between two RTPGs while transitioning: ALUA_RTPG_RETRY_DELAY, 2 s
 * @param aluaRtpgDelay       before a queued RTPG runs, so activations of one group coalesce: ALUA_RTPG_DELAY_MSECS
 * @param aluaOptimizeStpg    module parameter {@code optimize_stpg}: keep using an active/non-optimized group
 *                            without STPG when the array also transitions implicitly; a table's {@code 2 alua 0|1}
 *                            overrides it per port group
 */
public record HandlerSettings(Duration commandTimeout, Duration aluaFailoverTimeout, Duration aluaRetryDelay,
                              Duration aluaRtpgDelay, boolean aluaOptimizeStpg) {

    /** Slack given to a transport past a command's own timeout before the handler stops waiting for it. */
    public static final Duration COMMAND_GUARD = Duration.ofSeconds(1);

    public static final HandlerSettings KERNEL = new HandlerSettings(Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(2), Duration.ofMillis(5), false);

    public HandlerSettings {
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(aluaFailoverTimeout, "aluaFailoverTimeout");
        Objects.requireNonNull(aluaRetryDelay, "aluaRetryDelay");
        Objects.requireNonNull(aluaRtpgDelay, "aluaRtpgDelay");
        if (commandTimeout.isNegative() || commandTimeout.isZero())
            throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
        if (aluaFailoverTimeout.toSeconds() < 1 || aluaFailoverTimeout.toSeconds() > 255)
            throw new IllegalArgumentException("aluaFailoverTimeout: " + aluaFailoverTimeout
                    + " (expected: 1..255 s, the range of the RTPG implicit transition time)");
    }

    public HandlerSettings withCommandTimeout(Duration d) {
        return new HandlerSettings(d, aluaFailoverTimeout, aluaRetryDelay, aluaRtpgDelay, aluaOptimizeStpg);
    }

    public HandlerSettings withAluaFailoverTimeout(Duration d) {
        return new HandlerSettings(commandTimeout, d, aluaRetryDelay, aluaRtpgDelay, aluaOptimizeStpg);
    }

    public HandlerSettings withAluaRetryDelay(Duration d) {
        return new HandlerSettings(commandTimeout, aluaFailoverTimeout, d, aluaRtpgDelay, aluaOptimizeStpg);
    }

    public HandlerSettings withAluaOptimizeStpg(boolean optimize) {
        return new HandlerSettings(commandTimeout, aluaFailoverTimeout, aluaRetryDelay, aluaRtpgDelay, optimize);
    }
}
