/**
 * Hardware handlers: the kernel's scsi_dh {@code alua}, {@code rdac}, {@code emc} and {@code hp_sw} (spec §6),
 * driving a path's {@link io.mpathgw.scsi.ScsiTransport} and nothing else of it.
 *
 * <p>How the pieces meet:
 * <ol>
 *   <li>Table load: {@link io.mpathgw.dm.handler.HardwareHandlers#TABLE_ATTACH} is the table parser's
 *       {@code HandlerAttach}: unknown name → "error attaching hardware handler", parameters the handler's
 *       set_params refuses → "unable to set hardware handler parameters" (spec §1.6, §1.7 #21, #22).</li>
 *   <li>Path bound to its session: {@link io.mpathgw.dm.handler.HardwareHandler#attach} sends the discovery
 *       commands and yields the path's {@link io.mpathgw.dm.handler.AttachedHandler}; paths of one LUN or controller
 *       share state through one {@link io.mpathgw.dm.handler.HandlerContext}.</li>
 *   <li>pg_init: {@link io.mpathgw.dm.handler.HandlerActivator} is the engine's {@code PathActivator}; each
 *       activation completes with a SCSI_DH code that {@code pg_init_done} acts on (spec §4.5, §6.5).</li>
 *   <li>Normal I/O: the same {@code HandlerActivator} is the engine's {@code PathHandlerHooks}
 *       ({@code ScsiPathIo.hooks}): the path binding asks {@link io.mpathgw.dm.handler.AttachedHandler#admits()}
 *       before sending (prep_fn) and {@link io.mpathgw.dm.handler.AttachedHandler#checkSense} on CHECK CONDITION,
 *       whose {@link io.mpathgw.dm.handler.Disposition} becomes the engine's disposition of the same name.</li>
 * </ol>
 * Nothing here blocks: every command is a {@code CompletableFuture}, every wait a task on the
 * {@link io.mpathgw.dm.handler.HandlerScheduler}, and every step is bounded by a command timeout or a transition
 * deadline ({@link io.mpathgw.dm.handler.HandlerSettings}).
 */
package io.mpathgw.dm.handler;
