package io.mpathgw.gateway.api;

import io.mpathgw.gateway.config.ConfException;
import io.mpathgw.gateway.config.ConfigLoader;
import io.mpathgw.gateway.config.ConfigSet;
import io.mpathgw.gateway.config.GatewayConfig;
import io.mpathgw.gateway.config.IscsiSettings;
import io.mpathgw.gateway.config.PortalConfig;
import io.mpathgw.gateway.daemon.Gateway;
import io.mpathgw.gateway.daemon.GatewaySetup;
import io.mpathgw.gateway.daemon.Policies;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts the daemon when the service starts and closes it when it stops. Its configuration comes from
 * {@code mpathgw.config} (gateway.conf: portals, iSCSI timers; unset: no portals, and health says there is no map)
 * and {@code mpathgw.multipath-conf} (unset: the built-in defaults and hardware table). A named file that does not
 * exist, or one with an error, stops startup with the file, line and key. {@code POST /api/v1/config/reload} reads
 * both files again; only multipath.conf's policies apply to the running daemon (portals and timers need a restart).
 */
@ApplicationScoped
public class GatewayProducer {

    private static final Logger LOG = Logger.getLogger(GatewayProducer.class);

    @ConfigProperty(name = "mpathgw.config")
    Optional<String> gatewayConf;
    @ConfigProperty(name = "mpathgw.multipath-conf")
    Optional<String> multipathConf;

    private volatile ConfigSet running;
    private volatile String portalsNote;
    private volatile Gateway started;

    /** The daemon, as {@code Gateway} for the exports and as {@code GatewayControl} for the API. */
    @Produces
    @Singleton
    @Startup
    Gateway gateway() throws InterruptedException {
        ConfigLoader loader = new ConfigLoader(file("mpathgw.multipath-conf", multipathConf),
                file("mpathgw.config", gatewayConf));
        try {
            running = loader.load();
        } catch (ConfException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        GatewaySetup setup = setup(running.gateway(), new ConfPolicies(running.multipath()), () -> {
            ConfigSet next = loader.reload(running);
            running = next;
            return new ConfPolicies(next.multipath());
        }).build();
        if (setup.portals().isEmpty()) {
            portalsNote = "no portals configured (" + gatewayConf.map(f -> "no portal section in " + f)
                    .orElse("mpathgw.config is not set") + ")";
            LOG.warn(portalsNote + ": the gateway runs without paths until a gateway.conf names some");
        }
        running.multipath().warnings().forEach(w -> LOG.warn(w.toString()));
        running.gateway().warnings().forEach(w -> LOG.warn(w.toString()));
        started = Gateway.start(setup);
        return started;
    }

    /**
     * Why the gateway has no portals, for the health data; null when it has some, or when {@code control} is not the
     * daemon this producer started (a test's alternative).
     */
    String portalsNote(Object control) {
        return control == started ? portalsNote : null;
    }

    void close(@Disposes Gateway gateway) {
        gateway.close();
    }

    /** The configured file; an unset property names a path that does not exist (ConfigLoader: built-in defaults). */
    private static Path file(String property, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) return Path.of("/nonexistent/mpathgw/" + property);
        Path p = Path.of(value.get());
        if (!Files.isRegularFile(p))
            throw new IllegalStateException(property + ": " + p.toAbsolutePath() + " (expected: an existing file)");
        return p;
    }

    /**
     * gateway.conf as the daemon's setup. Digests: our initiator offers either "None" or "CRC32C,None", so every
     * preference that names CRC32C (CRC32C, CRC32C,None and None,CRC32C) offers "CRC32C,None": a target that supports
     * CRC32C gets it even where None was preferred (a digest costs CPU, a failed login costs the path), and a target
     * that answers None still gets a session, so a plain "CRC32C" is not enforced against a target that declines it.
     * Mutual CHAP: chap_username_in / chap_password_in are the target's name and secret for each session's login.
     */
    static GatewaySetup.Builder setup(GatewayConfig g, Policies policies,
                                      java.util.concurrent.Callable<Policies> reload) {
        IscsiSettings i = g.iscsi();
        GatewaySetup.Builder b = GatewaySetup.builder().initiatorName(i.initiatorName())
                .nop(i.noopOutInterval(), i.noopOutTimeout()).loginTimeout(i.loginTimeout())
                .reconnectCap(i.reloginMaxInterval())
                .digests(i.headerDigest().offersCrc32c(), i.dataDigest().offersCrc32c())
                .commandTimeout(i.commandTimeout()).sessionsPerPortal(i.sessionsPerPortal())
                .policies(policies).policiesReload(reload);
        for (PortalConfig p : g.portals())
            b.portal(new GatewaySetup.Portal(p.address().socketAddress(), Optional.ofNullable(p.target()),
                    Optional.ofNullable(p.chapUsername()), Optional.ofNullable(p.chapPassword()),
                    Optional.ofNullable(p.chapUsernameIn()), Optional.ofNullable(p.chapPasswordIn())));
        return b;
    }
}
