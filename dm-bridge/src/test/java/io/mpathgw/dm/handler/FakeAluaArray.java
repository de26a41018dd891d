package io.mpathgw.dm.handler;

import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.mpathgw.dm.handler.ScriptedTransport.Reply.check;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;

/**
 * A small ALUA array behind {@link ScriptedTransport} responders, for tests above single-command level: one LUN,
 * target port groups with a state each, one port per path. RTPG reports every group (extended header with a
 * transition time), STPG makes the asked group active/optimized and demotes the others to standby, TEST UNIT READY
 * answers 04/0A while a group transitions. READ(16) and WRITE(16) (normal I/O through a map) are refused as SPC-4
 * §5.15.2 says: 04/0A while transitioning, 04/0B in standby, 04/0C unavailable; otherwise they succeed (a read with
 * zeroes), after any sense queued with {@link #senseOnIo} and a unit attention {@link #failover} posted. Any other
 * command succeeds. A stand-in until the simulator's ALUA personality (issue 4) serves the same handler tests over
 * real sessions.
 */
public final class FakeAluaArray {

    private final VirtualScheduler clock;
    private final int tpgs;
    private final Map<Integer, AluaState> groups = new LinkedHashMap<>();
    private final List<String> stpgs = new ArrayList<>();
    /** Per port (relative port id): senses its next READ/WRITE commands get, in order; a unit attention first. */
    private final Map<Integer, Deque<Sense>> pendingIo = new LinkedHashMap<>();

    public FakeAluaArray(VirtualScheduler clock, int tpgs) {
        this.clock = clock;
        this.tpgs = tpgs;
    }

    public FakeAluaArray group(int id, AluaState state) {
        groups.put(id, state);
        return this;
    }

    public AluaState state(int group) {
        return groups.get(group);
    }

    /** "group 1 → active/optimized" for every STPG received. */
    public List<String> stpgs() {
        return stpgs;
    }

    /** A path through the port with relative port id {@code relPort} in {@code group}. */
    public ScriptedTransport port(String name, int group, int relPort) {
        pendingIo.put(relPort, new ArrayDeque<>());
        return new ScriptedTransport(name, clock).responder(s -> answer(s, group, relPort));
    }

    /** The next {@code times} READ/WRITE commands through port {@code relPort} get CHECK CONDITION {@code sense}. */
    public FakeAluaArray senseOnIo(int relPort, int times, Sense sense) {
        for (int i = 0; i < times; i++) pendingIo.get(relPort).add(sense);
        return this;
    }

    /**
     * An implicit failover (the array's own, or another host's STPG): {@code group} becomes active/optimized, the
     * others standby, and every port posts 2A/06 ASYMMETRIC ACCESS STATE CHANGED to its next READ/WRITE.
     */
    public FakeAluaArray failover(int group) {
        groups.replaceAll((id, st) -> id == group ? AluaState.ACTIVE_OPTIMIZED : AluaState.STANDBY);
        pendingIo.values().forEach(q -> q.addFirst(Sense.ASYMMETRIC_ACCESS_STATE_CHANGED));
        return this;
    }

    private ScriptedTransport.Reply answer(ScriptedTransport.Sent s, int group, int relPort) {
        int op = s.cdb()[0] & 0xFF;
        if (op == Cdb.INQUIRY)
            return good((s.cdb()[1] & 1) != 0 ? Pages.vpd83(Pages.NAA, group, relPort) : Pages.inquiry(tpgs));
        if (op == Cdb.MAINTENANCE_IN) return good(rtpg((s.cdb()[1] & 0x20) != 0));
        if (op == Cdb.MAINTENANCE_OUT) {
            int asked = (s.dataOut()[6] & 0xFF) << 8 | (s.dataOut()[7] & 0xFF);
            stpgs.add("group " + asked + " → " + AluaState.of(s.dataOut()[4] & 0x0F).orElseThrow());
            groups.replaceAll((id, st) -> id == asked ? AluaState.ACTIVE_OPTIMIZED : AluaState.STANDBY);
            return good();
        }
        if (op == Cdb.TEST_UNIT_READY && groups.get(group) == AluaState.TRANSITIONING)
            return check(Sense.NOT_READY_TRANSITIONING);
        if (op == Cdb.READ_16 || op == Cdb.WRITE_16) return io(s, group, relPort);
        return good();
    }

    private ScriptedTransport.Reply io(ScriptedTransport.Sent s, int group, int relPort) {
        Sense queued = pendingIo.get(relPort).poll();
        if (queued != null) return check(queued);
        return switch (groups.get(group)) {
            case TRANSITIONING -> check(Sense.NOT_READY_TRANSITIONING);
            case STANDBY -> check(Sense.NOT_READY_STANDBY);
            case UNAVAILABLE, OFFLINE -> check(Sense.NOT_READY_UNAVAILABLE);
            default -> good(new byte[s.expectedLength()]);
        };
    }

    private byte[] rtpg(boolean ext) {
        List<TargetPortGroups.PortGroup> list = new ArrayList<>();
        groups.forEach((id, st) -> list.add(new TargetPortGroups.PortGroup(id, st.code(), false, Pages.SUPPORTS_TUSNA,
                0, 0, List.of(id))));
        return new TargetPortGroups(ext, 10, list).toBytes();
    }
}
