package io.mpathgw.dm.handler;

import io.mpathgw.dm.engine.DmLog;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What handlers need around them: the scheduler, the settings, where kernel-style log lines go, and the objects the
 * kernel keeps in module-wide lists and shares between the paths of a LUN or a controller: ALUA port groups
 * (scsi_dh_alua's port_group_list) and RDAC controllers (scsi_dh_rdac's ctlr_list). Paths attached with the same
 * context share them; one context per gateway, or per test.
 */
public final class HandlerContext {

    private final HandlerScheduler scheduler;
    private final HandlerSettings settings;
    private final DmLog log;
    final AluaPortGroups aluaGroups = new AluaPortGroups();
    final RdacControllers rdacControllers = new RdacControllers();

    public HandlerContext(HandlerScheduler scheduler, HandlerSettings settings, DmLog log) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The kernel's settings, on {@code executor}, logging through {@link DmLog#system()}. */
    public static HandlerContext of(ScheduledExecutorService executor) {
        return new HandlerContext(HandlerScheduler.of(executor), HandlerSettings.KERNEL, DmLog.system());
    }

    public HandlerScheduler scheduler() {
        return scheduler;
    }

    public HandlerSettings settings() {
        return settings;
    }

    public DmLog log() {
        return log;
    }

    /** sdev_printk: {@code "<path>: <handler>: <text>"}. */
    void log(String path, String handler, String text) {
        log.line(path + ": " + handler + ": " + text);
    }
}
