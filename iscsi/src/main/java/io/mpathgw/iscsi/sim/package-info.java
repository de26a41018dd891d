/**
 * The array simulator: a SAN array in one JVM that behaves towards its paths as the arrays the kernel's scsi_dh
 * handlers were written for (spec §6), with fault injection for every failure a multipath stack must survive.
 *
 * <ul>
 *   <li>{@link io.mpathgw.iscsi.sim.ArraySimulator} (built with {@link io.mpathgw.iscsi.sim.ArraySimulatorBuilder}):
 *       controllers ({@link io.mpathgw.iscsi.sim.Controller}, one ALUA target port group each) with portals on
 *       loopback, LUNs ({@link io.mpathgw.iscsi.sim.SimLun}) with stable NAA 6 WWIDs over memory stores, one target
 *       IQN per array or per controller, served by the project's own target ({@code io.mpathgw.iscsi.target}) and
 *       SBC emulation ({@code io.mpathgw.iscsi.target.sbc}).</li>
 *   <li>{@link io.mpathgw.iscsi.sim.Personality}: alua, rdac, emc, hp_sw, active-active; each is an
 *       {@link io.mpathgw.iscsi.target.sbc.Interceptor} per LUN in front of the SBC disk, answering what the array
 *       type changes (RTPG/STPG, vendor VPD pages, ownership MODE SELECTs, START STOP UNIT, NOT READY states).</li>
 *   <li>Faults: per portal ({@link io.mpathgw.iscsi.target.Portal}: kill, revive, blackhole, latency, refuseLogin;
 *       {@link io.mpathgw.iscsi.sim.Flapper}), per controller (kill with failover), per LUN
 *       ({@link io.mpathgw.iscsi.sim.SenseInjection}, PDL, latency, stall, capacity change, ALUA state, failover).
 *       Randomness comes from the builder's seed only.</li>
 *   <li>{@link io.mpathgw.iscsi.sim.SimCli} ({@code mpathgw sim}) and {@link io.mpathgw.iscsi.sim.SimCommands}: the
 *       same from the command line, faults typed on standard input.</li>
 * </ul>
 */
package io.mpathgw.iscsi.sim;
