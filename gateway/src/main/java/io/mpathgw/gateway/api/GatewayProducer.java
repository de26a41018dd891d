package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.ControlException;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.Health;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathView;
import io.mpathgw.gateway.model.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * INTERIM, until io.mpathgw.gateway.daemon.Gateway is committed: the service runs without a daemon. Reads answer
 * empty with health "Starting: the gateway daemon is not wired into the service yet" (readiness DOWN), actions 503.
 * Replaced by the producer that starts the daemon from mpathgw.config / mpathgw.multipath-conf.
 */
@ApplicationScoped
public class GatewayProducer {

    static final String NOT_WIRED = "the gateway daemon is not wired into the service yet";

    @Produces
    @ApplicationScoped
    GatewayControl control() {
        return new GatewayControl() {
            @Override public List<MapView> maps() { return List.of(); }
            @Override public Optional<MapView> map(String name) { return Optional.empty(); }
            @Override public List<PathView> paths() { return List.of(); }
            @Override public List<SessionView> sessions() { return List.of(); }
            @Override public List<EventView> events(long afterSeq, int limit) { return List.of(); }
            @Override public AutoCloseable onEvent(Consumer<EventView> listener) { return () -> { }; }
            @Override public Health health() { return new Health(false, "Starting", List.of(NOT_WIRED)); }
            @Override public CompletionStage<String> message(String map, long sector, String text) { return refused(); }
            @Override public CompletionStage<Void> failPath(String dev) { return refused(); }
            @Override public CompletionStage<Void> reinstatePath(String dev) { return refused(); }
            @Override public CompletionStage<Void> switchGroup(String map, int group) { return refused(); }
            @Override public CompletionStage<Void> enableGroup(String map, int group) { return refused(); }
            @Override public CompletionStage<Void> disableGroup(String map, int group) { return refused(); }
            @Override public CompletionStage<Void> disableQueueing(String map) { return refused(); }
            @Override public CompletionStage<Void> restoreQueueing(String map) { return refused(); }
            @Override public CompletionStage<Void> retryLogin(String portal) { return refused(); }
            @Override public String showConfig() { return "# " + NOT_WIRED + "\n"; }
            @Override public CompletionStage<Void> reconfigure() { return refused(); }
        };
    }

    private static <T> CompletionStage<T> refused() {
        return CompletableFuture.failedFuture(new ControlException(503, NOT_WIRED));
    }
}
