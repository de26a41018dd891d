package io.mpathgw.iscsi.initiator;

import java.util.List;

/** One target of a SendTargets answer (RFC 7143 Appendix C): its name and the portals that reach it. */
public record DiscoveredTarget(String name, List<TargetAddress> addresses) {
}
