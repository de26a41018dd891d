/**
 * The gateway's configuration, plain Java (no CDI): multipath.conf as multipath-tools 0.14.3 reads it and the
 * gateway's own gateway.conf.
 * <ul>
 *   <li>{@link io.mpathgw.gateway.config.MultipathConf}: load/parse, {@code policyFor} (a
 *       {@link io.mpathgw.gateway.config.MapPolicy} with the origin of every value), {@code blacklisted},
 *       {@code findMultipaths}, {@code show()} in multipathd's show config layout, {@code warnings()}.</li>
 *   <li>{@link io.mpathgw.gateway.config.HwTable}: the built-in hardware table, as multipath.conf text.</li>
 *   <li>{@link io.mpathgw.gateway.config.GatewayConfig}: portals, CHAP, initiator timers and exports.</li>
 *   <li>{@link io.mpathgw.gateway.config.ConfigLoader}: both files or neither, for reloads.</li>
 * </ul>
 * Grammar: ConfLexer (words) → ConfParser (blocks) → MultipathConfReader / GatewayConfigReader (typed values,
 * {@link io.mpathgw.gateway.config.ConfException} or {@link io.mpathgw.gateway.config.ConfWarning}) →
 * PolicyResolver (propsel.c precedence).
 */
package io.mpathgw.gateway.config;
