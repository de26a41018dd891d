package io.mpathgw.gateway.prio;

import java.util.Objects;

/**
 * A prioritizer's answer with what the {@code alua} prioritizer learns on the way — the path's target port group
 * and its asymmetric access state, which {@code multipathd show paths} prints (%A) and {@code group_by_tpg} groups
 * by — and a log line.
 *
 * @param prio      the priority, higher is better; {@link Prioritizer#PRIO_UNDEF} when it could not be found
 * @param tpgId     the ALUA target port group of the path, -1 when not known (GROUP_ID_UNDEF)
 * @param aluaState the group's state as the kernel names it ("active/optimized", "standby"…), "" when not known
 * @param message   what happened, for the log: "alua prio: couldn't get target port group"
 */
public record PrioResult(int prio, int tpgId, String aluaState, String message) {

    public PrioResult {
        Objects.requireNonNull(aluaState, "aluaState");
        Objects.requireNonNull(message, "message");
    }

    /** A priority without ALUA details. */
    public static PrioResult of(int prio, String message) {
        return new PrioResult(prio, -1, "", message);
    }

    /** No priority: PRIO_UNDEF. */
    public static PrioResult undef(String message) {
        return of(Prioritizer.PRIO_UNDEF, message);
    }

    public boolean defined() {
        return prio != Prioritizer.PRIO_UNDEF;
    }
}
