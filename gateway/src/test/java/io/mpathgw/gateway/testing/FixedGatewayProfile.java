package io.mpathgw.gateway.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/** Runs a @QuarkusTest against {@link FixedGatewayControl} instead of the daemon, with a short action timeout and a 1 s stream heartbeat. */
public class FixedGatewayProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FixedGatewayControl.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mpathgw.api.action-timeout", "300ms", "mpathgw.api.stream-heartbeat", "1s");
    }
}
