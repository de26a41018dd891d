package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.sbc.Reservations.Registration;
import io.mpathgw.scsi.PersistentReserve.Type;
import io.mpathgw.scsi.ScsiDataException;
import io.mpathgw.scsi.Sense;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * PERSISTENT RESERVE OUT (SPC-4 §6.16, §5.9.6–5.9.11) over {@link Reservations}: REGISTER, REGISTER AND IGNORE
 * EXISTING KEY, RESERVE, RELEASE, CLEAR, PREEMPT and PREEMPT AND ABORT, every type, LU scope. Not supported:
 * REGISTER AND MOVE, REPLACE LOST RESERVATION (invalid service actions), SPEC_I_PT, and APTPL — nothing survives a
 * power loss here, so a REGISTER asking for it is refused with INVALID FIELD IN PARAMETER LIST.
 *
 * <p>PREEMPT AND ABORT behaves as PREEMPT: commands already handed to the block device cannot be recalled.
 */
final class PersistentReserveOut {

    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int PREEMPT_AND_ABORT = 0x05;
    static final int REGISTER_AND_IGNORE_EXISTING_KEY = 0x06;

    /** The basic parameter list (SPC-4 Table 182). */
    static final int PARAMETER_LIST_LENGTH = 24;
    private static final int SPEC_I_PT = 0x08;
    private static final int ALL_TG_PT = 0x04;
    private static final int APTPL = 0x01;

    private PersistentReserveOut() {
    }

    /** Parses and performs one PERSISTENT RESERVE OUT; the caller has validated the CDB against its usage data. */
    static void execute(Reservations r, Exchange x) {
        int action = x.u8(1) & 0x1F;
        int scope = x.u8(2) >> 4;
        int typeCode = x.u8(2) & 0x0F;
        long length = x.u32(5);
        if (length != PARAMETER_LIST_LENGTH) throw CheckCondition.parameterListLength(5);
        ByteBuf p = x.takeDataOut(length);
        try {
            int at = p.readerIndex();
            long key = p.getLong(at);
            long serviceActionKey = p.getLong(at + 8);
            int flags = p.getUnsignedByte(at + 20);
            if ((flags & SPEC_I_PT) != 0) throw CheckCondition.invalidParameter(20, 3);
            boolean register = action == REGISTER || action == REGISTER_AND_IGNORE_EXISTING_KEY;
            if (register && (flags & APTPL) != 0) throw CheckCondition.invalidParameter(20, 0);
            Type type = action == RESERVE || action == RELEASE || action == PREEMPT || action == PREEMPT_AND_ABORT
                    ? type(scope, typeCode) : null;
            synchronized (r) {
                switch (action) {
                    case REGISTER -> register(r, x.nexus(), key, serviceActionKey, (flags & ALL_TG_PT) != 0, false);
                    case REGISTER_AND_IGNORE_EXISTING_KEY ->
                            register(r, x.nexus(), key, serviceActionKey, (flags & ALL_TG_PT) != 0, true);
                    case RESERVE -> reserve(r, x.nexus(), key, type);
                    case RELEASE -> release(r, x.nexus(), key, type);
                    case CLEAR -> clear(r, x.nexus(), key);
                    case PREEMPT, PREEMPT_AND_ABORT -> preempt(r, x.nexus(), key, serviceActionKey, type);
                    default -> throw CheckCondition.invalidField(1, 4);
                }
            }
        } finally {
            p.release();
        }
    }

    private static Type type(int scope, int code) {
        if (scope != 0) throw CheckCondition.invalidField(2, 7);          // LU_SCOPE only
        try {
            return Type.of(code);
        } catch (ScsiDataException e) {
            throw CheckCondition.invalidField(2, 3);
        }
    }

    private static void register(Reservations r, Nexus n, long key, long newKey, boolean allTargetPorts,
                                 boolean ignoreExisting) {
        Registration reg = r.registration(n);
        if (reg == null) {
            if (!ignoreExisting && key != 0) throw CheckCondition.reservationConflict();
            if (newKey == 0) return;                                       // nothing to register
            r.registrations.add(new Registration(n, newKey, allTargetPorts));
            r.generation++;
            return;
        }
        if (!ignoreExisting && key != reg.key) throw CheckCondition.reservationConflict();
        if (newKey == 0) {
            r.unregister(reg);
        } else {
            reg.key = newKey;
            r.generation++;
        }
    }

    private static Registration registered(Reservations r, Nexus n, long key) {
        Registration reg = r.registration(n);
        if (reg == null || reg.key != key) throw CheckCondition.reservationConflict();
        return reg;
    }

    private static void reserve(Reservations r, Nexus n, long key, Type type) {
        Registration reg = registered(r, n, key);
        if (r.type == null) {
            r.establish(reg, type);
            return;
        }
        if (!r.isHolder(n) || r.type != type) throw CheckCondition.reservationConflict();
    }

    private static void release(Reservations r, Nexus n, long key, Type type) {
        registered(r, n, key);
        if (r.type == null || !r.isHolder(n)) return;                       // GOOD, nothing released
        if (r.type != type) throw CheckCondition.of(CheckCondition.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        boolean notify = Reservations.registrantsOnly(type) || Reservations.allRegistrants(type);
        r.releaseReservation();
        if (notify) r.unitAttentions.raise(m -> !m.equals(n) && r.registered(m), Sense.RESERVATIONS_RELEASED);
    }

    private static void clear(Reservations r, Nexus n, long key) {
        registered(r, n, key);
        r.unitAttentions.raise(m -> !m.equals(n) && r.registered(m), Sense.RESERVATIONS_PREEMPTED);
        r.registrations.clear();
        r.releaseReservation();
        r.generation++;
    }

    /** SPC-4 §5.9.11.4: remove the registrations of {@code victimKey}, and take over the reservation if it was theirs. */
    private static void preempt(Reservations r, Nexus n, long key, long victimKey, Type type) {
        Registration self = registered(r, n, key);
        boolean allRegistrants = r.type != null && Reservations.allRegistrants(r.type);
        if (victimKey == 0 && !allRegistrants) throw CheckCondition.invalidParameter(8, -1);
        boolean takeOver = r.type != null && (allRegistrants ? victimKey == 0 : r.holder.key == victimKey);
        List<Registration> removed = new ArrayList<>();
        for (Registration g : r.registrations)
            if (g != self && (victimKey == 0 || g.key == victimKey)) removed.add(g);
        if (removed.isEmpty() && !takeOver) throw CheckCondition.reservationConflict();
        r.unitAttentions.raise(m -> matchesAny(removed, m), Sense.REGISTRATIONS_PREEMPTED);
        r.registrations.removeAll(removed);
        if (takeOver) {
            boolean changed = r.type != type;
            r.establish(self, type);
            if (changed)
                r.unitAttentions.raise(m -> !m.equals(n) && r.registered(m), Sense.RESERVATIONS_RELEASED);
        }
        r.generation++;
    }

    private static boolean matchesAny(List<Registration> regs, Nexus n) {
        for (Registration g : regs)
            if (g.matches(n)) return true;
        return false;
    }
}
