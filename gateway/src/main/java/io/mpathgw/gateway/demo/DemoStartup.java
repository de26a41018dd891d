package io.mpathgw.gateway.demo;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the {@link DemoArray} in demo mode, first thing at start-up: priority 1 runs before the {@code @Startup}
 * daemon is made (its observer has the default priority, 2500), so the daemon reads the files the array just wrote
 * and logs in to it. The exports' shutdown ({@code ExportLifecycle}) stops the array after the daemon.
 */
@ApplicationScoped
public class DemoStartup {

    void start(@Observes @Priority(1) StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        java.util.function.Function<String, String> lookup = k -> config.getOptionalValue(k, String.class).orElse(null);
        if (DemoConfigSource.enabled(lookup)) DemoArray.start(DemoConfigSource.settings(lookup));
    }
}
