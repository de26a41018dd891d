package io.mpathgw.dm.handler;

import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Cdb;
import io.mpathgw.scsi.Sense;
import io.mpathgw.scsi.TargetPortGroups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.mpathgw.dm.handler.ScriptedTransport.Reply.check;
import static io.mpathgw.dm.handler.ScriptedTransport.Reply.good;

/**
 * A small ALUA array behind {@link ScriptedTransport} responders, for tests above single-command level: one LUN,
 * target port groups with a state each, one port per path. RTPG reports every group (extended header with a
 * transition time), STPG makes the asked group active/optimized and demotes the others to standby, TEST UNIT READY
 * answers 04/0A while a group transitions, and any other command succeeds. A stand-in until the simulator's ALUA
 * personality (issue 4) serves the same handler tests over real sessions.
 */
public final class FakeAluaArray {

    private final VirtualScheduler clock;
    private final int tpgs;
    private final Map<Integer, AluaState> groups = new LinkedHashMap<>();
    private final List<String> stpgs = new ArrayList<>();

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
        return new ScriptedTransport(name, clock).responder(s -> answer(s, group, relPort));
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
        return good();
    }

    private byte[] rtpg(boolean ext) {
        List<TargetPortGroups.PortGroup> list = new ArrayList<>();
        groups.forEach((id, st) -> list.add(new TargetPortGroups.PortGroup(id, st.code(), false, Pages.SUPPORTS_TUSNA,
                0, 0, List.of(id))));
        return new TargetPortGroups(ext, 10, list).toBytes();
    }
}
