package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.ScsiTask;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnit;
import io.mpathgw.iscsi.target.sbc.SbcLogicalUnitBuilder;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.ScsiResponse;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * ALUA (SPC-4 §5.16) for one LUN: each controller is a target port group with an asymmetric access state. The
 * owner's group is active/optimized, the others in the builder's demoted state. REPORT TARGET PORT GROUPS answers the
 * states (with the extended header when asked, unless the array refuses it); SET TARGET PORT GROUPS (explicit ALUA)
 * changes them. A change goes through {@link AluaState#TRANSITIONING} for the transition time: the groups report
 * state T and refuse media access with NOT READY 04/0A; an STPG completes only when the transition is over, as
 * SPC-4 has it and LIO does. Each step raises ASYMMETRIC ACCESS STATE CHANGED (2A/06) for every I_T nexus but the
 * one whose STPG caused it (LIO's rule).
 *
 * <p>Commands a group's state refuses (SPC-4 §5.16.2.4): standby 02/04/0B, unavailable 02/04/0C, offline 02/04/12,
 * transitioning 02/04/0A; see {@link Commands} for what each state still answers.
 *
 * <p>State is guarded by this object; unit attentions are raised while holding it (the LU's queues have their own
 * monitors and never call back).
 */
final class AluaPersonality implements LunPersonality {

    private final ArraySimulator array;
    private final SimLun lun;
    private final SimSettings s;
    private final int groups;
    // guarded by this, indexed by controller
    private final AluaState[] reported;
    private final AluaState[] target;
    private final int[] status;
    private ScheduledFuture<?> settle;
    private Nexus uaExcept;
    private final List<CompletableFuture<ScsiResponse>> waiting = new ArrayList<>();

    AluaPersonality(ArraySimulator array, SimLun lun) {
        this.array = array;
        this.lun = lun;
        this.s = array.settings();
        this.groups = s.controllers();
        this.reported = new AluaState[groups];
        this.target = new AluaState[groups];
        this.status = new int[groups];
        int owner = lun.spec().owner();
        for (int i = 0; i < groups; i++) reported[i] = target[i] = i == owner ? AluaState.ACTIVE_OPTIMIZED : s.demotedState();
    }

    @Override
    public void configure(SbcLogicalUnitBuilder lu) {
        lu.tpgs(s.tpgs());
        int per = s.portalsPerController();
        for (int c = 0; c < groups; c++)
            for (int k = 0; k < per; k++) lu.portGroup(c + 1, c * per + k + 1);
    }

    @Override
    public CompletableFuture<ScsiResponse> intercept(ScsiTask task, SbcLogicalUnit lu) {
        Controller c = array.controllerOf(task.nexus());
        if (c == null) return null;
        byte[] cdb = task.cdb();
        if (Commands.rtpg(cdb)) return reportTargetPortGroups(task);
        if (Commands.stpg(cdb) && (s.tpgs() & 0x2) != 0) return setTargetPortGroups(task);
        Sense refused = refusal(reported(c.index()), cdb);
        return refused == null ? null : Answers.check(task, refused);
    }

    /** What a group in {@code state} answers {@code cdb} with instead of executing it; null: it executes it. */
    static Sense refusal(AluaState state, byte[] cdb) {
        return switch (state) {
            case ACTIVE_OPTIMIZED, ACTIVE_NON_OPTIMIZED, LBA_DEPENDENT -> null;
            case STANDBY -> Commands.allowedInStandby(cdb) ? null : Sense.NOT_READY_STANDBY;
            case UNAVAILABLE -> Commands.allowedInUnavailable(cdb) ? null : Sense.NOT_READY_UNAVAILABLE;
            case OFFLINE -> Commands.alwaysAllowed(cdb) ? null : Answers.NOT_READY_OFFLINE;
            case TRANSITIONING -> Commands.alwaysAllowed(cdb) ? null : Sense.NOT_READY_TRANSITIONING;
        };
    }

    /** PARAMETER DATA FORMAT 000b (length header only) or 001b (extended header: format, transition time). */
    private CompletableFuture<ScsiResponse> reportTargetPortGroups(ScsiTask task) {
        int format = (task.cdb()[1] & 0xE0) >> 5;
        if (format > 1 || format == 1 && !s.rtpgExtendedHeader())
            return Answers.check(task, Sense.INVALID_FIELD_IN_CDB);
        return Answers.good(task, report(format == 1).toBytes());
    }

    /** The RTPG answer: one descriptor per controller, in target port group order. */
    synchronized TargetPortGroups report(boolean extendedHeader) {
        List<TargetPortGroups.PortGroup> d = new ArrayList<>();
        for (Controller c : array.controllers())
            d.add(new TargetPortGroups.PortGroup(c.targetPortGroup(), reported[c.index()].code(),
                    c.index() == lun.preferredController(), s.supportedStates(), status[c.index()], 0,
                    c.relativeTargetPorts()));
        return new TargetPortGroups(extendedHeader, s.reportedTransitionSeconds(), d);
    }

    /**
     * SET TARGET PORT GROUPS (SPC-4 §6.36): a 4-byte header, then 4-byte descriptors (state in byte 0 bits 3..0,
     * group in bytes 2..3). Each may ask for active/optimized, active/non-optimized, standby or unavailable of a
     * group that supports it. Refused with 04/0A while any group of the LU is transitioning.
     */
    private CompletableFuture<ScsiResponse> setTargetPortGroups(ScsiTask task) {
        byte[] cdb = task.cdb();
        long length = (cdb[6] & 0xFFL) << 24 | (cdb[7] & 0xFF) << 16 | (cdb[8] & 0xFF) << 8 | cdb[9] & 0xFF;
        byte[] list = Answers.dataOut(task);
        if (length == 0) return Answers.good(task);
        if (length < 4 || (length - 4) % 4 != 0 || list.length < length)
            return Answers.check(task, Sense.PARAMETER_LIST_LENGTH_ERROR);
        Map<Integer, AluaState> changes = new HashMap<>();
        for (int d = 4; d < length; d += 4) {
            int group = (list[d + 2] & 0xFF) << 8 | list[d + 3] & 0xFF;
            AluaState st = AluaState.of(list[d] & 0x0F).orElse(null);
            boolean settable = st == AluaState.ACTIVE_OPTIMIZED || st == AluaState.ACTIVE_NON_OPTIMIZED
                    || st == AluaState.STANDBY || st == AluaState.UNAVAILABLE;
            if (group < 1 || group > groups || !settable || (s.supportedStates() & st.supportBit()) == 0)
                return Answers.check(task, Sense.INVALID_FIELD_IN_PARAMETER_LIST);
            changes.put(group - 1, st);
        }
        synchronized (this) {
            if (Arrays.asList(reported).contains(AluaState.TRANSITIONING))
                return Answers.check(task, Sense.NOT_READY_TRANSITIONING);
        }
        Answers.release(task);
        return change(changes, s.transitionTime(), task.nexus(), true);
    }

    /**
     * Moves groups to new states: at once, or through transitioning for {@code transition}. A group made
     * active/optimized demotes the other active/optimized ones when the array is built so. Completes (GOOD) when
     * every group has settled.
     *
     * @param cause    the nexus whose STPG asked, spared the unit attention; null for an implicit change
     * @param explicit status code "altered by SET TARGET PORT GROUPS" (1) rather than "implicit" (2)
     */
    synchronized CompletableFuture<ScsiResponse> change(Map<Integer, AluaState> changes, Duration transition,
                                                        Nexus cause, boolean explicit) {
        Map<Integer, AluaState> all = new HashMap<>(changes);
        if (s.exclusiveOptimized() && changes.containsValue(AluaState.ACTIVE_OPTIMIZED))
            for (int i = 0; i < groups; i++)
                if (!all.containsKey(i) && target[i] == AluaState.ACTIVE_OPTIMIZED) all.put(i, s.demotedState());
        boolean moving = false;
        for (Map.Entry<Integer, AluaState> e : all.entrySet()) {
            int i = e.getKey();
            target[i] = e.getValue();
            if (reported[i] == target[i]) continue;
            moving = true;
            status[i] = explicit ? TargetPortGroups.PortGroup.STATUS_ALTERED_BY_STPG
                    : TargetPortGroups.PortGroup.STATUS_ALTERED_IMPLICITLY;
            reported[i] = transition.isZero() || target[i] == AluaState.TRANSITIONING
                    ? target[i] : AluaState.TRANSITIONING;
        }
        if (!moving) return CompletableFuture.completedFuture(good());
        uaExcept = cause;
        lun.sbc().asymmetricAccessStateChanged(cause);
        if (transition.isZero()) return CompletableFuture.completedFuture(good());    // a pending settle goes on
        if (settle != null) settle.cancel(false);
        settle = array.schedule(this::settle, transition.toNanos());
        CompletableFuture<ScsiResponse> done = new CompletableFuture<>();
        waiting.add(done);
        return done;
    }

    /** The transition is over: every transitioning group takes its target state. */
    private void settle() {
        List<CompletableFuture<ScsiResponse>> done;
        synchronized (this) {
            for (int i = 0; i < groups; i++)
                if (reported[i] == AluaState.TRANSITIONING && target[i] != AluaState.TRANSITIONING)
                    reported[i] = target[i];
            settle = null;
            lun.sbc().asymmetricAccessStateChanged(uaExcept);
            done = new ArrayList<>(waiting);
            waiting.clear();
        }
        done.forEach(f -> f.complete(good()));
    }

    private static ScsiResponse good() {
        return ScsiResponse.good(io.netty.buffer.Unpooled.EMPTY_BUFFER);
    }

    synchronized AluaState reported(int index) {
        return reported[index];
    }

    /** The group headed for active/optimized (the first, if several are). */
    @Override
    public synchronized int owner() {
        for (int i = 0; i < groups; i++)
            if (target[i] == AluaState.ACTIVE_OPTIMIZED) return i;
        return -1;
    }

    @Override
    public void failover(int to) {
        Map<Integer, AluaState> m = new HashMap<>();
        for (Controller c : array.controllers())
            m.put(c.index(), c.index() == to ? AluaState.ACTIVE_OPTIMIZED
                    : c.alive() ? s.demotedState() : AluaState.UNAVAILABLE);
        change(m, s.transitionTime(), null, false);
    }

    /** The dead group is unavailable; if it owned the LUN, the next live controller takes it over. */
    @Override
    public synchronized void controllerLost(int index) {
        int next = array.survivor(index);
        Map<Integer, AluaState> m = new HashMap<>();
        m.put(index, AluaState.UNAVAILABLE);
        if (target[index] == AluaState.ACTIVE_OPTIMIZED && s.failoverOnControllerLoss() && next >= 0)
            m.put(next, AluaState.ACTIVE_OPTIMIZED);
        change(m, s.transitionTime(), null, false);
    }

    @Override
    public void controllerRevived(int index) {
        change(Map.of(index, s.demotedState()), s.transitionTime(), null, false);
    }

    @Override
    public synchronized String describe() {
        StringBuilder b = new StringBuilder("alua");
        for (int i = 0; i < groups; i++)
            b.append(' ').append((char) ('A' + i)).append('=').append(reported[i].letter())
                    .append(reported[i] != target[i] ? "->" + target[i].letter() : "");
        return b.append(" owner ").append(owner() < 0 ? "-" : String.valueOf((char) ('A' + owner()))).toString();
    }

    @Override
    public synchronized void close() {
        if (settle != null) settle.cancel(false);
        settle = null;
    }

    @Override
    public synchronized String toString() {
        return describe() + " " + Arrays.toString(status);
    }
}
