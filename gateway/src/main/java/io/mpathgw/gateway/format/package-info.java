/**
 * multipath-tools' text and JSON views of the gateway's model, byte for byte as {@code multipath -ll} and
 * {@code multipathd show …} print them (spec §7.10, §7.11): the format wildcards with their column headers and
 * padding rules, the topology tree and multipathd's JSON layout. Pure functions of the model snapshots; no I/O.
 */
package io.mpathgw.gateway.format;
