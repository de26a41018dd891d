package io.mpathgw.dm.handler;

import java.util.HashMap;
import java.util.Map;

/**
 * scsi_dh_alua's port_group_list: one {@link AluaPortGroup} per LUN identity and target port group id, shared by
 * every path that reports both (spec §6.1). A LUN without an identity (no usable VPD 0x83 designator) gets a private
 * group per path, as the kernel's lookup never matches an empty id.
 */
final class AluaPortGroups {

    private record Key(String lunId, int groupId) {
    }

    private final Map<Key, AluaPortGroup> groups = new HashMap<>();

    /** alua_alloc_pg: the existing group, unchanged, or a new one with {@code tpgs}. */
    synchronized AluaPortGroup getOrCreate(String lunId, int groupId, int tpgs, HandlerContext ctx) {
        if (lunId.isEmpty()) return new AluaPortGroup(lunId, groupId, tpgs, ctx);
        return groups.computeIfAbsent(new Key(lunId, groupId), k -> new AluaPortGroup(lunId, groupId, tpgs, ctx));
    }

    /** alua_find_get_pg. */
    synchronized AluaPortGroup find(String lunId, int groupId) {
        return lunId.isEmpty() ? null : groups.get(new Key(lunId, groupId));
    }

    /** The last path left the group: forget it (release_port_group). */
    synchronized void removeIfUnused(AluaPortGroup g) {
        if (!g.hasMembers()) groups.remove(new Key(g.lunId, g.groupId), g);
    }
}
