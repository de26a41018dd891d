/**
 * The gateway's daemon: what iscsid and multipathd do on a Linux host. {@link io.mpathgw.gateway.daemon.Gateway}
 * discovers the configured portals (SendTargets), logs into every target portal, scans each session's LUNs (INQUIRY,
 * VPD 0x83 WWID, VPD 0x80, READ CAPACITY(16)), names the paths as Linux names SCSI disks (sda, 8:0, H:0:0:L), forms
 * one map per WWID over the dm-bridge engine and runs each map's checker loop (checkers, prioritizers, grouping,
 * failback and reloads from the check, prio and group packages). The API reads only the snapshots each map publishes
 * from its own thread; actions hop onto that thread. Plain Java: the REST layer wraps it in a CDI producer.
 */
package io.mpathgw.gateway.daemon;
