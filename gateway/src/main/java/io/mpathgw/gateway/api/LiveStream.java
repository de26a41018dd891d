package io.mpathgw.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpathgw.gateway.model.EventView;
import io.mpathgw.gateway.model.GatewayControl;
import io.mpathgw.gateway.model.MapView;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients of {@code GET /api/v1/stream} (the web page's live view). One Vert.x timer ticks every
 * {@value #TICK_MILLIS} ms for all of them: it sends each client the events the gateway raised since the last tick
 * ({@code event: event}), the maps when they changed but at most every {@value #MAPS_MIN_MILLIS} ms and at least every
 * {@value #MAPS_MAX_MILLIS} ms ({@code event: maps}), and a comment every {@value #HEARTBEAT_MILLIS} ms so proxies keep
 * the connection. Gateway threads only offer events to a client's bounded queue; a client that falls
 * {@value #QUEUE} events behind is closed (its EventSource reconnects and reads /api/v1/events for the gap).
 */
@ApplicationScoped
public class LiveStream {

    static final long TICK_MILLIS = 100, MAPS_MIN_MILLIS = 250, MAPS_MAX_MILLIS = 2000, HEARTBEAT_MILLIS = 5000;
    static final int QUEUE = 1024;
    private static final Logger LOG = Logger.getLogger(LiveStream.class);

    @Inject
    GatewayControl control;
    @Inject
    ObjectMapper json;
    @Inject
    Vertx vertx;
    /** The comment interval; {@value #HEARTBEAT_MILLIS} ms unless a test shortens it. */
    @ConfigProperty(name = "mpathgw.api.stream-heartbeat", defaultValue = "5s")
    Duration heartbeat;

    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private long timer = -1;     // touched under this bean's lock
    private List<MapView> lastMaps;
    private String lastMapsJson;

    private final class Client {
        final SseEventSink sink;
        final Sse sse;
        final ArrayBlockingQueue<EventView> events = new ArrayBlockingQueue<>(QUEUE);
        final AutoCloseable subscription;
        volatile boolean overflowed;
        long mapsSentAt = Long.MIN_VALUE / 2, beatAt;
        String mapsSent;

        Client(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
            this.beatAt = System.nanoTime();
            this.subscription = control.onEvent(e -> {
                if (!events.offer(e)) overflowed = true;
            });
        }

        void close() {
            clients.remove(this);
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("closing an event subscription", e);
            }
            if (!sink.isClosed()) sink.close();
        }

        void send(OutboundSseEvent e) {
            sink.send(e).whenComplete((v, err) -> {
                if (err != null) close();       // the browser went away
            });
        }
    }

    synchronized void add(SseEventSink sink, Sse sse) {
        clients.add(new Client(sink, sse));
        if (timer < 0) timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
        vertx.runOnContext(v -> tick());     // the first maps at once, not after a tick
    }

    int clientCount() {
        return clients.size();
    }

    /** Runs on a Vert.x event loop, from the timer or from {@link #add}: synchronized, so two never overlap. */
    private synchronized void tick() {
        if (clients.isEmpty()) {
            stopTimerIfIdle();
            return;
        }
        long now = System.nanoTime();
        String mapsJson = mapsJson();
        for (Client c : clients) {
            if (c.sink.isClosed()) {
                c.close();
                continue;
            }
            if (c.overflowed) {
                LOG.warnf("live stream client fell %d events behind: closed", QUEUE);
                c.close();
                continue;
            }
            for (EventView e; (e = c.events.poll()) != null; )
                c.send(c.sse.newEventBuilder().name("event").id(Long.toString(e.seq())).data(write(e)).build());
            long since = (now - c.mapsSentAt) / 1_000_000;
            boolean changed = !mapsJson.equals(c.mapsSent);
            if ((changed && since >= MAPS_MIN_MILLIS) || since >= MAPS_MAX_MILLIS) {
                c.send(c.sse.newEventBuilder().name("maps").data(mapsJson).build());
                c.mapsSent = mapsJson;
                c.mapsSentAt = now;
            }
            if (now - c.beatAt >= heartbeat.toNanos()) {
                c.send(c.sse.newEventBuilder().comment("heartbeat").build());
                c.beatAt = now;
            }
        }
    }

    /** The maps as JSON, serialised again only when the snapshot changed. */
    private String mapsJson() {
        List<MapView> maps = control.maps();
        if (!maps.equals(lastMaps)) {
            lastMaps = maps;
            lastMapsJson = write(maps);
        }
        return lastMapsJson;
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("live stream: cannot write " + o.getClass().getSimpleName(), e);
        }
    }

    private synchronized void stopTimerIfIdle() {
        if (clients.isEmpty() && timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        clients.forEach(Client::close);
        stopTimerIfIdle();
    }
}
