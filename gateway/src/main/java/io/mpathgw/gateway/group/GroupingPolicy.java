package io.mpathgw.gateway.group;

import java.util.Arrays;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * multipath.conf's {@code path_grouping_policy} (spec §7.3, multipath-tools {@code pgpolicies.c}). The
 * {@code group_by_*} policies cluster by first match in path-vector order: each path not yet placed opens a group and
 * pulls in every later path that matches it.
 */
public enum GroupingPolicy {
    /** One path per group (the default). */
    FAILOVER("failover", null),
    /** All paths in one group. */
    MULTIBUS("multibus", null),
    /** One group per VPD 0x80 serial ({@code serials_match}). */
    GROUP_BY_SERIAL("group_by_serial", (a, b) -> a.serial().equals(b.serial())),
    /** One group per priority value ({@code prios_match}); compares the raw value, so -1 paths group together. */
    GROUP_BY_PRIO("group_by_prio", (a, b) -> a.priority() == b.priority()),
    /** One group per target node name ({@code node_names_match}). */
    GROUP_BY_NODE_NAME("group_by_node_name", (a, b) -> a.targetNodeName().equals(b.targetNodeName())),
    /**
     * One group per ALUA target port group id ({@code tpg_match}, multipath-tools 0.10+); paths without one group
     * together. Choosing this policy only when every path uses an ALUA prioritizer (else failover, "emergency
     * fallback") is the policy selection's job, not this one's.
     */
    GROUP_BY_TPG("group_by_tpg", (a, b) -> a.tpgId() == b.tpgId());

    private final String confName;
    private final BiPredicate<GroupablePath, GroupablePath> match;

    GroupingPolicy(String confName, BiPredicate<GroupablePath, GroupablePath> match) {
        this.confName = confName;
        this.match = match;
    }

    /** The name multipath.conf and {@code multipathd show config} use. */
    public String confName() {
        return confName;
    }

    /** Whether {@code b} joins the group that {@code a} opened; null for failover and multibus. */
    BiPredicate<GroupablePath, GroupablePath> match() {
        return match;
    }

    /**
     * The policy of that name, exactly (multipath-tools compares only a prefix, so "failover2" passes there; here it
     * is an error).
     */
    public static GroupingPolicy parse(String name) {
        for (GroupingPolicy p : values()) if (p.confName.equals(name)) return p;
        throw new IllegalArgumentException("path_grouping_policy: \"" + name + "\" (expected: "
                + Arrays.stream(values()).map(GroupingPolicy::confName).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return confName;
    }
}
