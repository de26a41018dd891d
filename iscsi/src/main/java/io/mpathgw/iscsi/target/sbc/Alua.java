package io.mpathgw.iscsi.target.sbc;

import io.mpathgw.iscsi.target.Nexus;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.TargetPortGroups;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ALUA without a personality (SPC-4 §5.16): every target port group the LU knows of — configured, or seen in an
 * I_T nexus — is active/optimized and stays so. REPORT TARGET PORT GROUPS answers that, with or without the
 * extended header; SET TARGET PORT GROUPS (explicit ALUA) accepts only what is already true. A personality that
 * moves states answers both itself through an {@link Interceptor}.
 */
final class Alua {

    private final Settings settings;

    Alua(Settings settings) {
        this.settings = settings;
    }

    /** The groups and their relative target ports: the configured ones plus those of the current nexuses. */
    SortedSet<Integer> groupIds(Collection<Nexus> nexuses) {
        return new TreeSet<>(groups(nexuses).keySet());
    }

    private Map<Integer, SortedSet<Integer>> groups(Collection<Nexus> nexuses) {
        Map<Integer, SortedSet<Integer>> groups = new TreeMap<>();
        settings.portGroups().forEach((id, ports) -> groups.put(id, new TreeSet<>(ports)));
        for (Nexus n : nexuses)
            groups.computeIfAbsent(n.targetPortGroup(), id -> new TreeSet<>()).add(n.relativeTargetPort());
        return groups;
    }

    /** REPORT TARGET PORT GROUPS; PARAMETER DATA FORMAT (byte 1 bits 7..5) 000b or 001b (extended header). */
    byte[] report(Exchange x, Collection<Nexus> nexuses) {
        int format = x.u8(1) >> 5;
        if (format > 1) throw CheckCondition.invalidField(1, 7);
        List<TargetPortGroups.PortGroup> descriptors = new ArrayList<>();
        groups(nexuses).forEach((id, ports) -> descriptors.add(new TargetPortGroups.PortGroup(id,
                AluaState.ACTIVE_OPTIMIZED.code(), false, AluaState.ACTIVE_OPTIMIZED.supportBit(),
                TargetPortGroups.PortGroup.STATUS_NONE, 0, new ArrayList<>(ports))));
        return new TargetPortGroups(format == 1, 0, descriptors).toBytes();
    }

    /**
     * SET TARGET PORT GROUPS: each 4-byte descriptor after the 4-byte header must ask for active/optimized on a
     * known group; anything else is INVALID FIELD IN PARAMETER LIST, since no state can change here.
     */
    void set(Exchange x, Collection<Nexus> nexuses) {
        long length = x.u32(6);
        if (length == 0) return;
        if (length < 4 || (length - 4) % 4 != 0) throw CheckCondition.parameterListLength(6);
        ByteBuf p = x.takeDataOut(length);
        try {
            SortedSet<Integer> known = groupIds(nexuses);
            for (int d = 4; d < length; d += 4) {
                int at = p.readerIndex() + d;
                if ((p.getUnsignedByte(at) & 0x0F) != AluaState.ACTIVE_OPTIMIZED.code())
                    throw CheckCondition.invalidParameter(d, 3);
                if (!known.contains(p.getUnsignedShort(at + 2))) throw CheckCondition.invalidParameter(d + 2, -1);
            }
        } finally {
            p.release();
        }
    }
}
