package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.nbd.NbdExport;
import io.mpathgw.gateway.nbd.NbdServer;
import io.mpathgw.iscsi.initiator.EventLoops;
import io.mpathgw.scsi.BlockDevice;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the daemon's maps and offers each one as an NBD export named after the map and as an iSCSI target
 * {@code target_prefix + map} ({@link IscsiExport}). A map is exported once it is loaded (its block device exists
 * and its snapshot is published); a map that is gone is withdrawn: its NBD clients are disconnected once their
 * requests are answered, its iSCSI sessions dropped.
 *
 * <p>The daemon's MAP_* events trigger a pass at once; a pass also runs every {@code resync} as a safety net (a map
 * whose snapshot was not yet published at its event). Every pass runs on the one "mpathgw-exports" thread, which
 * owns the export state; nothing here touches a map's thread.
 */
public final class Exports implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Exports.class.getName());
    static final Duration RESYNC = Duration.ofSeconds(2);

    private final MapSource source;
    private final EventLoopGroup group;
    private final NbdServer nbd;
    private final IscsiExport iscsi;
    private final ScheduledExecutorService thread;
    private final AutoCloseable subscription;
    private final Map<String, BlockDevice> nbdExported = new LinkedHashMap<>();
    private volatile List<String> exported = List.of();
    private volatile long lastPass = System.nanoTime();
    private final Duration resync;

    private Exports(ExportSettings settings, MapSource source, Duration resync) throws InterruptedException {
        this.source = source;
        this.resync = resync;
        this.group = EventLoops.create(2);
        NbdServer server = null;
        try {
            if (settings.nbdListen() != null)
                server = NbdServer.builder().listen(settings.nbdListen().toString()).eventLoops(group).start();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        this.nbd = server;
        this.iscsi = settings.iscsiListen() == null ? null : new IscsiExport(settings, group);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpathgw-exports");
            t.setDaemon(true);
            return t;
        });
        this.subscription = source.onEvent(this::onEvent);
        thread.scheduleWithFixedDelay(this::sync, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the NBD server (when {@code nbd_listen} is not off) and follows {@code source}'s maps. The iSCSI target
     * starts with the first map (when {@code iscsi_listen} is not off).
     *
     * @throws IllegalStateException the NBD address cannot be bound (the message names it)
     */
    public static Exports start(ExportSettings settings, MapSource source) throws InterruptedException {
        return new Exports(settings, source, RESYNC);
    }

    static Exports start(ExportSettings settings, MapSource source, Duration resync) throws InterruptedException {
        return new Exports(settings, source, resync);
    }

    private void onEvent(EventView e) {
        if (e.kind().startsWith("MAP_")) thread.execute(this::sync);
    }

    /** One pass: export the loaded maps not yet exported, withdraw the ones gone. Exports thread. */
    private void sync() {
        try {
            Map<String, MapExport> want = new LinkedHashMap<>();
            for (MapView v : source.maps()) {
                Optional<? extends BlockDevice> d = source.blockDevice(v.name());
                if (d.isPresent()) want.put(v.name(), MapExport.of(v, d.get()));
            }
            if (nbd != null) syncNbd(want);
            if (iscsi != null) iscsi.apply(want);
            exported = List.copyOf(want.keySet());
            lastPass = System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "exports: " + e.getMessage(), e);     // the next pass tries again
        }
    }

    private void syncNbd(Map<String, MapExport> want) {
        for (String name : new ArrayList<>(nbdExported.keySet())) {
            MapExport m = want.get(name);
            if (m != null && m.device() == nbdExported.get(name)) continue;
            nbd.removeExport(name);
            nbdExported.remove(name);
            LOG.info("NBD export withdrawn: " + name);
        }
        for (MapExport m : want.values()) {
            if (nbdExported.containsKey(m.name())) continue;
            nbd.addExport(new NbdExport(m.name(), "mpathgw map " + m.name() + " (" + m.wwid() + ")", m.device(), false));
            nbdExported.put(m.name(), m.device());
            LOG.info("NBD export: " + m.name() + " on " + nbd.localAddress());
        }
    }

    /**
     * Whether the exports thread still completes its passes: the last one ended within three resync periods (the
     * systemd watchdog pings only while this holds).
     */
    public boolean healthy() {
        return System.nanoTime() - lastPass < 3 * resync.toNanos() + TimeUnit.SECONDS.toNanos(1);
    }

    /** Maps exported after the last pass, in the daemon's order. */
    public List<String> exported() {
        return exported;
    }

    /** Runs a pass now and waits for it (tests, and callers who just changed the maps). */
    public void syncNow() throws InterruptedException {
        try {
            thread.submit(this::sync).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("exports: sync did not finish: " + e, e);
        }
    }

    /** The NBD server's TCP port, or -1 when NBD is off. */
    public int nbdPort() {
        return nbd == null ? -1 : nbd.port();
    }

    /** The iSCSI target's port (the bound one once a map is exported), or -1 when iSCSI is off. */
    public int iscsiPort() {
        return iscsi == null ? -1 : iscsi.port();
    }

    /** The iSCSI target name of {@code map}. */
    public Optional<String> targetName(String map) {
        return iscsi == null ? Optional.empty() : Optional.of(iscsi.targetName(map));
    }

    /**
     * Stops following the maps, stops listening, lets NBD clients' requests finish (at most 5 s: a queueing map's
     * requests are failed by the daemon's close after this), drops the iSCSI sessions.
     */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.fine("exports: unsubscribe: " + e);
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (iscsi != null) iscsi.close();
        if (nbd != null) nbd.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        exported = List.of();
    }
}
