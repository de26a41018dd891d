package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.iscsi.target.Portal;
import io.mpathgw.scsi.Sense;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A fault for {@link SimLun#inject}: the next {@code count} commands that match end in CHECK CONDITION with
 * {@code sense}, before the LU or its personality sees them (and before a pending unit attention). By default it
 * matches every command through every port except INQUIRY, REPORT LUNS and REQUEST SENSE — the commands a unit
 * attention does not hit either, so path discovery still works; narrow or widen it with the {@code with…} methods.
 *
 * @param sense   what the commands end with
 * @param count   how many commands it hits (1..)
 * @param where   which I_T nexuses (ports) it applies to
 * @param command which CDBs it applies to
 * @param what    a description for status output ("all ports", "port 2", "opcode 0x15")
 */
public record SenseInjection(Sense sense, int count, Predicate<Nexus> where, Predicate<byte[]> command, String what) {

    public SenseInjection {
        Objects.requireNonNull(sense, "sense");
        if (count < 1) throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
    }

    /** {@code sense} for the next {@code count} commands through any port (not INQUIRY, REPORT LUNS, REQUEST SENSE). */
    public static SenseInjection of(Sense sense, int count) {
        return new SenseInjection(sense, count, n -> true, cdb -> !Commands.alwaysAllowed(cdb)
                || Commands.rtpg(cdb), "all ports");
    }

    /** Only through the ports of {@code c}. */
    public SenseInjection through(Controller c) {
        int tpg = c.targetPortGroup();
        return new SenseInjection(sense, count, where.and(n -> n.targetPortGroup() == tpg), command,
                what + ", controller " + c.name());
    }

    /** Only through {@code portal}'s target port. */
    public SenseInjection through(Portal portal) {
        int rtp = portal.config().relativeTargetPort();
        return new SenseInjection(sense, count, where.and(n -> n.relativeTargetPort() == rtp), command,
                what + ", relative port " + rtp);
    }

    /** Only commands with operation code {@code opcode}. */
    public SenseInjection onOpcode(int opcode) {
        return new SenseInjection(sense, count, where, cdb -> (cdb[0] & 0xFF) == opcode,
                what + String.format(", opcode 0x%02x", opcode));
    }

    /** Every command, INQUIRY, REPORT LUNS and REQUEST SENSE included. */
    public SenseInjection onAnyCommand() {
        return new SenseInjection(sense, count, where, cdb -> true, what + ", any command");
    }

    @Override
    public String toString() {
        return sense + " x" + count + " (" + what + ")";
    }
}
