package io.mpathgw.gateway.export;

import io.mpathgw.gateway.config.ConfException;
import io.mpathgw.gateway.config.ExportSettings;
import io.mpathgw.gateway.config.GatewayConfig;
import io.mpathgw.gateway.config.PortalAddress;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.demo.DemoArray;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the exports in the service: starts {@link Exports} over the daemon once the application has started (the
 * {@code export} section of {@code mpathgw.config}; defaults without one), tells systemd it is ready and pings its
 * watchdog ({@link SystemdNotify}, when started with Type=notify), and on shutdown stops in the order that bounds
 * it ({@link #shutdown}): queueing off (queued I/O fails), the exports, the daemon (its producer's disposer then
 * finds it closed), then the demo array if there is one.
 *
 * <p>Under {@code @QuarkusTest} (launch mode TEST) the export ports are replaced by 0, so tests never take the fixed
 * ports 10809 and 3260. {@code mpathgw.exports.enabled=false} turns the exports off.
 */
@ApplicationScoped
public class ExportLifecycle {

    private static final Logger LOG = Logger.getLogger(ExportLifecycle.class);

    @ConfigProperty(name = "mpathgw.config")
    Optional<String> gatewayConf;
    @ConfigProperty(name = "mpathgw.exports.enabled", defaultValue = "true")
    boolean enabled;
    @Inject
    Instance<Gateway> gateway;
    /** Where sd_notify messages go; unset: $NOTIFY_SOCKET (what systemd sets). For tests and odd supervisors. */
    @ConfigProperty(name = "mpathgw.notify-socket")
    Optional<String> notifySocket;
    /** The watchdog interval in microseconds; unset: $WATCHDOG_USEC. */
    @ConfigProperty(name = "mpathgw.watchdog-usec")
    Optional<String> watchdogUsec;

    private volatile Exports exports;
    private volatile SystemdNotify notify;
    private volatile boolean started, httpStarted;
    private boolean readySent;

    void start(@Observes StartupEvent event) throws InterruptedException {
        if (enabled && gateway.isResolvable()) {
            ExportSettings s = settings();
            exports = Exports.start(s, MapSource.of(gateway.get()));
            LOG.infof("exports: NBD %s, iSCSI %s (target %s<map>)",
                    s.nbdListen() == null ? "off" : "on " + s.nbdListen().host() + ":" + exports.nbdPort(),
                    s.iscsiListen() == null ? "off" : "on " + s.iscsiListen(), s.targetPrefix());
        } else {
            LOG.info("exports: off (mpathgw.exports.enabled=" + enabled + ")");
        }
        notify = SystemdNotify.to(notifySocket.orElse(System.getenv("NOTIFY_SOCKET"))).orElse(null);
        started = true;
        readyIfServing();
    }

    /**
     * The REST and web listener is up: Quarkus fires this asynchronously (Event.fireAsync) once the HTTP server
     * listens, before or after the startup event.
     */
    void httpStarted(@ObservesAsync HttpServerStart event) {
        httpStarted = true;
        readyIfServing();
    }

    /** READY=1 once the daemon, the exports and the HTTP listener all serve; then the watchdog's pings. */
    private synchronized void readyIfServing() {
        if (notify == null || !started || !httpStarted || readySent) return;
        readySent = true;
        notify.send("READY=1\nSTATUS=serving: " + (exports == null ? "exports off" : "exports " + exports.exported()));
        Map<String, String> env = new HashMap<>(System.getenv());
        watchdogUsec.ifPresent(v -> env.put("WATCHDOG_USEC", v));
        SystemdNotify.watchdogInterval(env, ProcessHandle.current().pid()).ifPresent(i ->
                notify.startWatchdog(i, () -> exports == null || exports.healthy()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (notify != null) notify.send("STOPPING=1\nSTATUS=stopping: exports, then the daemon");
        long t0 = System.nanoTime();
        shutdown(exports, gateway.isResolvable() ? gateway.get() : null);
        DemoArray.current().ifPresent(DemoArray::close);
        LOG.infof("stopped in %d ms", (System.nanoTime() - t0) / 1_000_000);
        if (notify != null) notify.close();
    }

    /**
     * The bounded stop: queueing off on every map first (queued I/O fails now, so clients get their errors instead
     * of waiting; I/O on live paths goes on and drains), then the exports (NBD clients' outstanding requests are
     * answered, at most 5 s; iSCSI sessions dropped), then the daemon (logout, bounded by its login timeout).
     * Either argument may be null.
     */
    static void shutdown(Exports exports, Gateway gateway) {
        if (gateway != null) {
            try {
                gateway.disableQueueing(null).toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("stop: queueing off did not finish (%s); the daemon's close fails queued I/O", e.toString());
            }
        }
        if (exports != null) exports.close();
        if (gateway != null) gateway.close();
    }

    /** The running exports (empty when off or not started yet). */
    public Optional<Exports> exports() {
        return Optional.ofNullable(exports);
    }

    private ExportSettings settings() {
        ExportSettings s = ExportSettings.defaults();
        if (gatewayConf.isPresent() && !gatewayConf.get().isBlank()) {
            try {
                s = GatewayConfig.load(Path.of(gatewayConf.get())).export();
            } catch (ConfException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        if (LaunchMode.current() != LaunchMode.TEST) return s;
        return new ExportSettings(ephemeral(s.nbdListen()), ephemeral(s.iscsiListen()), s.targetPrefix(),
                s.allowedInitiators(), s.chapUsername(), s.chapPassword());
    }

    private static PortalAddress ephemeral(PortalAddress a) {
        return a == null ? null : new PortalAddress(a.host(), 0);
    }
}
