package io.mpathgw.gateway.group;

import java.util.Objects;

/**
 * What the grouping policies, the PG priority and the table need of one path (multipath-tools' {@code struct path}
 * fields {@code dev_t}, {@code priority}, {@code state}, {@code serial}, {@code tgt_node_name}, {@code tpg_id}).
 *
 * @param devT           the path's name in the table: {@code major:minor} ("8:16") or an mpathgw path id
 * @param priority       the prioritizer's value, higher is better; {@link #PRIO_UNDEF} when unknown or failed
 * @param up             the checker state counts as usable: multipath-tools counts {@code up} and {@code ghost}
 *                       (standby, answers but needs pg_init) in a PG's priority and enabled paths
 *                       ({@code path_group_prio_update}); every other state (down, shaky, pending, timeout, delayed,
 *                       unchecked…) is false
 * @param serial         VPD page 0x80 unit serial number ({@code group_by_serial}); null reads as ""
 * @param targetNodeName the target's node name ({@code group_by_node_name}; for iSCSI the target IQN); null as ""
 * @param tpgId          ALUA target port group id from VPD 0x83 ({@code group_by_tpg}), {@link #TPG_NONE} if none
 * @param rrWeightRepeat reserved for a per-path repeat weight; multipath-tools has none, so the assembler ignores it
 *                       (pass 1)
 */
public record GroupablePath(String devT, int priority, boolean up, String serial, String targetNodeName, int tpgId,
                            int rrWeightRepeat) {

    /** multipath-tools' PRIO_UNDEF. */
    public static final int PRIO_UNDEF = -1;
    /** multipath-tools' GROUP_ID_UNDEF. */
    public static final int TPG_NONE = -1;

    public GroupablePath {
        Objects.requireNonNull(devT, "devT");
        if (devT.isEmpty() || devT.chars().anyMatch(Character::isWhitespace))
            throw new IllegalArgumentException("devT: \"" + devT + "\" (expected: a table path name without blanks)");
        if (priority < PRIO_UNDEF)
            throw new IllegalArgumentException("priority of " + devT + ": " + priority
                    + " (expected: -1 undefined or >= 0; map a prioritizer's error codes to -1)");
        if (tpgId < TPG_NONE || tpgId > 0xffff)
            throw new IllegalArgumentException("tpgId of " + devT + ": " + tpgId + " (expected: -1 none or 0..65535)");
        serial = serial == null ? "" : serial;
        targetNodeName = targetNodeName == null ? "" : targetNodeName;
    }

    /** A path with only what failover, multibus and group_by_prio look at. */
    public static GroupablePath of(String devT, int priority, boolean up) {
        return new GroupablePath(devT, priority, up, "", "", TPG_NONE, 1);
    }

    /** The same path with a new checker verdict and priority, as the next checker tick sees it. */
    public GroupablePath withState(boolean up, int priority) {
        return new GroupablePath(devT, priority, up, serial, targetNodeName, tpgId, rrWeightRepeat);
    }
}
