package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.PersistentReserve.Type;
import io.mpathgw.scsi.Sense;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reservations of one LU: the SPC-2 RESERVE(6) holder and the SPC-4 persistent reservation state — registrations
 * (one per I_T nexus, or per initiator port with ALL_TG_PT), the PRgeneration and the reservation with its type.
 * Nothing is persisted: APTPL is refused (see {@link PersistentReserveOut}).
 *
 * <p>Thread-safe: every method runs under this object's monitor; the access check on the data path first reads one
 * volatile flag and takes the monitor only while some reservation is held. Unit attentions go out through
 * {@link UnitAttentions} while the monitor is held; that sink never calls back in here.
 */
final class Reservations {

    /** Where this object raises unit attentions: every I_T nexus {@code who} accepts gets {@code ua}. */
    interface UnitAttentions {
        void raise(Predicate<Nexus> who, Sense ua);
    }

    /** A registration: an I_T nexus (or every target port of an initiator port) and its reservation key. */
    static final class Registration {
        final String initiatorPort;
        final int relativeTargetPort;
        final boolean allTargetPorts;
        long key;

        Registration(Nexus n, long key, boolean allTargetPorts) {
            this.initiatorPort = n.initiatorPort();
            this.relativeTargetPort = n.relativeTargetPort();
            this.allTargetPorts = allTargetPorts;
            this.key = key;
        }

        boolean matches(Nexus n) {
            return initiatorPort.equals(n.initiatorPort())
                    && (allTargetPorts || relativeTargetPort == n.relativeTargetPort());
        }
    }

    final UnitAttentions unitAttentions;
    final List<Registration> registrations = new ArrayList<>();
    int generation;
    /** The persistent reservation's type, or null when none is held. */
    Type type;
    /** The holder of a non-all-registrants reservation; null otherwise. */
    Registration holder;
    private Nexus reserve6;
    private volatile boolean active;

    Reservations(UnitAttentions unitAttentions) {
        this.unitAttentions = unitAttentions;
    }

    /** Whether any reservation (SPC-2 or persistent) is held: the data path's fast check. */
    boolean active() {
        return active;
    }

    /** Fails with RESERVATION CONFLICT when {@code c} may not run for {@code n} now (SPC-4 §5.9.1, SPC-2 §5.5.1). */
    void checkAccess(Nexus n, SbcCommand c) {
        if (!active) return;
        synchronized (this) {
            if (conflicts(n, c)) throw CheckCondition.reservationConflict();
        }
    }

    private boolean conflicts(Nexus n, SbcCommand c) {
        if (reserve6 != null) return !reserve6.equals(n) && (c == null || !c.spc2Allowed());
        if (type == null || c == null || c.access == SbcCommand.Access.ALLOWED || isHolder(n)) return false;
        boolean registered = registration(n) != null;
        return switch (type) {
            case WRITE_EXCLUSIVE -> c.access == SbcCommand.Access.WRITE;
            case EXCLUSIVE_ACCESS -> true;
            case WRITE_EXCLUSIVE_REGISTRANTS_ONLY, WRITE_EXCLUSIVE_ALL_REGISTRANTS ->
                    !registered && c.access == SbcCommand.Access.WRITE;
            case EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, EXCLUSIVE_ACCESS_ALL_REGISTRANTS -> !registered;
        };
    }

    /** RESERVE(6): refused while another nexus holds it or any persistent registration exists (SPC-3 §5.6.3). */
    synchronized void reserve6(Nexus n) {
        if (!registrations.isEmpty() || type != null) throw CheckCondition.reservationConflict();
        if (reserve6 != null && !reserve6.equals(n)) throw CheckCondition.reservationConflict();
        reserve6 = n;
        updateActive();
    }

    /** RELEASE(6): releases only the holder's reservation; from anyone else it is GOOD and does nothing. */
    synchronized void release6(Nexus n) {
        if (n.equals(reserve6)) reserve6 = null;
        updateActive();
    }

    /** The I_T nexus is gone: its SPC-2 reservation goes with it; persistent registrations stay (SPC-4 §5.9.2). */
    synchronized void nexusLost(Nexus n) {
        release6(n);
    }

    /** LOGICAL UNIT RESET releases the SPC-2 reservation, not the persistent one (SAM-5 §6.3.3). */
    synchronized void reset() {
        reserve6 = null;
        updateActive();
    }

    synchronized Registration registration(Nexus n) {
        for (Registration r : registrations)
            if (r.matches(n)) return r;
        return null;
    }

    /** Whether {@code n} holds the persistent reservation (every registrant does for the all-registrants types). */
    synchronized boolean isHolder(Nexus n) {
        if (type == null) return false;
        if (allRegistrants(type)) return registration(n) != null;
        return holder != null && holder.matches(n);
    }

    static boolean allRegistrants(Type t) {
        return t == Type.WRITE_EXCLUSIVE_ALL_REGISTRANTS || t == Type.EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    static boolean registrantsOnly(Type t) {
        return t == Type.WRITE_EXCLUSIVE_REGISTRANTS_ONLY || t == Type.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY;
    }

    /** Drops the reservation (the registrations stay). */
    void releaseReservation() {
        type = null;
        holder = null;
        updateActive();
    }

    void establish(Registration by, Type t) {
        type = t;
        holder = allRegistrants(t) ? null : by;
        updateActive();
    }

    /**
     * Removes a registration and what goes with it (SPC-4 §5.9.7, unregistering): the reservation when its holder
     * left (or, for the all-registrants types, when the last registrant left); RESERVATIONS RELEASED to the remaining
     * registrants when a registrants-only reservation ends that way.
     */
    void unregister(Registration r) {
        registrations.remove(r);
        generation++;
        if (type == null) return;
        if (allRegistrants(type)) {
            if (registrations.isEmpty()) releaseReservation();
        } else if (holder == r) {
            boolean notify = registrantsOnly(type);
            releaseReservation();
            if (notify) unitAttentions.raise(this::registered, Sense.RESERVATIONS_RELEASED);
        }
    }

    boolean registered(Nexus n) {
        return registration(n) != null;
    }

    private void updateActive() {
        active = reserve6 != null || type != null;
    }
}
