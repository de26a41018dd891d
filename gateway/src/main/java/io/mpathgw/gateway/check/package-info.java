/**
 * multipathd's path checkers (spec §7.1): {@link io.mpathgw.gateway.check.PathChecker} by name from
 * {@link io.mpathgw.gateway.check.Checkers} — tur, readsector0, directio, rdac, emc_clariion, hp_sw, none — their
 * verdicts ({@link io.mpathgw.gateway.check.PathState}, {@link io.mpathgw.gateway.check.CheckResult} with
 * multipath-tools' log messages), and {@link io.mpathgw.gateway.check.CommandRun}, the deadline-bounded command
 * sequence that checkers and prioritizers share: one timer for the process, late answers released.
 * Pure Java over {@link io.mpathgw.scsi.ScsiTransport}; no Quarkus.
 */
package io.mpathgw.gateway.check;
