package io.mpathgw.gateway.api;

import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.Health;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health}: ready once every configured map has a usable path (the daemon's {@link Health#ready()}), with the
 * health word and the per-map reasons as data; live whenever the daemon answers. Reads a snapshot, never blocks.
 */
public final class GatewayHealthChecks {

    private GatewayHealthChecks() {
    }

    static HealthCheckResponse response(String name, boolean up, Health h) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).status(up).withData("health", h.word());
        for (int i = 0; i < h.reasons().size(); i++) b.withData("reason" + (i + 1), h.reasons().get(i));
        return b.build();
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        GatewayControl control;
        @Inject
        GatewayProducer producer;

        @Override
        public HealthCheckResponse call() {
            Health h = control.health();
            String note = producer.portalsNote(control);
            if (note == null) return response("mpathgw maps", h.ready(), h);
            List<String> reasons = new ArrayList<>(h.reasons());
            reasons.add(0, note);
            return response("mpathgw maps", false, new Health(false, h.word(), reasons));
        }
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        GatewayControl control;

        @Override
        public HealthCheckResponse call() {
            return response("mpathgw daemon", true, control.health());
        }
    }
}
