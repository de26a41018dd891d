package io.mpathgw.iscsi.target;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One network portal of the target (RFC 7143 §4.4.1) and the SCSI target port behind it.
 *
 * @param bind               address to listen on; port 0 picks a free port ({@link Portal#address()} tells which)
 * @param portalGroupTag     the iSCSI target portal group tag (TPGT, 1..65535) sent as TargetPortalGroupTag and in
 *                           each TargetAddress
 * @param targetPortGroup    the ALUA target port group (VPD 0x83, REPORT TARGET PORT GROUPS) of this port
 * @param relativeTargetPort the relative target port identifier (1..65535)
 * @param advertisedHost     host written in TargetAddress; null: the bind address, or for a wildcard bind the local
 *                           address of the discovery connection
 */
public record PortalConfig(InetSocketAddress bind, int portalGroupTag, int targetPortGroup, int relativeTargetPort,
                           String advertisedHost) {

    public PortalConfig {
        Objects.requireNonNull(bind, "bind");
        if (portalGroupTag < 1 || portalGroupTag > 65535)
            throw new IllegalArgumentException("portalGroupTag: " + portalGroupTag + " (expected: 1..65535, RFC 7143 §13.9)");
        if (targetPortGroup < 0 || targetPortGroup > 65535)
            throw new IllegalArgumentException("targetPortGroup: " + targetPortGroup + " (expected: 0..65535, SPC-4)");
        if (relativeTargetPort < 1 || relativeTargetPort > 65535)
            throw new IllegalArgumentException("relativeTargetPort: " + relativeTargetPort + " (expected: 1..65535, SPC-4)");
    }

    /** A loopback-style portal: TPGT, target port group and relative port given, host advertised as bound. */
    public static PortalConfig of(InetSocketAddress bind, int portalGroupTag, int targetPortGroup, int relativeTargetPort) {
        return new PortalConfig(bind, portalGroupTag, targetPortGroup, relativeTargetPort, null);
    }

    /** Portal group tag 1, target port group 1, relative port 1. */
    public static PortalConfig of(InetSocketAddress bind) {
        return of(bind, 1, 1, 1);
    }
}
