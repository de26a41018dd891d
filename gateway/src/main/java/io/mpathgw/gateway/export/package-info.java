/**
 * The maps as clients use them: {@link io.mpathgw.gateway.export.Exports} follows the daemon's maps and offers each
 * as an NBD export named after the map and as an iSCSI target {@code target_prefix + map} (LUN 0, the array's WWID
 * and INQUIRY identity); {@link io.mpathgw.gateway.export.ExportLifecycle} runs them in the Quarkus service with the
 * bounded stop, and {@link io.mpathgw.gateway.export.SystemdNotify} speaks systemd's notify protocol (READY,
 * WATCHDOG, STOPPING) for packaging/systemd/mpathgw.service.
 */
package io.mpathgw.gateway.export;
