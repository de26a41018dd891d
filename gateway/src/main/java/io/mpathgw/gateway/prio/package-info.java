/**
 * multipathd's prioritizers (spec §7.2): {@link io.mpathgw.gateway.prio.Prioritizer} by name and prio_args from
 * {@link io.mpathgw.gateway.prio.Prioritizers} — const, random, alua, rdac, emc, hp_sw, weightedpath, path_latency.
 * {@link io.mpathgw.gateway.prio.Prioritizer#evaluate} returns a {@link io.mpathgw.gateway.prio.PrioResult} with the
 * ALUA target port group and state besides the priority; {@code priority} the number alone (-1 PRIO_UNDEF).
 */
package io.mpathgw.gateway.prio;
