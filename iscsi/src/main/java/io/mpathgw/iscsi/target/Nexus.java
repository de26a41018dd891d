package io.mpathgw.iscsi.target;

/**
 * An I_T nexus (SAM-5 §4.7; RFC 7143 §4.4.2): which initiator port reaches the LU through which target port.
 * Unit attentions, reservations and ALUA access states are kept per nexus or per target port group.
 *
 * @param initiatorName      the iSCSI initiator name
 * @param isid               the session's ISID (initiator port = name + ",i,0x" + ISID)
 * @param targetPortGroup    target port group id of the port the session came in through
 * @param relativeTargetPort relative target port identifier of that port (1..65535)
 */
public record Nexus(String initiatorName, long isid, int targetPortGroup, int relativeTargetPort) {

    /** The SCSI initiator port name, as RFC 7143 §4.4.2 forms it. */
    public String initiatorPort() {
        return String.format("%s,i,0x%012x", initiatorName, isid);
    }
}
