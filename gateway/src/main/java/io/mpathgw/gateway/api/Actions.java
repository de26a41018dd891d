package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.ControlException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs an action of {@code GatewayControl} for a resource: answers {@code {"result":"ok"}} once the map thread
 * applied it, the gateway's refusal as is, and 503 when the map thread has not answered within
 * {@code mpathgw.api.action-timeout} (a stuck map must not hold HTTP requests forever).
 */
@ApplicationScoped
public class Actions {

    private final Duration timeout;

    public Actions(@ConfigProperty(name = "mpathgw.api.action-timeout", defaultValue = "30s") Duration timeout) {
        this.timeout = timeout;
    }

    CompletionStage<ActionResult> run(String what, Supplier<CompletionStage<Void>> action) {
        return bounded(what, action).thenApply(v -> ActionResult.OK);
    }

    <T> CompletionStage<T> bounded(String what, Supplier<CompletionStage<T>> action) {
        CompletableFuture<T> f;
        try {
            f = action.get().toCompletableFuture();
        } catch (ControlException e) {
            return CompletableFuture.failedFuture(e);      // refused before it reached a map thread
        }
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((v, e) -> {
            if (e == null) return v;
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException)
                throw new ControlException(503, what + ": not applied by the map thread within " + timeout.toMillis()
                        + " ms (mpathgw.api.action-timeout)");
            if (cause instanceof RuntimeException r) throw r;
            throw new CompletionException(cause);
        });
    }
}
