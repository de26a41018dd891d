package io.mpathgw.gateway.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.MapCounters;
import io.mpathgw.gateway.model.MapView;
import io.mpathgw.gateway.model.PathCounters;
import io.mpathgw.gateway.model.PathView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * {@code /q/metrics}: every counter of {@link MapCounters} and {@link PathCounters}, map and path states as gauges, and
 * events counted by kind. Meters read the last snapshot this bean took, never the daemon, so a scrape never waits for
 * a map thread; once a second a Vert.x timer takes new snapshots and registers meters for new maps and paths (and
 * drops those of gone ones, or re-registers a path whose map or group changed), and counts the events raised since.
 *
 * <p>Names follow multipathd's {@code show maps stats} columns (path_faults, switch_grp, map_loads, total_q_time,
 * q_timeouts, map_failures): {@code mpathgw_map_path_faults_total{map="mpatha"}}; paths carry the tags map, path and group.
 */
@ApplicationScoped
public class GatewayMetrics {

    static final long REFRESH_MILLIS = 1000;
    static final int EVENT_BATCH = 1000;
    static final List<String> MAP_HEALTH = List.of("Optimal", "Degraded", "Queueing", "Failed", "Lost");
    static final List<String> PATH_DM_STATES = List.of("active", "failed");

    @Inject
    MeterRegistry registry;
    @Inject
    GatewayControl control;
    @Inject
    Vertx vertx;

    // written on the timer, read by scrapes: replaced whole, never mutated
    private volatile Map<String, MapView> maps = Map.of();
    private volatile Map<String, PathView> paths = Map.of();
    // touched on the timer only
    private final Map<String, List<Meter>> mapMeters = new HashMap<>();
    private final Map<String, Registered> pathMeters = new HashMap<>();
    private long timer = -1;
    private long lastSeq;       // events counted up to this seq

    private record Registered(Tags tags, List<Meter> meters) {
    }

    void start(@Observes StartupEvent ev) {
        refresh();
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> refresh());
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    /** Takes new snapshots, brings the registered meters in line with them and counts the new events. */
    synchronized void refresh() {
        countEvents();
        Map<String, MapView> m = new LinkedHashMap<>();
        for (MapView v : control.maps()) m.put(v.name(), v);
        Map<String, PathView> p = new LinkedHashMap<>();
        for (PathView v : control.paths()) p.put(v.dev(), v);
        maps = m;
        paths = p;
        for (String name : m.keySet()) mapMeters.computeIfAbsent(name, this::registerMap);
        for (var it = mapMeters.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!m.containsKey(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
        for (PathView v : p.values()) {
            Tags tags = Tags.of("map", v.map(), "path", v.dev(), "group", Integer.toString(v.group()));
            Registered r = pathMeters.get(v.dev());
            if (r != null && r.tags().equals(tags)) continue;
            if (r != null) r.meters().forEach(registry::remove);
            pathMeters.put(v.dev(), new Registered(tags, registerPath(v.dev(), tags)));
        }
        for (var it = pathMeters.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!p.containsKey(e.getKey())) {
                e.getValue().meters().forEach(registry::remove);
                it.remove();
            }
        }
    }

    /**
     * Reads the timeline from the last counted seq, so the events of discovery (before this bean started) count too.
     * Read in batches of {@value #EVENT_BATCH}; events the bounded timeline dropped before they were read are not
     * counted.
     */
    private void countEvents() {
        List<EventView> batch;
        do {
            batch = control.events(lastSeq, EVENT_BATCH);
            for (EventView e : batch) {
                registry.counter("mpathgw.events", "kind", e.kind()).increment();
                lastSeq = Math.max(lastSeq, e.seq());
            }
        } while (batch.size() == EVENT_BATCH);
    }

    private List<Meter> registerMap(String name) {
        Tags tags = Tags.of("map", name);
        List<Meter> out = new ArrayList<>();
        mapCounter(out, name, tags, "path_faults", "multipathd %0: paths that failed", MapCounters::pathFaults);
        mapCounter(out, name, tags, "switch_grp", "multipathd %1: priority group switches", MapCounters::switchGroup);
        mapCounter(out, name, tags, "map_loads", "multipathd %2: table loads", MapCounters::mapLoads);
        mapCounter(out, name, tags, "total_q_time", "multipathd %3: seconds spent queueing without a path", MapCounters::totalQueueTime);
        mapCounter(out, name, tags, "q_timeouts", "multipathd %4: times no_path_retry ran out", MapCounters::queueTimeouts);
        mapCounter(out, name, tags, "map_failures", "multipathd %x: times the map lost its last path without queueing",
                MapCounters::mapFailures);
        mapCounter(out, name, tags, "reads", "completed read requests", MapCounters::reads);
        mapCounter(out, name, tags, "writes", "completed write requests", MapCounters::writes);
        mapCounter(out, name, tags, "read_bytes", "bytes read", MapCounters::readBytes);
        mapCounter(out, name, tags, "written_bytes", "bytes written", MapCounters::writtenBytes);
        mapCounter(out, name, tags, "errors", "requests failed back to the client", MapCounters::errors);
        mapGauge(out, name, tags, "queued", "requests held for lack of a path", v -> v.counters().queued());
        mapGauge(out, name, tags, "in_flight", "requests sent down a path, not completed", v -> v.counters().inFlight());
        mapGauge(out, name, tags, "active_paths", "paths whose dm state is active", MapView::nrActivePaths);
        mapGauge(out, name, tags, "paths", "paths of the map", MapView::nrPaths);
        for (String word : MAP_HEALTH)
            mapGauge(out, name, tags.and("health", word), "health", "1 for the map's health word, 0 for the others",
                    v -> word.equals(v.health()) ? 1 : 0);
        return out;
    }

    private List<Meter> registerPath(String dev, Tags tags) {
        List<Meter> out = new ArrayList<>();
        pathCounter(out, dev, tags, "ios", "requests completed on this path", PathCounters::ios);
        pathCounter(out, dev, tags, "bytes", "bytes moved on this path", PathCounters::bytes);
        pathCounter(out, dev, tags, "failures", "active to failed transitions (fail_count)", PathCounters::failures);
        pathCounter(out, dev, tags, "transport_errors", "requests failed by the transport", PathCounters::transportErrors);
        pathCounter(out, dev, tags, "scsi_errors", "requests that ended in a bad SCSI status", PathCounters::scsiErrors);
        pathGauge(out, dev, tags, "iops", "requests per second over the last second", v -> v.counters().iops());
        pathGauge(out, dev, tags, "latency_micros", "mean latency over the last second", v -> v.counters().latencyMicros());
        pathGauge(out, dev, tags, "priority", "the prioritizer's last value", PathView::priority);
        pathGauge(out, dev, tags, "checker_up", "1 when the checker says ready or ghost", v ->
                "ready".equals(v.checkerState()) || "ghost".equals(v.checkerState()) ? 1 : 0);
        pathGauge(out, dev, tags, "online", "1 while the session is logged in", v -> "running".equals(v.onlineState()) ? 1 : 0);
        for (String state : PATH_DM_STATES)
            pathGauge(out, dev, tags.and("state", state), "dm_state", "1 for the kernel's view of the path, 0 otherwise",
                    v -> state.equals(v.dmState()) ? 1 : 0);
        return out;
    }

    private void mapCounter(List<Meter> out, String name, Tags tags, String field, String help,
                            ToDoubleFunction<MapCounters> f) {
        out.add(FunctionCounter.builder("mpathgw.map." + field, this, self -> {
            MapView v = self.maps.get(name);
            return v == null ? Double.NaN : f.applyAsDouble(v.counters());
        }).tags(tags).description(help).register(registry));
    }

    private void mapGauge(List<Meter> out, String name, Tags tags, String field, String help, ToDoubleFunction<MapView> f) {
        out.add(Gauge.builder("mpathgw.map." + field, this, self -> {
            MapView v = self.maps.get(name);
            return v == null ? Double.NaN : f.applyAsDouble(v);
        }).tags(tags).description(help).strongReference(true).register(registry));
    }

    private void pathCounter(List<Meter> out, String dev, Tags tags, String field, String help,
                             ToDoubleFunction<PathCounters> f) {
        out.add(FunctionCounter.builder("mpathgw.path." + field, this, self -> {
            PathView v = self.paths.get(dev);
            return v == null ? Double.NaN : f.applyAsDouble(v.counters());
        }).tags(tags).description(help).register(registry));
    }

    private void pathGauge(List<Meter> out, String dev, Tags tags, String field, String help, ToDoubleFunction<PathView> f) {
        out.add(Gauge.builder("mpathgw.path." + field, this, self -> {
            PathView v = self.paths.get(dev);
            return v == null ? Double.NaN : f.applyAsDouble(v);
        }).tags(tags).description(help).strongReference(true).register(registry));
    }

    /** For tests: the maps and paths the meters currently describe. */
    Set<String> meteredMaps() {
        return Set.copyOf(mapMeters.keySet());
    }
}
